package dev.otpengine.internal;

import dev.otpengine.spi.Recipient;

import java.util.UUID;

/**
 * A code waiting to be verified, as the store keeps it: 96 bits of the code's HMAC, never the code. Laid out to fit
 * 64 bytes of heap (the request id as two longs, the tag as a long and an int, counters as bytes), since a store
 * may hold a million of these. Equal, and hashed, by request id: the store uses each code as its own key.
 * {@code failures} is changed only inside the store's atomic per-entry operation.
 */
public final class PendingCode {

    /** Bytes of the HMAC kept: {@value} (96 bits; RFC 2104 asks for at least 80). */
    public static final int TAG_BYTES = 12;

    final long idHigh;
    final long idLow;
    final long tagHigh;
    final int tagLow;
    final int sequence;
    final long expiresAtNanos;
    final UUID widgetId;
    final Recipient recipient;
    final byte maxAttempts;
    byte failures;
    boolean unindexed;

    /**
     * A new pending code.
     *
     * @param requestId the request id
     * @param widgetId the widget
     * @param recipient who it was sent to
     * @param hash the {@link CodeHasher} hash of the code; its first {@value #TAG_BYTES} bytes are kept
     * @param sequence increases with every send of the engine: of two codes for one address, the higher wins
     *     (compared modulo 2^32, so that it may wrap)
     * @param expiresAtNanos when it expires, in epoch nanoseconds of the engine's clock
     * @param maxAttempts the wrong guesses it tolerates, at most 127
     */
    public PendingCode(UUID requestId, UUID widgetId, Recipient recipient, byte[] hash, long sequence,
                       long expiresAtNanos, int maxAttempts) {
        this.idHigh = requestId.getMostSignificantBits();
        this.idLow = requestId.getLeastSignificantBits();
        this.widgetId = widgetId;
        this.recipient = recipient;
        this.tagHigh = tagHigh(hash);
        this.tagLow = tagLow(hash);
        this.sequence = (int) sequence;
        this.expiresAtNanos = expiresAtNanos;
        this.maxAttempts = (byte) maxAttempts;
    }

    static long tagHigh(byte[] hash) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (hash[i] & 0xFF);
        }
        return v;
    }

    static int tagLow(byte[] hash) {
        return (hash[8] & 0xFF) << 24 | (hash[9] & 0xFF) << 16 | (hash[10] & 0xFF) << 8 | (hash[11] & 0xFF);
    }

    /**
     * Whether a guess's hash matches, in time that does not depend on where they differ.
     *
     * @param guessHash the {@link CodeHasher} hash of the guess
     * @return whether its tag equals this code's
     */
    boolean matches(byte[] guessHash) {
        return ((tagHigh ^ tagHigh(guessHash)) | (tagLow ^ tagLow(guessHash))) == 0;
    }

    /** Whether this code was sent after another for the same address (sequences compared modulo 2^32). */
    boolean isNewerThan(PendingCode other) {
        return sequence - other.sequence > 0;
    }

    /** @return the request id */
    public UUID requestId() {
        return new UUID(idHigh, idLow);
    }

    /** @return the widget the code was sent for */
    public UUID widgetId() {
        return widgetId;
    }

    /** @return who the code was sent to */
    public Recipient recipient() {
        return recipient;
    }

    /**
     * Equal to another pending code, or a {@link RequestKey}, of the same request id.
     *
     * @param o another object
     * @return whether it names the same request
     */
    @Override
    public boolean equals(Object o) {
        if (o instanceof PendingCode) {
            PendingCode c = (PendingCode) o;
            return c.idHigh == idHigh && c.idLow == idLow;
        }
        return o instanceof RequestKey && ((RequestKey) o).matches(idHigh, idLow);
    }

    /** @return {@link UUID#hashCode()} of the request id */
    @Override
    public int hashCode() {
        return RequestKey.hash(idHigh, idLow);
    }

    @Override
    public String toString() {
        return "PendingCode[requestId=" + requestId() + ", widgetId=" + widgetId + ", recipient=" + recipient + "]";
    }
}
