package dev.otpengine.internal;

import dev.otpengine.spi.Recipient;

import java.util.UUID;

/**
 * A code waiting to be verified, as the store keeps it: the hash of the code, never the code.
 * {@code failures} is changed only inside the store's atomic per-entry operation.
 */
public final class PendingCode {

    final UUID requestId;
    final UUID widgetId;
    final Recipient recipient;
    final byte[] hash;
    final long sequence;
    final long expiresAtNanos;
    final int maxAttempts;
    int failures;

    /**
     * A new pending code.
     *
     * @param requestId the request id
     * @param widgetId the widget
     * @param recipient who it was sent to
     * @param hash the {@link CodeHasher} hash of the code
     * @param sequence increases with every send of the engine: of two codes for one address, the higher wins
     * @param expiresAtNanos when it expires, in epoch nanoseconds of the engine's clock
     * @param maxAttempts the wrong guesses it tolerates
     */
    public PendingCode(UUID requestId, UUID widgetId, Recipient recipient, byte[] hash, long sequence,
                       long expiresAtNanos, int maxAttempts) {
        this.requestId = requestId;
        this.widgetId = widgetId;
        this.recipient = recipient;
        this.hash = hash;
        this.sequence = sequence;
        this.expiresAtNanos = expiresAtNanos;
        this.maxAttempts = maxAttempts;
    }

    /** @return the widget the code was sent for */
    public UUID widgetId() {
        return widgetId;
    }

    /** @return who the code was sent to */
    public Recipient recipient() {
        return recipient;
    }

    @Override
    public String toString() {
        return "PendingCode[requestId=" + requestId + ", widgetId=" + widgetId + ", recipient=" + recipient + "]";
    }
}
