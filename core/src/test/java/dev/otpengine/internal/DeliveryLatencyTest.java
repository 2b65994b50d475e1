package dev.otpengine.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeliveryLatencyTest {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    @Test
    void beforeAnySample_aWithheldSendWaitsTheDefaultDraw_aTestRecipientsNothing_andEachWidgetHasItsOwn() {
        DeliveryLatency latency = new DeliveryLatency();
        assertEquals(Duration.ZERO, latency.mimic(WIDGET, true, false));
        for (int i = 0; i < 200; i++) {
            Duration wait = latency.mimic(WIDGET, true, true);
            assertTrue(wait.compareTo(DeliveryLatency.DEFAULT_LEAST) >= 0
                    && wait.compareTo(DeliveryLatency.DEFAULT_MOST) <= 0, wait.toString());
        }
        latency.record(WIDGET, true, Duration.ofMillis(400).toNanos());
        assertEquals(Duration.ZERO, latency.mimic(UUID.randomUUID(), true, false));
    }

    @Test
    void theWait_isOneOfTheRecentLatencies_drawnAtRandom_theOldestForgottenPastTheRing() {
        DeliveryLatency latency = new DeliveryLatency();
        latency.record(WIDGET, true, Duration.ofMillis(5).toNanos()); // pushed out below
        for (int i = 1; i <= DeliveryLatency.SAMPLES; i++) {
            latency.record(WIDGET, true, Duration.ofMillis(100L * i).toNanos());
        }
        latency.record(WIDGET, true, -5); // a clock stepped back: ignored
        Set<Long> drawn = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            drawn.add(latency.mimic(WIDGET, true, true).toMillis());
        }
        assertEquals(DeliveryLatency.SAMPLES, drawn.size(), "every recent latency is drawn: " + drawn);
        assertTrue(drawn.stream().allMatch(ms -> ms % 100 == 0 && ms >= 100 && ms <= 3_200), drawn.toString());
    }

    @Test
    void sendsToAPhone_andOtherSends_haveRingsOfTheirOwn() {
        DeliveryLatency latency = new DeliveryLatency();
        latency.record(WIDGET, true, Duration.ofMillis(700).toNanos());
        for (int i = 0; i < 40; i++) {
            latency.record(WIDGET, false, Duration.ofMillis(15).toNanos()); // free emails do not set a phone's wait
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ofMillis(700), latency.mimic(WIDGET, true, true));
        }
        assertEquals(Duration.ofMillis(15), latency.mimic(WIDGET, false, true));
    }

    @Test
    void aLatencyAboveTenSeconds_countsAsTen() {
        DeliveryLatency latency = new DeliveryLatency();
        latency.record(WIDGET, true, Duration.ofMinutes(5).toNanos());
        assertEquals(Duration.ofSeconds(10), latency.mimic(WIDGET, true, false));
    }
}
