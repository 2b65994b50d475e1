/**
 * An email {@link dev.otpengine.spi.Channel} over SMTP: {@link dev.otpengine.channels.email.EmailChannelProvider}
 * and the settings it reads. Everything else in the package is package-private.
 */
package dev.otpengine.channels.email;
