package dev.otpengine.internal;

import dev.otpengine.OtpListener;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.Widget;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.spi.Recipient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Measures the heap the rate limiter keeps after sends (and verifications) from 1,000,000 distinct IPs to as many
 * recipients, with the default limits and the default bound of keys per table. Not a test: heap readings depend on
 * the collector, so it prints figures instead of asserting them. {@link RateLimiterTest} asserts the bound itself.
 *
 * <pre>
 * mvn -q -pl core -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xmx2g -cp core/target/test-classes:core/target/classes:spi/target/classes:$(cat /tmp/cp.txt) \
 *     dev.otpengine.internal.RateLimiterHeap
 * </pre>
 */
final class RateLimiterHeap {

    private RateLimiterHeap() {
    }

    public static void main(String[] args) {
        int flood = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        Widget widget = Widget.builder(UUID.randomUUID()).name("Acme").build();
        long before = usedAfterGc();
        InProcessStore store = new InProcessStore(clock, 1, dev.otpengine.OtpEngine.DEFAULT_MAX_RATE_LIMIT_KEYS);
        RateLimiter limiter = new RateLimiter(RateLimits.defaults(), store, clock, OtpListener.NONE);
        for (int i = 0; i < flood; i++) {
            try {
                limiter.beforeSend(widget, Recipient.ofPhone(RateLimiterTest.phone(i)), RateLimiterTest.ip(i), false);
            } catch (RateLimitException e) {
                // the widget's limit refuses all but the first 100; the tables are filled all the same
            }
            limiter.beforeVerify(null, null, null, RateLimiterTest.ip(i), false);
        }
        long sizes = store.bucketsHeld().values().stream().mapToLong(Long::longValue).sum();
        long after = usedAfterGc();
        System.out.printf("%,d distinct IPs and recipients: tables hold %s = %,d keys; retained %,d bytes "
                        + "(%.1f MiB), %,d bytes per key%n", flood, store.bucketsHeld(), sizes, after - before,
                (after - before) / 1048576.0, (after - before) / Math.max(1, sizes));
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
