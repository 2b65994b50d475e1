package dev.otpengine.internal.store;

import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiers of buckets by load, the bound across them, and buckets dropped once full again. */
final class CaffeineBucketsTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final BucketConfiguration tenPerMinute = BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(10).refillIntervally(10, Duration.ofMinutes(1)).build()).build();

    private CaffeineBuckets buckets(long maxKeys) {
        return new CaffeineBuckets(new ClockTimeMeter(clock), maxKeys, new KeyedHash(new SecureRandom()));
    }

    private static boolean take(CaffeineBuckets buckets, String key, BucketConfiguration config) {
        return buckets.builder().build(key, () -> config).tryConsumeAndReturnRemaining(1).isConsumed();
    }

    /** {@code capacity} calls a window, all back when it ends. */
    private static BucketConfiguration per(long capacity, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, window).build()).build();
    }

    /** Runs {@code task} on {@code threads} threads released at once by a latch; returns what each returned. */
    private static <T> List<T> racing(int threads, Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : running) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void tierOf_doublesFromTierToTier() {
        assertEquals(0, CaffeineBuckets.tierOf(1));
        assertEquals(1, CaffeineBuckets.tierOf(2));
        assertEquals(1, CaffeineBuckets.tierOf(3));
        assertEquals(2, CaffeineBuckets.tierOf(4));
        assertEquals(2, CaffeineBuckets.tierOf(7));
        assertEquals(3, CaffeineBuckets.tierOf(8));
        assertEquals(3, CaffeineBuckets.tierOf(15));
        assertEquals(4, CaffeineBuckets.tierOf(16));
        assertEquals(5, CaffeineBuckets.tierOf(32));
        assertEquals(8, CaffeineBuckets.tierOf(511));
        assertEquals(9, CaffeineBuckets.tierOf(512));
        assertEquals(9, CaffeineBuckets.tierOf(1_000_000));
    }

    @Test
    void flood_neverHoldsMoreThanTheBound_inAnyMixOfLoads() {
        CaffeineBuckets buckets = buckets(1_000);
        for (int i = 0; i < 20_000; i++) {
            for (int call = 0; call <= i % 10; call++) { // loads from 1 to 10
                take(buckets, "key-" + i, tenPerMinute);
            }
        }

        assertTrue(buckets.size() <= 1_000, () -> "held " + buckets.size());
        assertTrue(buckets.size() >= 300, () -> "held " + buckets.size()); // the tiers of 1 to 10 calls are full
        assertEquals(buckets.size(), buckets.indexed(), "the index names exactly the buckets the tiers hold");
    }

    @Test
    void busyBucket_survivesAFloodOfLessBusyOnes_andStaysExact() {
        CaffeineBuckets buckets = buckets(64);
        for (int i = 0; i < 8; i++) {
            assertTrue(take(buckets, "busy", tenPerMinute));
        }
        for (int i = 0; i < 10_000; i++) { // each flood key holds 1 to 3 calls: half the busy one's load at most
            for (int call = 0; call <= i % 3; call++) {
                take(buckets, "flood-" + i, tenPerMinute);
            }
        }

        assertTrue(take(buckets, "busy", tenPerMinute));
        assertTrue(take(buckets, "busy", tenPerMinute));
        assertFalse(take(buckets, "busy", tenPerMinute), "the busy bucket kept its 8 calls through the flood");
    }

    @Test
    void veryBusyBucket_survivesAFloodOfHalfAsBusyOnes() {
        BucketConfiguration thousandAnHour = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(1_000).refillIntervally(1_000, Duration.ofHours(1)).build()).build();
        CaffeineBuckets buckets = buckets(100);
        for (int i = 0; i < 300; i++) {
            assertTrue(take(buckets, "victim", thousandAnHour));
        }
        for (int i = 0; i < 200; i++) { // twice the whole bound in keys, each holding 128 calls (300 / 2 = 150)
            for (int call = 0; call < 128; call++) {
                take(buckets, "flood-" + i, thousandAnHour);
            }
        }

        for (int i = 300; i < 1_000; i++) {
            assertTrue(take(buckets, "victim", thousandAnHour));
        }
        assertFalse(take(buckets, "victim", thousandAnHour), "the victim's 300 calls were kept through the flood");
    }

    @Test
    void bucket_fullAgain_isDropped_byAGiveBackOrByTime() {
        CaffeineBuckets buckets = buckets(64);
        take(buckets, "a", tenPerMinute);
        BucketProxy b = buckets.builder().build("b", () -> tenPerMinute);
        ConsumptionProbe probe = b.tryConsumeAndReturnRemaining(1);
        assertTrue(probe.isConsumed());
        assertEquals(2, buckets.size());

        b.addTokens(1); // given back: full again, so gone at once
        assertEquals(1, buckets.size());

        clock.advance(Duration.ofMinutes(1)); // a whole window later "a" is full again too
        assertEquals(0, buckets.size());
        assertEquals(0, buckets.indexed());
    }

    @Test
    void tinyBound_stillWorks_withOneBucketPerTier() {
        CaffeineBuckets buckets = buckets(1);
        for (int i = 0; i < 100; i++) {
            take(buckets, "k" + i, tenPerMinute);
        }
        assertTrue(buckets.size() <= CaffeineBuckets.TIERS, () -> "held " + buckets.size());
        assertEquals(0, CaffeineBuckets.tierOf(1));
    }

    /**
     * Takes racing give-backs on one bucket: each give-back that fills it drops it, and a take that found it just
     * before must count on the bucket that holds the key afterwards, not on the dropped one. Each thread keeps one
     * call for good halfway through, so exactly one call per thread is left taken.
     */
    @Test
    void racingTakesAndGiveBacks_onABucketDroppedWhenFull_loseNoCall() throws Exception {
        int threads = 8;
        for (int round = 0; round < 20; round++) {
            CaffeineBuckets buckets = buckets(1_000);
            BucketProxy bucket = buckets.builder().build("shared", () -> per(1_000, Duration.ofMinutes(1)));
            racing(threads, () -> {
                for (int i = 0; i < 200; i++) {
                    assertTrue(bucket.tryConsume(1));
                    if (i != 100) {
                        bucket.addTokens(1);
                    }
                }
                return null;
            });
            assertEquals(1_000 - threads, bucket.getAvailableTokens(), "round " + round);
            assertEquals(1, buckets.size(), "round " + round);
        }
    }

    @Test
    void racingTakes_onABucketThatMovesUpTheTiers_areExact() throws Exception {
        CaffeineBuckets buckets = buckets(1_000);
        BucketProxy bucket = buckets.builder().build("climber", () -> per(1_000, Duration.ofMinutes(1)));
        List<Integer> taken = racing(8, () -> {
            int n = 0;
            for (int i = 0; i < 200; i++) {
                n += bucket.tryConsume(1) ? 1 : 0;
            }
            return n;
        });
        assertEquals(1_000, taken.stream().mapToInt(Integer::intValue).sum(),
                "1,600 racing takes, through every tier from the first to the last");
        assertEquals(0, bucket.getAvailableTokens());
        assertEquals(1, buckets.size());
    }

    @Test
    void bucketInUse_staysHeld_untilLeftAloneForItsWholeRefill() {
        CaffeineBuckets buckets = buckets(64);
        BucketConfiguration fivePerHourGreedy = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(5).refillGreedy(5, Duration.ofHours(1)).build()).build();
        BucketProxy bucket = buckets.builder().build("k", () -> fivePerHourGreedy);
        assertTrue(bucket.tryConsume(1)); // at 0: held until 60 min unless used again
        clock.advance(Duration.ofMinutes(50));
        assertTrue(bucket.tryConsume(1)); // at 50 min (a read that finds it held): back, one call a 12 minutes, at 62
        clock.advance(Duration.ofMinutes(11));

        assertEquals(1, buckets.size(), "used 11 minutes ago: still held");
        assertFalse(bucket.tryConsume(5), "and still counting the call taken at 50 min");
        clock.advance(Duration.ofHours(1));
        assertEquals(0, buckets.size(), "left alone an hour: full, so forgotten");
    }

    @Test
    void bucketUsedAsALock_neverLetsTwoIn_thoughDroppedWheneverGivenBack() throws Exception {
        CaffeineBuckets buckets = buckets(1_000);
        BucketProxy bucket = buckets.builder().build("lock", () -> per(1, Duration.ofHours(1)));
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        racing(8, () -> {
            for (int i = 0; i < 20_000; i++) {
                if (bucket.tryConsume(1)) {
                    most.accumulateAndGet(holders.incrementAndGet(), Math::max);
                    Thread.yield(); // hold it a while
                    holders.decrementAndGet();
                    bucket.addTokens(1);
                }
            }
            return null;
        });
        assertEquals(1, most.get(), "holders at once");
        assertEquals(1, bucket.getAvailableTokens());
    }

    /**
     * The race the dead mark is for, made to happen: a take finds the bucket, and before it runs, the bucket's last
     * call is given back on another thread, so it is full and dropped. The take must then count on a bucket a tier
     * holds, or the next caller would find none and get a fresh, full one: two calls through a limit of one.
     */
    @Test
    void takeThatFoundABucketDroppedBeforeItRan_countsOnTheBucketThatHoldsTheKeyNow() throws Exception {
        BucketConfiguration one = per(1, Duration.ofHours(1));
        ClockTimeMeter meter = new ClockTimeMeter(clock);
        Thread[] armedFor = new Thread[1];
        int[] reads = new int[1];
        Runnable[] hook = new Runnable[1];
        TimeMeter hooked = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                if (Thread.currentThread() == armedFor[0] && ++reads[0] == 2) { // Caffeine's read in getIfPresent
                    armedFor[0] = null;
                    hook[0].run();
                }
                return meter.currentTimeNanos();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        CaffeineBuckets buckets = new CaffeineBuckets(hooked, 1_000, new KeyedHash(new SecureRandom()));
        BucketProxy bucket = buckets.builder().build("lock", () -> one);
        assertTrue(bucket.tryConsume(1));
        boolean[] ran = new boolean[1];
        hook[0] = () -> {
            Thread giver = new Thread(() -> bucket.addTokens(1)); // full again: dropped
            giver.start();
            try {
                giver.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ran[0] = true;
        };
        armedFor[0] = Thread.currentThread();

        assertTrue(bucket.tryConsume(1), "the given-back call is free again");
        assertTrue(ran[0], "the give-back ran between the lookup and the take");
        assertFalse(bucket.tryConsume(1), "and the take counted: the limit of one holds");
    }

    /**
     * A read never brings a bucket's expiry earlier: after a take at 125 s (its call back at the 180 s boundary), the
     * clock steps back to 100 s and the bucket is read there; at 170 s the take must still count.
     */
    @Test
    void readAfterTheClockSteppedBack_doesNotCutTheBucketsLifeShort() {
        AtomicLong nanos = new AtomicLong();
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        BucketConfiguration onePerMinute = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(1)
                .refillIntervallyAligned(1, Duration.ofMinutes(1), Instant.ofEpochMilli(60_000)).build()).build();
        CaffeineBuckets buckets = new CaffeineBuckets(meter, 1_000, new KeyedHash(new SecureRandom()));
        BucketProxy bucket = buckets.builder().build("k", () -> onePerMinute);
        nanos.set(Duration.ofSeconds(125).toNanos());
        assertTrue(bucket.tryConsume(1));

        nanos.set(Duration.ofSeconds(100).toNanos()); // stepped back
        assertEquals(0, bucket.getAvailableTokens());
        nanos.set(Duration.ofSeconds(170).toNanos());

        assertFalse(bucket.tryConsume(1), "the call taken at 125 s comes back at 180 s");
    }

    /**
     * Four threads take and give back on keys from a space ten times the bound, so that buckets are created, moved up,
     * dropped when full and evicted all at once; afterwards the index names exactly what the tiers hold (a bucket the
     * index kept after its tier let it go would be memory never given back).
     */
    @Test
    void racingFloodOfTakesAndGiveBacks_leavesTheIndexEqualToTheTiers() throws Exception {
        CaffeineBuckets buckets = buckets(500);
        BucketConfiguration tenAMinute = per(10, Duration.ofMinutes(1));
        racing(4, () -> {
            SplittableRandom random = new SplittableRandom();
            for (int i = 0; i < 50_000; i++) {
                BucketProxy bucket = buckets.builder().build("k" + random.nextInt(5_000), () -> tenAMinute);
                if (bucket.tryConsume(1 + random.nextInt(3)) && random.nextBoolean()) {
                    bucket.addTokens(1 + random.nextInt(3));
                }
            }
            return null;
        });

        assertTrue(buckets.size() <= 500, () -> "held " + buckets.size());
        assertEquals(buckets.size(), buckets.indexed(), "the index names exactly the buckets the tiers hold");
    }
}
