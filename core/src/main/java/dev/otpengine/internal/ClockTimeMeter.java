package dev.otpengine.internal;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;

/**
 * The engine's {@link Clock} as Bucket4j's {@link TimeMeter}: rate-limit windows and cooldowns follow the injected
 * clock, so tests move time instead of sleeping. Readings are epoch nanoseconds, the same as {@link ClockTicker}'s,
 * which is what lets limit windows align to the epoch.
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
        return ClockTicker.epochNanos(clock.instant());
    }

    /** Epoch-based, as windows aligned to the epoch require. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
