package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;
import java.time.Instant;

/**
 * The engine's {@link Clock} as Caffeine's {@link Ticker}: expiry of stored codes follows the injected clock,
 * so tests move time forward instead of sleeping. Readings are epoch nanoseconds, good until the year 2262.
 */
public final class ClockTicker implements Ticker {

    private final Clock clock;

    /**
     * A ticker over a clock.
     *
     * @param clock the engine's clock
     */
    public ClockTicker(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long read() {
        return epochNanos(clock.instant());
    }

    /**
     * An instant in epoch nanoseconds.
     *
     * @param instant the instant
     * @return nanoseconds since 1970-01-01T00:00Z
     */
    public static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
