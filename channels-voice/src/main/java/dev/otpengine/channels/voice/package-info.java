/**
 * A voice {@link dev.otpengine.spi.Channel} over Twilio Programmable Voice:
 * {@link dev.otpengine.channels.voice.VoiceChannelProvider} and the settings it reads. Everything else in the package
 * is package-private.
 */
package dev.otpengine.channels.voice;
