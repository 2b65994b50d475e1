package dev.otpengine.spi;

/**
 * A channel could not hand a message to its provider. Thrown by, or completed into the stage of,
 * {@link Channel#deliver}.
 *
 * <p>A {@linkplain #retryable retryable} failure (network down, timeout, provider overloaded) may go
 * through on another try; a {@linkplain #permanent permanent} one (recipient rejected, number invalid) will
 * not. The message is shown to the application and logged by the engine, which masks the recipient's
 * addresses in it; still, a channel should not put the code or a full address in it.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public class DeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Whether another try may work. */
    private final boolean retryable;

    /**
     * For subclasses; others use {@link #retryable} or {@link #permanent}.
     *
     * @param message what went wrong, without the code
     * @param cause the underlying failure, or {@code null}
     * @param retryable whether another try may work
     */
    protected DeliveryException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * A failure that another try may not repeat: network error, timeout, provider overloaded.
     *
     * @param message what went wrong
     * @return the exception
     */
    public static DeliveryException retryable(String message) {
        return new DeliveryException(message, null, true);
    }

    /**
     * A failure that another try may not repeat, with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     * @return the exception
     */
    public static DeliveryException retryable(String message, Throwable cause) {
        return new DeliveryException(message, cause, true);
    }

    /**
     * A failure that will happen again on every try: the recipient was rejected.
     *
     * @param message what went wrong
     * @return the exception
     */
    public static DeliveryException permanent(String message) {
        return new DeliveryException(message, null, false);
    }

    /**
     * A failure that will happen again on every try, with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     * @return the exception
     */
    public static DeliveryException permanent(String message, Throwable cause) {
        return new DeliveryException(message, cause, false);
    }

    /**
     * Whether another try may work.
     *
     * @return {@code true} for a transient failure, {@code false} when the recipient was rejected
     */
    public boolean isRetryable() {
        return retryable;
    }
}
