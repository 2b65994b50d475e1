package dev.otpengine.internal;

import dev.otpengine.OtpListener;
import dev.otpengine.Limit;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.Widget;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limiter's buckets, in the in-process store, stay within their bound under a flood of distinct keys, keep a busy
 * counter through it, and empty out once idle. Core's tests run with {@code -Xmx512m}, so the flood also shows that
 * the bounded tables fit there.
 */
final class RateLimiterTest {

    private static final int FLOOD = 1_000_000;
    private static final long MAX_KEYS = dev.otpengine.OtpEngine.DEFAULT_MAX_RATE_LIMIT_KEYS;

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-22T10:00:00Z"));
    private final Widget widget = Widget.builder(UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc")).name("Acme").build();

    /** The i-th of 2^32 IPv4 addresses. */
    static String ip(int i) {
        return ((i >>> 24) & 0xff) + "." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff);
    }

    static String phone(int i) {
        return String.format(Locale.ROOT, "+7999%07d", i);
    }

    private InProcessStore store;

    private RateLimiter limiter(RateLimits limits, long maxKeys) {
        store = new InProcessStore(clock, 1_000, maxKeys);
        return new RateLimiter(limits, store, clock, OtpListener.NONE);
    }

    private Map<Scope, Long> sizes() {
        return store.bucketsHeld();
    }

    @Test
    void floodOfDistinctIpsAndRecipients_leavesEveryTableWithinItsBound_keepsABusyCounter_andIdleKeysExpire() {
        // the toll-fraud guard off: every phone of the flood is in one country, which it would cut off after 50
        RateLimiter limiter = limiter(RateLimits.defaults().toBuilder().countryConversion(null).build(), MAX_KEYS);
        String busyIp = "192.0.2.1";
        for (int i = 0; i < 20; i++) { // the default 30 verifications a minute per IP: 20 spent before the flood
            limiter.beforeVerify(null, null, null, busyIp, false);
        }
        int refused = 0;
        for (int i = 0; i < FLOOD; i++) {
            try {
                limiter.beforeSend(widget, Recipient.ofPhone(phone(i)), ip(i), false);
            } catch (RateLimitException e) {
                refused++;
            }
            limiter.beforeVerify(null, null, null, ip(i), false);
        }
        assertEquals(FLOOD - 100, refused, "the widget's 100 per minute let the first 100 through");

        Map<Scope, Long> sizes = sizes();
        for (Map.Entry<Scope, Long> table : sizes.entrySet()) {
            assertTrue(table.getValue() <= MAX_KEYS, table.getKey() + " holds " + table.getValue());
        }
        // A send the widget limit refused gave its IP token back, and a counter full again is dropped: only the
        // 100 IPs whose sends passed are still counted.
        assertEquals(100, sizes.get(Scope.IP));
        // The verify IPs, each used once, fill their tier (a tenth of the bound) and no more.
        assertTrue(sizes.get(Scope.VERIFY_IP) >= MAX_KEYS / 10 && sizes.get(Scope.VERIFY_IP) <= MAX_KEYS / 10 + 1,
                () -> "verify IPs held: " + sizes.get(Scope.VERIFY_IP));
        assertEquals(1, sizes.get(Scope.WIDGET));
        Runtime rt = Runtime.getRuntime();
        assertTrue(rt.totalMemory() - rt.freeMemory() < rt.maxMemory(), "within the heap, by construction");

        for (int i = 20; i < 30; i++) { // the busy IP's counter survived: 10 more pass, the 31st is refused
            limiter.beforeVerify(null, null, null, busyIp, false);
        }
        RateLimitException e = assertThrows(RateLimitException.class, () -> limiter.beforeVerify(null, null, null, busyIp, false));
        assertEquals(Scope.VERIFY_IP, e.scope());

        clock.advance(Duration.ofDays(1));
        sizes().forEach((scope, size) -> assertEquals(0L, size, scope + " still holds keys"));
    }

