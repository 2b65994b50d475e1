package dev.otpengine.jdbc;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.store.support.Retention;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the clean-up and the buckets' cap cost on the embedded PostgreSQL, against how fast new bucket rows come: new
 * keys through the store's own proxy manager (each a refused request's bucket: insert, write, commit) on 2 threads;
 * one run of the clean-up with its defaults on a million expired bucket rows; then, while 2 threads keep making new
 * bucket rows (traffic), one run on a table 100,000 rows past the default cap of a million (the rows in time counted,
 * the excess dropped from the bottom of the ranking), one more run at the cap (counted, nothing dropped), and for
 * comparison the count alone and the cut-off query the trim used before ({@code ORDER BY … OFFSET 1000000}). Not a
 * test (no assertion on time): a program; BENCHMARKS.md ("The JDBC store") has the command.
 */
public final class BucketCapMeasure {

    private static final int NEW_KEYS = 4_000;

    private BucketCapMeasure() {
    }

    /** @param args none */
    public static void main(String[] args) throws Exception {
        Postgres pg = Postgres.shared();
        String prefix = pg.newSchema();
        Clock clock = Clock.systemUTC();
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return Retention.epochNanos(clock.instant());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        try (JdbcStore store = JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock)
                .cleanupEvery(Duration.ZERO).build()) {
            ProxyManager<String> buckets = store.rateLimitBuckets(Scope.IP, meter);
            BucketConfiguration config = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(5)
                    .refillIntervally(5, Duration.ofMinutes(1)).build()).build();
            AtomicInteger next = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            long started = System.nanoTime();
            Future<?>[] runs = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                runs[t] = threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < NEW_KEYS; i = next.getAndIncrement()) {
                        buckets.builder().build("w|ip|new-" + i, () -> config).tryConsume(1);
                    }
                });
            }
            for (Future<?> run : runs) {
                run.get();
            }
            threads.shutdown();
            report("new bucket rows, 2 threads", NEW_KEYS, System.nanoTime() - started);
            pg.execute("TRUNCATE " + prefix + "buckets");

            long expired = Retention.epochNanos(Instant.now().minus(Duration.ofHours(1)));
            pg.execute("INSERT INTO " + prefix + "buckets (id, state, expires_at, used) SELECT 'ip:e-' || i, '\\x00', "
                    + expired + ", 1 FROM generate_series(1, 1000000) i");
            pg.execute("VACUUM ANALYZE " + prefix + "buckets");
            started = System.nanoTime();
            long deleted = store.cleanUp();
            report("clean-up run, 1,000,000 expired rows", deleted, System.nanoTime() - started);

            long live = Retention.epochNanos(Instant.now().plus(Duration.ofHours(12)));
            pg.execute("INSERT INTO " + prefix + "buckets (id, state, expires_at, used) SELECT 'ip:l-' || i, '\\x00', "
                    + live + ", 1 + i % 5 FROM generate_series(1, 1100000) i");
            pg.execute("VACUUM ANALYZE " + prefix + "buckets");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger made = new AtomicInteger();
            ExecutorService traffic = Executors.newFixedThreadPool(2);
            for (int t = 0; t < 2; t++) {
                traffic.submit(() -> {
                    while (!stop.get()) {
                        buckets.builder().build("w|ip|traffic-" + made.incrementAndGet(), () -> config).tryConsume(1);
                    }
                });
            }
            started = System.nanoTime();
            deleted = store.cleanUp();
            report("under traffic: run, 1,100,000 live rows, cap 1,000,000", deleted, System.nanoTime() - started);
            started = System.nanoTime();
            deleted = store.cleanUp();
            report("under traffic: run at the cap", deleted, System.nanoTime() - started);
            for (int i = 0; i < 3; i++) {
                started = System.nanoTime();
                pg.execute("SELECT count(*) FROM " + prefix + "buckets WHERE expires_at >= 0");
                report("under traffic: the count alone", 0, System.nanoTime() - started);
                started = System.nanoTime();
                pg.execute("SELECT used FROM " + prefix + "buckets ORDER BY tier DESC, used DESC, expires_at DESC, "
                        + "seq DESC OFFSET 1000000 LIMIT 1");
                report("under traffic: the old cut-off query alone", 0, System.nanoTime() - started);
            }
            stop.set(true);
            traffic.shutdown();
            traffic.awaitTermination(1, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "traffic meanwhile: %,d new bucket rows%n", made.get());
        }
        pg.close();
    }

    private static void report(String what, long rows, long nanos) {
        System.out.printf(Locale.ROOT, "%-50s %,10d rows in %,8.0f ms: %,10.0f rows/s%n", what, rows, nanos / 1e6,
                rows / (nanos / 1e9));
    }
}
