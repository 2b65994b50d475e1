/**
 * The otpengine API: build an {@link dev.otpengine.OtpEngine} with its widgets and channels, then
 * {@link dev.otpengine.OtpEngine#send send} codes and {@link dev.otpengine.OtpEngine#verify verify} them.
 *
 * <p>Every refusal is an unchecked {@link dev.otpengine.OtpException} carrying the seed API's error shape
 * ({@code type}, {@code message}, {@code httpStatus}); a wrong code is a {@link dev.otpengine.VerifyResult},
 * not an exception.
 */
package dev.otpengine;
