package dev.otpengine.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it: give it to {@code OtpEngine.Builder.clock(...)} and expiry,
 * cooldowns and rate-limit windows run in virtual time, with no sleeping.
 *
 * <pre>{@code
 * TestClock clock = TestClock.at(Instant.parse("2026-01-01T09:00:00Z"));
 * OtpEngine engine = OtpEngine.builder().clock(clock)...build();
 * clock.advance(Duration.ofMinutes(2));   // the code has expired
 * }</pre>
 *
 * <p>Time only moves forward, as the engine's expiry and rate limits assume: {@link #advance} refuses a negative
 * step and {@link #set} an earlier instant. Views made by {@link #withZone} share the time.
 *
 * <p><b>Thread-safety:</b> thread-safe; reads and moves are atomic.
 */
public final class TestClock extends Clock {

    /** Where {@link #atFixedStart()} starts: {@value}. */
    public static final String FIXED_START = "2026-01-01T09:00:00Z";

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * A clock standing at an instant, in UTC.
     *
     * @param start the time it shows until moved
     * @return a new clock
     * @throws NullPointerException if {@code start} is null
     */
    public static TestClock at(Instant start) {
        return new TestClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /**
     * A clock standing at {@value #FIXED_START}, so that runs repeat exactly.
     *
     * @return a new clock
     */
    public static TestClock atFixedStart() {
        return at(Instant.parse(FIXED_START));
    }

    /**
     * Moves the time forward.
     *
     * @param step how far; zero is allowed
     * @return the new time
     * @throws IllegalArgumentException if {@code step} is negative
     * @throws NullPointerException if {@code step} is null
     */
    public Instant advance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("step must not be negative (time only moves forward): " + step);
        }
        return now.updateAndGet(t -> t.plus(step));
    }

    /**
     * Moves the time to an instant.
     *
     * @param instant the new time, not before the current one
     * @throws IllegalArgumentException if {@code instant} is before the current time
     * @throws NullPointerException if {@code instant} is null
     */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        now.updateAndGet(t -> {
            if (instant.isBefore(t)) {
                throw new IllegalArgumentException("instant must not be before the clock's time " + t
                        + " (time only moves forward): " + instant);
            }
            return instant;
        });
    }

    /** @return the current virtual time */
    @Override
    public Instant instant() {
        return now.get();
    }

    /** @return the current virtual time in epoch milliseconds */
    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    /** @return the zone, UTC unless made with {@link #withZone} */
    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * A view of this clock in another zone; moving either moves both.
     *
     * @param zone the zone
     * @return a clock sharing this one's time
     * @throws NullPointerException if {@code zone} is null
     */
    @Override
    public TestClock withZone(ZoneId zone) {
        return new TestClock(now, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + ", " + zone + "]";
    }
}
