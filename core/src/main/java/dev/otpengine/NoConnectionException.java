package dev.otpengine;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Every channel tried failed to deliver the code, so the code was withdrawn: nothing stays pending.
 * HTTP 503. {@link #deliveries()} says what each channel answered.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class NoConnectionException extends OtpException {

    private static final long serialVersionUID = 1L;

    private final transient List<Delivery> deliveries;

    /**
     * Creates the exception.
     *
     * @param widgetId the widget the send was for
     * @param deliveries one failed delivery per channel tried
     */
    public NoConnectionException(UUID widgetId, List<Delivery> deliveries) {
        super("NoConnectionException", 503,
                "no channel of widget " + widgetId + " could deliver the code; try again later", null, true);
        this.deliveries = List.copyOf(Objects.requireNonNull(deliveries, "deliveries"));
    }

    /**
     * What each channel tried answered, in the order they were tried.
     *
     * @return the failed deliveries, unmodifiable
     */
    public List<Delivery> deliveries() {
        return deliveries;
    }
}
