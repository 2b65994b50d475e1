/**
 * A WhatsApp {@link dev.otpengine.spi.Channel} over Meta's WhatsApp Cloud API:
 * {@link dev.otpengine.channels.whatsapp.WhatsAppChannelProvider} and the settings it reads. Everything else in the
 * package is package-private.
 */
package dev.otpengine.channels.whatsapp;
