package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits built from scratch keep the IPv6 network budget (issue 29): {@code perIpNetwork} and
 * {@code verifyPerIpNetwork} follow {@code perIp} and {@code verifyPerIp}, four times
 * each count over the same window, unless set or removed explicitly.
 */
final class IpNetworkDerivationTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final TestClock clock = TestClock.atFixedStart();

    @Test
    void perIpAlone_derivesPerIpNetwork_fourTimesEachCount() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(5, MINUTE), Limit.of(30, HOUR)).build();

        assertEquals(List.of(Limit.of(20, MINUTE), Limit.of(120, HOUR)), limits.perIpNetwork());
        assertEquals(List.of(), limits.verifyPerIpNetwork());
    }

    @Test
    void verifyPerIpAlone_derivesVerifyPerIpNetwork_fourTimesEachCount() {
        RateLimits limits = RateLimits.builder().verifyPerIp(Limit.of(30, MINUTE)).build();

        assertEquals(List.of(Limit.of(120, MINUTE)), limits.verifyPerIpNetwork());
        assertEquals(List.of(), limits.perIpNetwork());
    }

    @Test
    void perIpNetwork_setExplicitly_winsInEitherOrder() {
        RateLimits before = RateLimits.builder().perIpNetwork(Limit.of(7, MINUTE)).perIp(Limit.of(5, MINUTE)).build();
        RateLimits after = RateLimits.builder().perIp(Limit.of(5, MINUTE)).perIpNetwork(Limit.of(7, MINUTE)).build();

        assertEquals(List.of(Limit.of(7, MINUTE)), before.perIpNetwork());
        assertEquals(List.of(Limit.of(7, MINUTE)), after.perIpNetwork());
    }

    @Test
    void networkLimits_removedExplicitly_stayRemoved() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(5, MINUTE)).perIpNetwork()
                .verifyPerIp(Limit.of(30, MINUTE)).verifyPerIpNetwork().build();

        assertEquals(List.of(), limits.perIpNetwork());
        assertEquals(List.of(), limits.verifyPerIpNetwork());
        assertEquals(List.of(), limits.toBuilder().perIp(Limit.of(9, MINUTE)).build().perIpNetwork());
    }

    @Test
    void defaults_keepTheirNetworkLimits_andDeriveAgainFromANewPerIp() {
        RateLimits defaults = RateLimits.defaults();

        assertEquals(List.of(Limit.of(20, MINUTE), Limit.of(120, HOUR)), defaults.perIpNetwork());
        assertEquals(List.of(Limit.of(120, MINUTE), Limit.of(1_200, HOUR)), defaults.verifyPerIpNetwork());
        RateLimits stricter = defaults.toBuilder().perIp(Limit.of(2, MINUTE)).build();
        assertEquals(List.of(Limit.of(8, MINUTE)), stricter.perIpNetwork());
        assertEquals(defaults.verifyPerIpNetwork(), stricter.verifyPerIpNetwork());
    }

    @Test
    void derivedCount_isCappedAtTheLargestCount() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(Limit.MAX_COUNT, MINUTE)).build();

        assertEquals(List.of(Limit.of(Limit.MAX_COUNT, MINUTE)), limits.perIpNetwork());
    }

    @Test
    void unlimited_andAnExplicitlyEmptyBuilder_areBothUnlimited() {
        assertTrue(RateLimits.builder().perIpNetwork().verifyPerIpNetwork().build().isUnlimited());
        assertTrue(RateLimits.unlimited().isUnlimited());
    }

    @Test
    void perIpAlone_theSlash64sOfOneSlash48_shareTheDerivedNetworkBudget() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(5, MINUTE)).build();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).rateLimits(limits)
                .widget(widget().build()).build()) {
            int sent = 0;
            for (int subnet = 0; subnet < 1_000; subnet++) { // 1,000 /64s of 2001:db8:1::/48, each with its own 5
                String ip = String.format(Locale.ROOT, "2001:db8:1:%x::1", subnet);
                try {
                    engine.send(SendRequest.builder(WIDGET_ID).phone(String.format(Locale.ROOT, "+1202555%04d", subnet))
                            .userIp(ip).build());
                    sent++;
                } catch (RateLimitException e) {
                    assertEquals(RateLimitException.Scope.IP, e.scope());
                }
            }
            assertEquals(20, sent, "the /48's derived 4 x 5, not 1,000 /64s' 5 each");
        }
    }
}
