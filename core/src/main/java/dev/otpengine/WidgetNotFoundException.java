package dev.otpengine;

import java.util.UUID;

/**
 * No widget with the given id is registered with the engine. HTTP 404.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class WidgetNotFoundException extends OtpException {

    private static final long serialVersionUID = 1L;

    /** The id that is not registered. */
    private final UUID widgetId;

    /**
     * Creates the exception.
     *
     * @param widgetId the id that is not registered
     */
    public WidgetNotFoundException(UUID widgetId) {
        super("WidgetNotFoundException", 404, "widget not found: " + widgetId, null, false);
        this.widgetId = widgetId;
    }

    /**
     * The id that is not registered.
     *
     * @return the widget id
     */
    public UUID widgetId() {
        return widgetId;
    }
}
