package dev.otpengine.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time that the benchmark moves forward by a fixed step per operation. */
final class VirtualClock extends Clock {

    private final AtomicLong nanos = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    private final long step;

    VirtualClock(long stepNanos) {
        this.step = stepNanos;
    }

    void tick() {
        if (step != 0) {
            nanos.addAndGet(step);
        }
    }

    @Override
    public Instant instant() {
        long n = nanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public long millis() {
        return Math.floorDiv(nanos.get(), 1_000_000L);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the benchmark's clock stays in UTC");
    }
}
