package dev.otpengine.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class TestClockTest {

    @Test
    void atFixedStart_standsStillUntilMoved() {
        TestClock clock = TestClock.atFixedStart();

        assertEquals(Instant.parse("2026-01-01T09:00:00Z"), clock.instant());
        assertEquals(clock.instant().toEpochMilli(), clock.millis());
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertEquals(Instant.parse("2026-01-01T09:02:00.000000001Z"),
                clock.advance(Duration.ofMinutes(2).plusNanos(1)));
        assertEquals(Instant.parse("2026-01-01T09:02:00.000000001Z"), clock.instant());
    }

    @Test
    void set_movesForward_andZoneViewsShareTheTime() {
        TestClock clock = TestClock.at(Instant.parse("2030-05-01T00:00:00Z"));
        TestClock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));

        clock.set(Instant.parse("2030-05-02T00:00:00Z"));
        berlin.advance(Duration.ofHours(1));

        assertEquals(Instant.parse("2030-05-02T01:00:00Z"), clock.instant());
        assertEquals(ZoneId.of("Europe/Berlin"), berlin.getZone());
        assertEquals("TestClock[2030-05-02T01:00:00Z, Europe/Berlin]", berlin.toString());
    }

    @Test
    void timeNeverGoesBack() {
        TestClock clock = TestClock.atFixedStart();

        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> clock.advance(Duration.ofSeconds(-1)));
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class,
                () -> clock.set(Instant.parse("2025-12-31T23:59:59Z")));

        assertEquals("step must not be negative (time only moves forward): PT-1S", step.getMessage());
        assertEquals("instant must not be before the clock's time 2026-01-01T09:00:00Z (time only moves forward): "
                + "2025-12-31T23:59:59Z", set.getMessage());
        assertEquals(Instant.parse(TestClock.FIXED_START), clock.instant());
    }

    @Test
    void nulls_areNamed() {
        TestClock clock = TestClock.atFixedStart();
        assertEquals("start", assertThrows(NullPointerException.class, () -> TestClock.at(null)).getMessage());
        assertEquals("step", assertThrows(NullPointerException.class, () -> clock.advance(null)).getMessage());
        assertEquals("instant", assertThrows(NullPointerException.class, () -> clock.set(null)).getMessage());
        assertEquals("zone", assertThrows(NullPointerException.class, () -> clock.withZone(null)).getMessage());
    }

    @Test
    void arbitraries_refuseBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OtpArbitraries.phonesWithCallingCode(1000));
        assertEquals("callingCode must be from 1 to 999: 1000", e.getMessage());
        assertEquals("widget", assertThrows(NullPointerException.class, () -> OtpArbitraries.codes(null)).getMessage());
    }
}