    @Test
    void floodOfKeysUsedTwice_cannotPushOutABusierCounter() {
        RateLimiter limiter = limiter(RateLimits.defaults(), MAX_KEYS);
        String victim = "192.0.2.1";
        for (int i = 0; i < 30; i++) { // the verify-IP limit of 30 a minute, spent
            limiter.beforeVerify(null, null, null, victim, false);
        }
        for (int i = 0; i < 2 * (int) MAX_KEYS; i++) { // each flood IP used twice: more keys than the whole bound
            limiter.beforeVerify(null, null, null, ip(i), false);
            limiter.beforeVerify(null, null, null, ip(i), false);
        }

        RateLimitException e = assertThrows(RateLimitException.class, () -> limiter.beforeVerify(null, null, null, victim, false));
        assertEquals(Scope.VERIFY_IP, e.scope());
    }

    @Test
    void floodOfPhonesSentTwice_cannotResetAVictimPhonesBudget() {
        RateLimiter limiter = limiter(RateLimits.builder()
                .perRecipient(Limit.of(5, Duration.ofHours(1)), Limit.of(10, Duration.ofDays(1))).build(), MAX_KEYS);
        Recipient victim = Recipient.ofPhone("+12025550162");
        for (int hour = 0; hour < 2; hour++) { // 10 a day, over two hours
            for (int i = 0; i < 5; i++) {
                limiter.beforeSend(widget, victim, null, false);
            }
            clock.advance(Duration.ofHours(1));
        }
        for (int i = 0; i < 2 * (int) MAX_KEYS; i++) {
            limiter.beforeSend(widget, Recipient.ofPhone(phone(i)), null, false);
            limiter.beforeSend(widget, Recipient.ofPhone(phone(i)), null, false);
        }

        RateLimitException e = assertThrows(RateLimitException.class, () -> limiter.beforeSend(widget, victim, null, false));
        assertEquals(Scope.RECIPIENT, e.scope());
    }

    @Test
    void rightGuesses_leaveNoGuessBudgetCounter_andWrongOnesStay() {
        RateLimiter limiter = limiter(RateLimits.defaults(), MAX_KEYS);
        for (int i = 0; i < 1_000; i++) {
            limiter.beforeVerify(widget.id(), widget, Recipient.ofPhone(phone(i)), null, false)
                    .settle(dev.otpengine.VerifyResult.Status.VERIFIED);
        }
        assertEquals(0L, sizes().get(Scope.VERIFY_FAILURES));

        limiter.beforeVerify(widget.id(), widget, Recipient.ofPhone(phone(0)), null, false)
                .settle(dev.otpengine.VerifyResult.Status.INVALID_CODE);
        assertEquals(1L, sizes().get(Scope.VERIFY_FAILURES));
    }

    @Test
    void counterLeftAloneUntilFull_isForgotten_andAKeyStartsAfreshWhenItsLimitsChange() {
        RateLimiter limiter = limiter(RateLimits.builder().perIp(Limit.of(1, Duration.ofMinutes(1))).build(), 10);
        limiter.beforeSend(widget, Recipient.ofPhone(phone(0)), "203.0.113.7", false);
        assertEquals(1L, sizes().get(Scope.IP));

        clock.advance(Duration.ofMinutes(1).minusNanos(1));
        assertThrows(RateLimitException.class, () -> limiter.beforeSend(widget, Recipient.ofPhone(phone(0)), "203.0.113.7", false));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0L, sizes().get(Scope.IP), "idle a whole window: full again, so forgotten");

        limiter.beforeSend(widget, Recipient.ofPhone(phone(0)), "203.0.113.7", false);
        Widget tighter = widget.toBuilder().rateLimits(RateLimits.builder().perIp(Limit.of(2, Duration.ofMinutes(1))).build())
                .build();
        limiter.beforeSend(tighter, Recipient.ofPhone(phone(0)), "203.0.113.7", false);
        limiter.beforeSend(tighter, Recipient.ofPhone(phone(0)), "203.0.113.7", false);
        assertThrows(RateLimitException.class, () -> limiter.beforeSend(tighter, Recipient.ofPhone(phone(0)), "203.0.113.7", false));
    }
}
