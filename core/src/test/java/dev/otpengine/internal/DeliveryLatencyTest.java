package dev.otpengine.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DeliveryLatencyTest {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    @Test
    void noAcceptedSendYet_noWait_andEachWidgetHasItsOwnMean() {
        DeliveryLatency latency = new DeliveryLatency();
        assertEquals(Duration.ZERO, latency.mimic(WIDGET));
        latency.record(WIDGET, Duration.ofMillis(400).toNanos());
        assertEquals(Duration.ZERO, latency.mimic(UUID.randomUUID()));
    }

    @Test
    void theWait_isDrawnFromThreeQuartersToFiveQuartersOfTheMean_whichWeighsEachNewLatencyATenth() {
        DeliveryLatency latency = new DeliveryLatency();
        latency.record(WIDGET, Duration.ofMillis(400).toNanos()); // the first sets the mean
        latency.record(WIDGET, Duration.ofMillis(1_400).toNanos()); // 400 + (1400 - 400) / 10 = 500
        latency.record(WIDGET, -5); // a clock stepped back: ignored
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 2_000; i++) {
            long wait = latency.mimic(WIDGET).toMillis();
            least = Math.min(least, wait);
            most = Math.max(most, wait);
        }
        assertTrue(least >= 375 && least < 400, "least " + least);
        assertTrue(most <= 625 && most > 600, "most " + most);
    }

    @Test
    void aLatencyAboveTenSeconds_countsAsTen() {
        DeliveryLatency latency = new DeliveryLatency();
        latency.record(WIDGET, Duration.ofMinutes(5).toNanos());
        assertTrue(latency.mimic(WIDGET).compareTo(Duration.ofMillis(12_500)) <= 0);
    }
}
