/**
 * An SMS {@link dev.otpengine.spi.Channel} with pluggable gateways: {@link dev.otpengine.channels.sms.SmsChannelProvider}
 * and the settings it reads. Everything else in the package is package-private.
 *
 * <p>{@code sms.gateway} names one gateway ({@code twilio}, {@code vonage}, {@code http}, {@code smpp},
 * {@code console}) or several in order of preference ({@code twilio,vonage}). A text goes to the first gateway whose
 * circuit breaker lets it through; a failure that is the gateway's (network, timeout, 429, 5xx, throttling,
 * credentials, balance, a sender the account may not use) hands the same text to the next one and counts against the
 * gateway's circuit, while a failure that is the message's (an invalid, barred, unsubscribed or non-mobile number, a
 * text too long) ends the delivery: no other vendor is paid to try. Each vendor adapter reads its documented error
 * codes for this (Twilio's {@code 2xxxx} codes, Vonage's {@code status} values) and cites the documentation beside
 * its table. The breakers follow the engine's clock; {@code Channel.health()} reports each one's state as
 * {@code circuit.<gateway>}.
 */
package dev.otpengine.channels.sms;
