/**
 * The service-provider interface of otpengine: what a channel plugin implements
 * ({@link dev.otpengine.spi.Channel}, {@link dev.otpengine.spi.ChannelProvider},
 * {@link dev.otpengine.spi.CaptchaVerifier}) and the values it is handed
 * ({@link dev.otpengine.spi.OtpMessage}, {@link dev.otpengine.spi.Recipient},
 * {@link dev.otpengine.spi.ChannelSettings}).
 *
 * <p>This package depends on the JDK only, so a plugin never drags the engine's own dependencies along.
 * A plugin module {@code provides dev.otpengine.spi.ChannelProvider with ...} in its {@code module-info}
 * and also lists the provider in {@code META-INF/services/dev.otpengine.spi.ChannelProvider}, so that both
 * module-path and class-path users find it.
 */
package dev.otpengine.spi;
