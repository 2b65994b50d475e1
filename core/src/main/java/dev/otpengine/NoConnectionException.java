package dev.otpengine;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * HTTP 503, thrown in two cases:
 * <ul>
 *   <li>every channel tried failed to deliver the code, so the code was withdrawn: nothing stays pending;
 *       {@link #deliveries()} says what each channel answered; when each refused the recipient for good
 *       ({@link #recipientRefused()}), the message asks for another phone or email instead of a later try;</li>
 *   <li>the engine's {@link dev.otpengine.store.OtpStore store} could not be reached in time (a shared store such as
 *       Redis being down or slow): nothing was delivered that could not be stored, and no guess was judged;
 *       {@link #deliveries()} is empty and {@link #getCause()} is what the store's client answered.</li>
 * </ul>
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
        super("NoConnectionException", 503, refusedForGood(deliveries)
                ? "no channel of widget " + widgetId + " could deliver the code: every channel refused this recipient "
                        + "for good; use another phone or email"
                : "no channel of widget " + widgetId + " could deliver the code; try again later", null, true);
        this.deliveries = List.copyOf(deliveries);
    }

    private static boolean refusedForGood(List<Delivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        return !deliveries.isEmpty() && deliveries.stream().allMatch(d -> d.status() == Delivery.Status.FAILED_PERMANENT);
    }

    /**
     * Whether every channel tried refused the recipient for good ({@link Delivery.Status#FAILED_PERMANENT}: a number
     * the vendor says is invalid, not a mobile, unsubscribed or barred): trying again will not help, another phone or
     * email may. The message then says so rather than "try again later"; the status stays 503, as for every send no
     * channel delivered.
     *
     * @return {@code true} if there were deliveries and each failed permanently
     */
    public boolean recipientRefused() {
        return refusedForGood(deliveries);
    }

    /**
     * The engine's store could not be reached in time. The message names the store as given here and nothing more
     * (it reaches clients through {@link #toJson()}); the cause, with the server's address, is for logs.
     *
     * @param store what the store is, such as {@code "redis"}: no address, no credentials
     * @param cause what the store's client answered
     */
    public NoConnectionException(String store, Throwable cause) {
        super("NoConnectionException", 503,
                "the engine's store (" + Objects.requireNonNull(store, "store") + ") could not be reached; try again later",
                cause, true);
        this.deliveries = List.of();
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
