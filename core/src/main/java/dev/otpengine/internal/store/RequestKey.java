package dev.otpengine.internal.store;

import java.util.UUID;

/**
 * Looks a {@link PendingCode} up by request id in a map whose keys are the codes themselves, so that the store keeps
 * no separate {@link UUID} per code. Equal to a pending code of the same id, and hashed alike.
 */
final class RequestKey {

    private final long high;
    private final long low;

    RequestKey(UUID requestId) {
        this.high = requestId.getMostSignificantBits();
        this.low = requestId.getLeastSignificantBits();
    }

    static int hash(long high, long low) {
        long x = high ^ low;
        return (int) (x >> 32) ^ (int) x;
    }

    boolean matches(long high, long low) {
        return this.high == high && this.low == low;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof PendingCode) {
            PendingCode c = (PendingCode) o;
            return matches(c.idHigh, c.idLow);
        }
        return o instanceof RequestKey && ((RequestKey) o).matches(high, low);
    }

    @Override
    public int hashCode() {
        return hash(high, low);
    }
}
