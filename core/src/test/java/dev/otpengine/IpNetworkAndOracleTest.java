package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One budget per network, and no free oracle: an IPv6 allocation cannot multiply the per-IP budget, an IPv6 address
 * that carries an IPv4 one counts as that IPv4 address, and a refusal about a recipient is never free to ask for.
 */
final class IpNetworkAndOracleTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();

    private OtpEngine engine(RateLimits limits) {
        return OtpEngine.builder().clock(clock).channel(sms).rateLimits(limits).widget(widget().build()).build();
    }

    private static SendRequest send(int phone, String ip) {
        return SendRequest.builder(WIDGET_ID).phone(String.format(Locale.ROOT, "+1202555%04d", phone)).userIp(ip)
                .build();
    }

    private static Scope refusal(Runnable call) {
        return assertThrows(RateLimitException.class, call::run).scope();
    }

    @Test
    void ipv6_theSlash64sOfOneCustomersSlash56_shareTheNetworksBudget() {
        try (OtpEngine engine = engine(RateLimits.defaults())) {
            int sent = 0;
            for (int subnet = 0; subnet < 256; subnet++) { // every /64 of 2001:db8:1:ab00::/56, each with its own IP budget
                String ip = String.format(Locale.ROOT, "2001:db8:1:ab%02x::1", subnet);
                try {
                    engine.send(send(subnet, ip));
                    sent++;
                } catch (RateLimitException e) {
                    assertEquals(Scope.IP, e.scope());
                }
            }
            // the /48's budget (20 a minute), not 256 × the /64's 5
            assertEquals(20, sent);
        }
    }

    @Test
    void ipv6_networkPrefixes_areConfigurable() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(5, Duration.ofMinutes(1)))
                .perIpNetwork(Limit.of(7, Duration.ofMinutes(1))).ipv6Prefixes(64, 56).build();
        try (OtpEngine engine = engine(limits)) {
            int sent = 0;
            for (int subnet = 0; subnet < 16; subnet++) { // /64s of two /56s: 2001:db8:1:ab00::/56 and ac00::/56
                String ip = String.format(Locale.ROOT, "2001:db8:1:%s%02x::1", subnet % 2 == 0 ? "ab" : "ac", subnet);
                try {
                    engine.send(send(subnet, ip));
                    sent++;
                } catch (RateLimitException e) {
                    assertEquals(Scope.IP, e.scope());
                }
            }
            assertEquals(14, sent, "7 for each /56");
        }
    }

    @Test
    void nat64AndIpv4CompatibleAddresses_countAsTheIpv4AddressTheyCarry() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(2, Duration.ofMinutes(1))).build();
        try (OtpEngine engine = engine(limits)) {
            // two users behind one NAT64 gateway: two IPv4 addresses, two budgets
            engine.send(send(1, "64:ff9b::192.0.2.1"));
            engine.send(send(2, "64:ff9b::192.0.2.1"));
            engine.send(send(3, "64:ff9b::192.0.2.2"));
            engine.send(send(4, "64:ff9b::192.0.2.2"));
            // and the same user, whichever way the address is written
            assertEquals(Scope.IP, refusal(() -> engine.send(send(5, "192.0.2.1"))));
            assertEquals(Scope.IP, refusal(() -> engine.send(send(6, "::192.0.2.2"))));
            assertEquals(Scope.IP, refusal(() -> engine.send(send(7, "::ffff:192.0.2.2"))));
        }
    }

    @Test
    void anIpOutOfSends_learnsNothingAboutARecipient() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(1, Duration.ofMinutes(1)))
                .resendCooldown(Duration.ofSeconds(30)).build();
        try (OtpEngine engine = engine(limits)) {
            engine.send(send(1, "198.51.100.1")); // the victim's phone got a code just now
            engine.send(send(2, "198.51.100.9")); // the attacker spends its IP's one send
            // asking about the victim's phone from the spent IP: the answer is about the IP, not the phone
            assertEquals(Scope.IP, refusal(() -> engine.send(send(1, "198.51.100.9"))));
            assertEquals(Scope.IP, refusal(() -> engine.send(send(3, "198.51.100.9"))));
        }
    }

    @Test
    void aSendRefusedForItsRecipient_costsItsIpACall() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(3, Duration.ofMinutes(1)))
                .resendCooldown(Duration.ofSeconds(30)).build();
        try (OtpEngine engine = engine(limits)) {
            engine.send(send(1, "198.51.100.1"));
            assertEquals(Scope.RESEND_COOLDOWN, refusal(() -> engine.send(send(1, "198.51.100.9"))));
            assertEquals(Scope.RESEND_COOLDOWN, refusal(() -> engine.send(send(1, "198.51.100.9"))));
            engine.send(send(2, "198.51.100.9")); // the third call of the IP's three
            assertEquals(Scope.IP, refusal(() -> engine.send(send(3, "198.51.100.9"))));
        }
    }

    @Test
    void aGuessRefusedForItsRecipient_costsItsIpACall() {
        RateLimits limits = RateLimits.builder().verifyPerIp(Limit.of(4, Duration.ofMinutes(1)))
                .verifyFailuresPerRecipient(Limit.of(1, Duration.ofHours(1))).build();
        try (OtpEngine engine = engine(limits)) {
            UUID first = engine.send(send(1, null)).requestId();
            String code = sms.lastCode().orElseThrow();
            String wrong = code.equals("000000") ? "111111" : "000000";
            assertEquals(VerifyResult.Status.INVALID_CODE,
                    engine.verify(VerifyRequest.builder(first, wrong).userIp("198.51.100.9").build()).status());
            // the recipient's guess budget is spent: two refusals, each costing the IP one of its four calls
            for (int i = 0; i < 2; i++) {
                assertEquals(Scope.VERIFY_FAILURES, assertThrows(RateLimitException.class, () -> engine.verify(
                        VerifyRequest.builder(first, wrong).userIp("198.51.100.9").build())).scope());
            }
            UUID other = engine.send(send(2, null)).requestId();
            String otherCode = sms.lastCode().orElseThrow();
            assertTrue(engine.verify(VerifyRequest.builder(other, otherCode).userIp("198.51.100.9").build())
                    .isVerified(), "the fourth call");
            UUID third = engine.send(send(3, null)).requestId();
            String thirdCode = sms.lastCode().orElseThrow();
            assertEquals(Scope.VERIFY_IP, assertThrows(RateLimitException.class, () -> engine.verify(
                    VerifyRequest.builder(third, thirdCode).userIp("198.51.100.9").build())).scope());
        }
    }
}
