package dev.otpengine.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a widget's channels lately took to accept a message, so that a send answered without one (withheld by the
 * toll-fraud guard, or a test recipient's) can take about as long as a delivered one: otherwise the answer's timing
 * alone would tell a phone the guard let through from one it withheld.
 *
 * <p>Per widget, an exponentially weighted mean of the accepted sends' latencies (each new one weighs
 * {@value #WEIGHT_PERCENT} %), and {@link #mimic} draws around it, from 0.75 to 1.25 times the mean, so that repeated
 * answers spread as real ones do. Widgets are configured, not requested, so the table is bounded by the application.
 *
 * <p><b>Thread-safety:</b> thread-safe; a lost update under a race only weighs one sample less.
 */
final class DeliveryLatency {

    /** The weight of each new latency in the mean, in percent: {@value}. */
    static final int WEIGHT_PERCENT = 10;
    /** The longest a mimicked answer waits, whatever the channels took: {@value} seconds. */
    static final long MAX_SECONDS = 10;

    private final Map<UUID, AtomicLong> meanNanos = new ConcurrentHashMap<>();

    /**
     * Records how long an accepted send of the widget took, from the hand-off to its answer.
     *
     * @param widgetId the widget
     * @param nanos the latency; a negative one (a clock stepped back) is ignored
     */
    void record(UUID widgetId, long nanos) {
        if (nanos < 0) {
            return;
        }
        long capped = Math.min(nanos, Duration.ofSeconds(MAX_SECONDS).toNanos());
        AtomicLong mean = meanNanos.computeIfAbsent(widgetId, id -> new AtomicLong(-1));
        long old = mean.get();
        mean.compareAndSet(old, old < 0 ? capped : old + (capped - old) * WEIGHT_PERCENT / 100);
    }

    /**
     * How long an answer without a delivery should take for the widget: around its recent mean.
     *
     * @param widgetId the widget
     * @return the wait, zero if no send of the widget was accepted yet
     */
    Duration mimic(UUID widgetId) {
        AtomicLong mean = meanNanos.get(widgetId);
        long nanos = mean == null ? -1 : mean.get();
        if (nanos <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(nanos * (750 + ThreadLocalRandom.current().nextInt(501)) / 1000);
    }
}
