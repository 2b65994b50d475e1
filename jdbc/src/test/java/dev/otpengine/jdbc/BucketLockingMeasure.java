package dev.otpengine.jdbc;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bucket4j core's two PostgreSQL-able proxy managers side by side, on the embedded PostgreSQL: the store's
 * select-for-update one ({@link JdbcBuckets}) and a transaction-scoped advisory lock ({@link AdvisoryLockBuckets}).
 * For each: exactness (24 threads take from one bucket of 5: exactly 5 pass), then tryConsume calls per second on new
 * keys (each call a new bucket, as a login's IP and phone are) and on one hot key (a widget's bucket), with 1 and 2
 * threads.
 * Not a test (no assertion on time): a program; BENCHMARKS.md ("Bucket4j on PostgreSQL") has the command.
 */
public final class BucketLockingMeasure {

    private static final int CALLS = 2_000;

    private BucketLockingMeasure() {
    }

    /** @param args none */
    public static void main(String[] args) throws Exception {
        Postgres pg = Postgres.shared();
        Schema schema = new Schema(pg.newSchema());
        Connections connections = new Connections(pg.first(), Duration.ofSeconds(2), Duration.ofSeconds(30), "measure");
        TimeMeter clock = TimeMeter.SYSTEM_NANOTIME;
        List<ProxyManager<String>> managers = List.of(new JdbcBuckets(connections, schema, dev.otpengine.RateLimitException.Scope.IP, clock),
                new AdvisoryLockBuckets(connections, schema, clock));
        String[] names = {"select-for-update", "advisory-lock"};
        BucketConfiguration five = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(5).refillIntervally(5, Duration.ofHours(1))).build();
        BucketConfiguration many = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(Long.MAX_VALUE / 4).refillIntervally(1, Duration.ofHours(1))).build();
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT and the server's caches
            for (int mm = 0; mm < managers.size(); mm++) {
                final int m = mm;
                final int r = round;
                ProxyManager<String> pm = managers.get(m);
                int passed = race(pm, names[m] + "-race-" + round, five);
                StringBuilder line = new StringBuilder(String.format("%-18s race of 24 on a bucket of 5: %d passed", names[m],
                        passed));
                for (int threads = 1; threads <= 2; threads++) {
                    line.append(String.format(", new keys %d thr: %6.0f/s", threads,
                            rate(pm, threads, i -> names[m] + r + "-new-" + i, five)));
                    line.append(String.format(", hot key %d thr: %6.0f/s", threads,
                            rate(pm, threads, i -> names[m] + r + "-hot", many)));
                }
                if (round == 1) {
                    System.out.println(line);
                }
            }
        }
        connections.close();
        pg.close();
    }

    private static int race(ProxyManager<String> pm, String key, BucketConfiguration config) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(24);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger passed = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            all.add(pool.submit(() -> {
                gate.await();
                if (pm.builder().build(key, () -> config).tryConsume(1)) {
                    passed.incrementAndGet();
                }
                return null;
            }));
        }
        gate.countDown();
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
        return passed.get();
    }

    private static double rate(ProxyManager<String> pm, int threads, java.util.function.IntFunction<String> key,
                               BucketConfiguration config) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < CALLS; i = next.getAndIncrement()) {
                    pm.builder().build(key.apply(i), () -> config).tryConsume(1);
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
        return CALLS / ((System.nanoTime() - start) / 1e9);
    }
}
