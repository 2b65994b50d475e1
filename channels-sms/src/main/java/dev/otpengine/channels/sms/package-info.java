/**
 * An SMS {@link dev.otpengine.spi.Channel} with pluggable gateways:
 * {@link dev.otpengine.channels.sms.SmsChannelProvider} and the settings it reads. Everything else in the package is
 * package-private.
 */
package dev.otpengine.channels.sms;
