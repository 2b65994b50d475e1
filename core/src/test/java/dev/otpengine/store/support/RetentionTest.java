package dev.otpengine.store.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's time as stores keep it, and the retention arithmetic. */
final class RetentionTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00.123456789Z");

    @Test
    void epochNanos_andInstant_roundTripToTheNanosecond_beforeTheEpochToo() {
        assertEquals(T, Retention.instant(Retention.epochNanos(T)));
        Instant before = Instant.parse("1969-12-31T23:59:59.999999999Z");
        assertEquals(-1, Retention.epochNanos(before));
        assertEquals(before, Retention.instant(-1));
    }

    @Test
    void retention_endsAMinuteAfterExpiry_exclusive() {
        Instant expires = T;
        assertEquals(T.plusSeconds(60), Retention.retainedUntil(expires));
        assertTrue(Retention.isRetained(expires, T.plusSeconds(60).minusNanos(1)));
        assertFalse(Retention.isRetained(expires, T.plusSeconds(60)));
    }

    @Test
    void timeToLiveMillis_roundsUp_addsSlack_andIsAtLeastOne() {
        assertEquals(2, Retention.timeToLiveMillis(T.plusNanos(1_000_001), T, Duration.ZERO));
        assertEquals(1_001, Retention.timeToLiveMillis(T.plusMillis(1), T, Duration.ofSeconds(1)));
        assertEquals(1, Retention.timeToLiveMillis(T.minusSeconds(5), T, Duration.ZERO));
        assertEquals("slack must not be negative: PT-1S", assertThrows(IllegalArgumentException.class,
                () -> Retention.timeToLiveMillis(T, T, Duration.ofSeconds(-1))).getMessage());
    }
}
