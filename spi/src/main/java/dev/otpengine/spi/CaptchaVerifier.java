package dev.otpengine.spi;

import java.util.UUID;

/**
 * Checks a captcha token with the captcha provider (reCAPTCHA, hCaptcha, Turnstile, ...). The engine
 * consults it before every send to a widget that requires a captcha.
 *
 * <p>The engine fails closed: a {@code false} answer and any exception thrown here both refuse the send
 * with {@code CaptchaNotConfirmedException}.
 *
 * <p><b>Thread-safety:</b> implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface CaptchaVerifier {

    /**
     * Checks one token.
     *
     * @param token the token from the user's browser, never {@code null} or blank
     * @param userIp the user's IP address as the request gave it, or {@code null} if it gave none
     * @param widgetId the widget being sent for
     * @return {@code true} if the provider confirms the token
     */
    boolean verify(String token, String userIp, UUID widgetId);
}
