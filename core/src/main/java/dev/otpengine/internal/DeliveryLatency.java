package dev.otpengine.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long a widget's channels lately took to accept a message, so that a send answered without one (withheld by the
 * toll-fraud guard, or a test recipient's) takes as long as a delivered one might: otherwise the answer's timing alone
 * would tell a phone the guard let through from one it withheld.
 *
 * <p>Per widget, the last {@value #SAMPLES} accepted sends' latencies, those to a phone apart from the others (a free
 * email's few milliseconds must not set the wait of a withheld SMS); {@link #mimic} draws one of them at random, so
 * that the waits spread as the real ones do. Before the widget's first accepted send on this engine, a withheld send
 * waits a draw from {@link #DEFAULT_LEAST} to {@link #DEFAULT_MOST} (what SMS providers' APIs take), never nothing.
 * Widgets are configured, not requested, so the table is bounded by the application.
 *
 * <p><b>Thread-safety:</b> thread-safe; racing records may overwrite one another's slot, which only loses a sample.
 */
final class DeliveryLatency {

    /** How many recent latencies are kept per widget: {@value}. */
    static final int SAMPLES = 32;
    /** The longest a mimicked answer waits, whatever the channels took: {@value} seconds. */
    static final long MAX_SECONDS = 10;
    /** The least wait before any sample: 200 ms. */
    static final Duration DEFAULT_LEAST = Duration.ofMillis(200);
    /** The most wait before any sample: 800 ms. */
    static final Duration DEFAULT_MOST = Duration.ofMillis(800);

    /** One widget's recent latencies, in a ring. */
    private static final class Ring {
        final AtomicLongArray nanos = new AtomicLongArray(SAMPLES);
        final AtomicInteger recorded = new AtomicInteger();
    }

    private final Map<UUID, Ring> phoneRings = new ConcurrentHashMap<>();
    private final Map<UUID, Ring> otherRings = new ConcurrentHashMap<>();

    /**
     * Records how long an accepted send of the widget took, from the hand-off to its answer.
     *
     * @param widgetId the widget
     * @param phone whether the send was to a phone (with other addresses or not)
     * @param nanos the latency; a negative one (a clock stepped back) is ignored
     */
    void record(UUID widgetId, boolean phone, long nanos) {
        if (nanos < 0) {
            return;
        }
        Ring ring = (phone ? phoneRings : otherRings).computeIfAbsent(widgetId, id -> new Ring());
        int slot = Math.floorMod(ring.recorded.getAndIncrement(), SAMPLES);
        ring.nanos.set(slot, Math.min(nanos, Duration.ofSeconds(MAX_SECONDS).toNanos()));
    }

    /**
     * How long an answer without a delivery should take for the widget: one of its recent latencies, drawn at random.
     *
     * @param widgetId the widget
     * @param phone whether the send is to a phone: drawn from sends to phones only
     * @param withheld whether the send is withheld (which never answers at once), rather than a test recipient's (which
     *     answers at once while the widget has no sample)
     * @return the wait
     */
    Duration mimic(UUID widgetId, boolean phone, boolean withheld) {
        Ring ring = (phone ? phoneRings : otherRings).get(widgetId);
        int filled = ring == null ? 0 : Math.min(ring.recorded.get(), SAMPLES);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (filled == 0) {
            return withheld ? Duration.ofNanos(random.nextLong(DEFAULT_LEAST.toNanos(), DEFAULT_MOST.toNanos() + 1))
                    : Duration.ZERO;
        }
        return Duration.ofNanos(ring.nanos.get(random.nextInt(filled)));
    }
}
