package dev.otpengine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Limit} and {@link RateLimits} as values: what they accept, what they refuse and say, the defaults. */
final class RateLimitsTest {

    private static String refusal(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    @Test
    void limit_outOfRange_isRefusedNamingTheValue() {
        assertEquals("count must be from 1 to 1000000000: 0", refusal(() -> Limit.of(0, ofMinutes(1))));
        assertEquals("count must be from 1 to 1000000000: 1000000001", refusal(() -> Limit.of(1_000_000_001, ofMinutes(1))));
        assertEquals("window must be from PT1S to PT8784H: PT0.999S", refusal(() -> Limit.of(1, Duration.ofMillis(999))));
        assertEquals("window must be from PT1S to PT8784H: PT8784H0.001S",
                refusal(() -> Limit.of(1, ofDays(366).plusMillis(1))));
        assertEquals("window must be from PT1S to PT8784H: PT-1M", refusal(() -> Limit.of(1, ofMinutes(-1))));
        assertEquals("window must be a whole number of milliseconds: PT1.0000001S",
                refusal(() -> Limit.of(1, ofSeconds(1).plusNanos(100))));
        assertEquals("window", assertThrows(NullPointerException.class, () -> Limit.of(1, null)).getMessage());
    }

    @Test
    void limit_isAValue() {
        assertEquals(Limit.of(5, ofMinutes(10)), new Limit(5, ofMinutes(10)));
        assertEquals("5 per PT10M", Limit.of(5, ofMinutes(10)).toString());
    }

    @Test
    void builder_startsFromNoLimits() {
        RateLimits none = RateLimits.builder().build();

        assertEquals(List.of(), none.perWidget());
        assertEquals(List.of(), none.perIp());
        assertEquals(List.of(), none.perRecipient());
        assertEquals(Duration.ZERO, none.resendCooldown());
        assertEquals(List.of(), none.verifyPerIp());
        assertEquals(List.of(), none.verifyFailuresPerRecipient());
        assertTrue(none.isUnlimited());
        assertEquals(RateLimits.unlimited(), none);
    }

    @Test
    void defaults_areTheDocumentedOnes() {
        RateLimits d = RateLimits.defaults();

        assertEquals(List.of(Limit.of(100, ofMinutes(1)), Limit.of(1_000, ofHours(1))), d.perWidget());
        assertEquals(List.of(Limit.of(5, ofMinutes(1)), Limit.of(30, ofHours(1))), d.perIp());
        assertEquals(List.of(Limit.of(5, ofHours(1)), Limit.of(10, ofDays(1))), d.perRecipient());
        assertEquals(ofSeconds(30), d.resendCooldown());
        assertEquals(List.of(Limit.of(30, ofMinutes(1)), Limit.of(300, ofHours(1))), d.verifyPerIp());
        assertEquals(List.of(Limit.of(10, ofHours(1)), Limit.of(20, ofDays(1))), d.verifyFailuresPerRecipient());
        assertFalse(d.isUnlimited());
    }

    @Test
    void toBuilder_changesOneScopeAndKeepsTheRest() {
        RateLimits tuned = RateLimits.defaults().toBuilder().perIp(Limit.of(50, ofMinutes(1))).build();

        assertEquals(List.of(Limit.of(50, ofMinutes(1))), tuned.perIp());
        assertEquals(RateLimits.defaults().perRecipient(), tuned.perRecipient());
        assertNotEquals(RateLimits.defaults(), tuned);
        assertEquals(RateLimits.defaults(), RateLimits.defaults().toBuilder().build());
        assertEquals(RateLimits.defaults().hashCode(), RateLimits.defaults().toBuilder().build().hashCode());
        assertEquals(List.of(), RateLimits.defaults().toBuilder().perIp().build().perIp(), "no limits removes the scope");
    }

    @Test
    void builder_twoLimitsWithOneWindow_isRefusedNamingTheScope() {
        assertEquals("perIp has two limits with window PT1M: [5 per PT1M, 9 per PT1M]",
                refusal(() -> RateLimits.builder().perIp(Limit.of(5, ofMinutes(1)), Limit.of(9, ofMinutes(1)))));
        assertEquals("verifyFailuresPerRecipient limit", assertThrows(NullPointerException.class,
                () -> RateLimits.builder().verifyFailuresPerRecipient(Limit.of(1, ofMinutes(1)), null)).getMessage());
        assertEquals("perWidget", assertThrows(NullPointerException.class,
                () -> RateLimits.builder().perWidget((Limit[]) null)).getMessage());
    }

    @Test
    void resendCooldown_outOfRange_isRefused() {
        assertEquals("resendCooldown must be from PT0S to PT24H: PT-1S",
                refusal(() -> RateLimits.builder().resendCooldown(ofSeconds(-1))));
        assertEquals("resendCooldown must be from PT0S to PT24H: PT24H0.001S",
                refusal(() -> RateLimits.builder().resendCooldown(ofDays(1).plusMillis(1))));
        assertEquals("resendCooldown must be a whole number of milliseconds: PT0.0000001S",
                refusal(() -> RateLimits.builder().resendCooldown(Duration.ofNanos(100))));
        assertEquals("cooldown", assertThrows(NullPointerException.class,
                () -> RateLimits.builder().resendCooldown(null)).getMessage());
    }

    @Test
    void widget_allowedCallingCodes_outOfRange_isRefused() {
        assertEquals("a country calling code must be from 1 to 999: 0",
                refusal(() -> Fixtures.widget().allowedCallingCodes(7, 0)));
        assertEquals("a country calling code must be from 1 to 999: 1000",
                refusal(() -> Fixtures.widget().allowedCallingCodes(1000)));
        assertTrue(Fixtures.widget().allowedCallingCodes(7).allowedCallingCodes().build().allowedCallingCodes().isEmpty(),
                "no codes allows every country again");
    }

    @Test
    void widget_keepsItsLimitsAndCodesThroughToBuilder() {
        RateLimits own = RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build();
        Widget w = Fixtures.widget().rateLimits(own).allowedCallingCodes(44, 7).build();

        Widget copy = w.toBuilder().build();

        assertEquals(own, copy.rateLimits().orElseThrow());
        assertEquals(List.of(7, 44), List.copyOf(copy.allowedCallingCodes()));
        assertTrue(Fixtures.widget().build().rateLimits().isEmpty());
        assertTrue(w.toString().contains("allowedCallingCodes=[7, 44]"), w.toString());
    }

    @Test
    void engineBuilder_badRateLimitSettings_areRefused() {
        assertEquals("maxRateLimitKeys must be from 1 to 1048576: 0",
                refusal(() -> OtpEngine.builder().maxRateLimitKeys(0)));
        assertEquals("maxRateLimitKeys must be from 1 to 1048576: 1048577",
                refusal(() -> OtpEngine.builder().maxRateLimitKeys(OtpEngine.MAX_RATE_LIMIT_KEYS + 1)));
        assertEquals("rateLimits", assertThrows(NullPointerException.class,
                () -> OtpEngine.builder().rateLimits(null)).getMessage());
        assertEquals("rateLimits", assertThrows(NullPointerException.class,
                () -> Fixtures.widget().rateLimits(null)).getMessage());
    }

    @Test
    void readme_tuningExample_changesWhatItNamesAndKeepsTheRest() {
        RateLimits busy = RateLimits.defaults().toBuilder()
                .perWidget(Limit.of(1_000, Duration.ofMinutes(1)), Limit.of(20_000, Duration.ofHours(1)))
                .perIp(Limit.of(20, Duration.ofMinutes(1)), Limit.of(200, Duration.ofHours(1))) // users behind carrier NAT
                .build();

        assertEquals(List.of(Limit.of(20, ofMinutes(1)), Limit.of(200, ofHours(1))), busy.perIp());
        assertEquals(RateLimits.defaults().resendCooldown(), busy.resendCooldown());
        assertEquals(RateLimits.defaults().verifyFailuresPerRecipient(), busy.verifyFailuresPerRecipient());
    }
}
