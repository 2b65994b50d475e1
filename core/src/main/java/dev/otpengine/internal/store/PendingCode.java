package dev.otpengine.internal.store;

import dev.otpengine.spi.Recipient;
import dev.otpengine.store.StoredCode;

import java.time.Instant;
import java.util.UUID;

/**
 * A code as the in-process store keeps it: its {@link StoredCode#TAG_BYTES}-byte tag, never the code. Laid out to
 * fit 72 bytes of heap (the request id and the tag as two longs each, counters as bytes), since a store may hold a
 * million of these. Equal, and hashed, by request id: the store uses each code as its own key.
 * {@code failures} is changed only inside the store's atomic per-entry operation.
 */
final class PendingCode {

    final long idHigh;
    final long idLow;
    final long tagHigh;
    final long tagLow;
    /** The store's order of puts: of two codes for one address, the higher wins (compared modulo 2^32). */
    final int sequence;
    final long expiresAtNanos;
    final UUID widgetId;
    final Recipient recipient;
    final byte maxAttempts;
    byte failures;

    PendingCode(StoredCode code, long expiresAtNanos, int sequence) {
        UUID requestId = code.requestId();
        this.idHigh = requestId.getMostSignificantBits();
        this.idLow = requestId.getLeastSignificantBits();
        byte[] tag = code.tag();
        this.tagHigh = half(tag, 0);
        this.tagLow = half(tag, 8);
        this.sequence = sequence;
        this.expiresAtNanos = expiresAtNanos;
        this.widgetId = code.widgetId();
        this.recipient = code.recipient();
        this.maxAttempts = (byte) code.maxAttempts();
    }

    /** Eight bytes of a tag from {@code from}, big-endian. */
    static long half(byte[] tag, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (tag[i] & 0xFF);
        }
        return v;
    }

    /** Whether a guess's tag matches, in time that does not depend on where they differ. */
    boolean matches(byte[] guessTag) {
        return ((tagHigh ^ half(guessTag, 0)) | (tagLow ^ half(guessTag, 8))) == 0;
    }

    /** Whether this code was put after another for the same address (sequences compared modulo 2^32). */
    boolean isNewerThan(PendingCode other) {
        return sequence - other.sequence > 0;
    }

    UUID requestId() {
        return new UUID(idHigh, idLow);
    }

    /** The code as the seam gives it back. */
    StoredCode toStoredCode() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        for (int i = 0; i < 8; i++) {
            tag[i] = (byte) (tagHigh >>> (56 - 8 * i));
            tag[8 + i] = (byte) (tagLow >>> (56 - 8 * i));
        }
        Instant expiresAt = Instant.ofEpochSecond(Math.floorDiv(expiresAtNanos, 1_000_000_000L),
                Math.floorMod(expiresAtNanos, 1_000_000_000L));
        return new StoredCode(requestId(), widgetId, recipient, tag, expiresAt, maxAttempts, failures);
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

    @Override
    public int hashCode() {
        return RequestKey.hash(idHigh, idLow);
    }

    @Override
    public String toString() {
        return "PendingCode[requestId=" + requestId() + ", widgetId=" + widgetId + ", recipient=" + recipient + "]";
    }
}
