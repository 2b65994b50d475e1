package dev.otpengine;

/**
 * Hears what the engine does, for metrics, audit logs or alerts. Every method has an empty default, so
 * an implementation overrides only what it needs.
 *
 * <p>The engine calls listeners synchronously on the thread that finished the work (the caller's, or a
 * delivery thread), so a listener must be fast; an exception thrown by a listener is logged and ignored,
 * and never changes the outcome of a send or verification.
 *
 * <p><b>Thread-safety:</b> implementations must be safe for concurrent use.
 */
public interface OtpListener {

    /** A listener that ignores every event; what an engine uses when given none. */
    OtpListener NONE = new OtpListener() {
    };

    /**
     * A code was delivered through at least one channel.
     *
     * @param event the event
     */
    default void onSent(OtpEvent.Sent event) {
    }

    /**
     * One channel failed to deliver a code.
     *
     * @param event the event
     */
    default void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
    }

    /**
     * A code was verified.
     *
     * @param event the event
     */
    default void onVerified(OtpEvent.Verified event) {
    }

    /**
     * A verification did not succeed.
     *
     * @param event the event
     */
    default void onVerifyFailed(OtpEvent.VerifyFailed event) {
    }

    /**
     * A send or verification was refused with an exception.
     *
     * @param event the event
     */
    default void onRejected(OtpEvent.Rejected event) {
    }

    /**
     * The toll-fraud guard cut a range of numbers or a region off for a widget: alarm on this one.
     *
     * @param event the event
     */
    default void onCountryCutOff(OtpEvent.CountryCutOff event) {
    }

    /**
     * A vendor reported what became of a message: delivered, or failed for good.
     *
     * @param event the event
     */
    default void onDeliveryReported(OtpEvent.DeliveryReported event) {
    }

    /**
     * An escalating send went on to its next channel.
     *
     * @param event the event
     */
    default void onEscalated(OtpEvent.Escalated event) {
    }
}
