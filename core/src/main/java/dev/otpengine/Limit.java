package dev.otpengine;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code count} calls in each {@code window} of the engine's clock: {@code Limit.of(5, Duration.ofMinutes(10))}
 * lets five through between 10:00 and 10:10, five more from 10:10, and so on.
 *
 * <p>Windows are fixed and aligned to the epoch of the engine's {@link java.time.Clock} (a one-hour window starts on
 * the hour, a one-day window at midnight UTC), the same for every key, so "how many in this window" has one answer
 * and {@link RateLimitException#retryAfter()} is exact: the time left until the window ends. Two windows back to back
 * can let {@code 2 × count} through in less than one window's length; add a second, shorter limit
 * ({@code perIp(Limit.of(5, ofMinutes(1)), Limit.of(20, ofHours(1)))}) where a burst matters.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param count how many calls each window lets through, from 1 to {@value #MAX_COUNT}
 * @param window the window's length: at least {@link #MIN_WINDOW one second}, at most {@link #MAX_WINDOW 366 days},
 *     in whole milliseconds
 * @see RateLimits
 */
public record Limit(long count, Duration window) {

    /** The largest count of one limit: {@value}. */
    public static final long MAX_COUNT = 1_000_000_000L;
    /** The shortest window: one second. */
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    /** The longest window: 366 days. */
    public static final Duration MAX_WINDOW = Duration.ofDays(366);

    /**
     * Checks the limit.
     *
     * @param count how many calls each window lets through
     * @param window the window's length
     * @throws IllegalArgumentException if {@code count} or {@code window} is out of range, or the window is not a
     *     whole number of milliseconds
     * @throws NullPointerException if {@code window} is null
     */
    public Limit {
        Objects.requireNonNull(window, "window");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be from 1 to " + MAX_COUNT + ": " + count);
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be from " + MIN_WINDOW + " to " + MAX_WINDOW + ": " + window);
        }
        if (window.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("window must be a whole number of milliseconds: " + window);
        }
    }

    /**
     * A limit of {@code count} calls per {@code window}.
     *
     * @param count how many calls each window lets through, from 1 to {@value #MAX_COUNT}
     * @param window the window's length, from one second to 366 days, in whole milliseconds
     * @return the limit
     * @throws IllegalArgumentException if out of range
     * @throws NullPointerException if {@code window} is null
     */
    public static Limit of(long count, Duration window) {
        return new Limit(count, window);
    }

    /** @return for example {@code "5 per PT10M"} */
    @Override
    public String toString() {
        return count + " per " + window;
    }
}
