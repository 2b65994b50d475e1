package dev.otpengine.store.support;

import dev.otpengine.store.OtpStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The engine's time as a store keeps it, and how long a store keeps what it holds: a code (and each message and index
 * entry that names it) until its expiry plus {@link OtpStore#EXPIRED_RETENTION}, by the engine's clock. A store's own
 * time-to-live (Redis's {@code PX}, a clean-up's cut-off) only collects what the engine's time has given up already, so
 * it may run a little late, never early.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Retention {

    /** {@link OtpStore#EXPIRED_RETENTION} in nanoseconds. */
    public static final long RETENTION_NANOS = OtpStore.EXPIRED_RETENTION.toNanos();

    private Retention() {
    }

    /**
     * An instant as epoch nanoseconds, good until the year 2262: how a store may keep the engine's time exactly (the
     * contract tests move the clock by one nanosecond).
     *
     * @param instant the instant
     * @return nanoseconds since 1970-01-01T00:00Z
     * @throws NullPointerException if {@code instant} is null
     */
    public static long epochNanos(Instant instant) {
        return Objects.requireNonNull(instant, "instant").getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * The instant of epoch nanoseconds; the inverse of {@link #epochNanos}.
     *
     * @param epochNanos nanoseconds since 1970-01-01T00:00Z
     * @return the instant
     */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /**
     * Until when a store keeps a code that expires at {@code expiresAt}: its expiry plus the retention.
     *
     * @param expiresAt the code's expiry
     * @return the end of its retention
     * @throws NullPointerException if {@code expiresAt} is null
     */
    public static Instant retainedUntil(Instant expiresAt) {
        return Objects.requireNonNull(expiresAt, "expiresAt").plus(OtpStore.EXPIRED_RETENTION);
    }

    /**
     * Whether a code that expires at {@code expiresAt} is still kept at {@code now}: a lookup after its retention finds
     * nothing.
     *
     * @param expiresAt the code's expiry
     * @param now the engine's current time
     * @return whether it is kept
     * @throws NullPointerException if an argument is null
     */
    public static boolean isRetained(Instant expiresAt, Instant now) {
        return Objects.requireNonNull(now, "now").isBefore(retainedUntil(expiresAt));
    }

    /**
     * A backend time-to-live for something kept until {@code until}, as seen at {@code now}, in milliseconds: rounded
     * up, with {@code slack} on top (a backend's clock may run behind the engine's), and at least one millisecond.
     *
     * @param until when it may be forgotten, by the engine's time
     * @param now the engine's current time
     * @param slack added on top, not negative
     * @return the time-to-live in milliseconds, at least 1
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code slack} is negative
     */
    public static long timeToLiveMillis(Instant until, Instant now, Duration slack) {
        Objects.requireNonNull(slack, "slack");
        if (slack.isNegative()) {
            throw new IllegalArgumentException("slack must not be negative: " + slack);
        }
        Duration left = Duration.between(Objects.requireNonNull(now, "now"), Objects.requireNonNull(until, "until"));
        long millis = left.toMillis() + (left.toNanos() % 1_000_000 > 0 ? 1 : 0);
        return Math.max(1, millis + slack.toMillis());
    }
}
