package dev.otpengine;

import java.util.UUID;

/**
 * No channel of the widget can reach the recipient: the widget sends SMS only and the request has only an
 * email, say. HTTP 400. Nothing was generated or sent.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class NoAvailableChannelsException extends OtpException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param widgetId the widget whose channels cannot reach the recipient
     */
    public NoAvailableChannelsException(UUID widgetId) {
        super("NoAvailableChannelsException", 400,
                "no channel of widget " + widgetId + " can reach this recipient; start the authentication again",
                null, true);
    }
}
