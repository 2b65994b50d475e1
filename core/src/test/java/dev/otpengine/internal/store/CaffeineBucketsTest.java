package dev.otpengine.internal.store;

import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;

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
}
