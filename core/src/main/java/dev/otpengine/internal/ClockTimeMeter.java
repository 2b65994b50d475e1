package dev.otpengine.internal;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;

/**
 * The engine's {@link Clock} as Bucket4j's {@link TimeMeter}, and the one time base inside the engine: rate-limit
 * windows, cooldowns and code expiry follow the injected clock, so tests move time instead of sleeping. Readings are
 * epoch nanoseconds, which is what lets limit windows align to the epoch.
 */
public final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    /**
     * A time meter over a clock.
     *
     * @param clock the engine's clock
     */
    public ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        return epochNanos(clock.instant());
    }

    /** Epoch-based, as windows aligned to the epoch require. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }

    /**
     * An instant in epoch nanoseconds, good until the year 2262: the time base of the rate limits and the code store.
     *
     * @param instant the instant
     * @return nanoseconds since 1970-01-01T00:00Z
     */
    public static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
