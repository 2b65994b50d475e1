package dev.otpengine;

import java.util.UUID;

/**
 * The widget was blocked with {@link OtpEngine#blockWidget(UUID)}. HTTP 403. Nothing was generated or sent.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class WidgetIsBlockedException extends OtpException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param widgetId the blocked widget
     */
    public WidgetIsBlockedException(UUID widgetId) {
        super("WidgetIsBlockedException", 403, "widget " + widgetId + " is blocked; contact support", null, false);
    }
}
