package dev.otpengine;

import java.util.UUID;

/**
 * The widget requires a captcha and the request brought no token, or the {@code CaptchaVerifier} rejected
 * it or failed (the engine fails closed). HTTP 400. Nothing was generated or sent.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class CaptchaNotConfirmedException extends OtpException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param widgetId the widget that requires a captcha
     * @param reason what was wrong with the token, lowercase, such as {@code "no captcha token was given"}
     */
    public CaptchaNotConfirmedException(UUID widgetId, String reason) {
        super("CaptchaNotConfirmedException", 400, "captcha is not confirmed for widget " + widgetId + ": " + reason,
                null, false);
    }
}
