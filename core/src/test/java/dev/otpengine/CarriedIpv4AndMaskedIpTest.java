package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 29's last openings around IP addresses: SIIT, 6to4, Teredo and NAT64's local-use prefix used to get budgets
 * of their own instead of the IPv4 address they carry, and the requests' {@code toString} printed the whole address.
 */
final class CarriedIpv4AndMaskedIpTest {

    private static final String IPV4 = "203.0.113.7";
    /** {@link #IPV4} as each IPv6 form carries it. */
    private static final List<String> CARRIERS = List.of(
            "::ffff:0:203.0.113.7",                       // SIIT
            "2002:cb00:7107::1",                          // 6to4
            "2002:cb00:7107:1234:5678::9",                // 6to4, another /64 of the same site
            "2001:0:4136:e378:8000:f227:34ff:8ef8",       // Teredo, through server 65.54.227.120
            "2001:0:5ef5:79fb:0:1234:34ff:8ef8",          // Teredo, another server and port
            "64:ff9b:1::203.0.113.7",                     // NAT64, local-use prefix
            "64:ff9b:1:ab:0:1:cb00:7107");                // NAT64, another /96 inside the local-use /48

    private final TestClock clock = TestClock.atFixedStart();

    private OtpEngine engine() {
        return OtpEngine.builder().clock(clock).channel(CapturingChannel.sms())
                .rateLimits(RateLimits.builder().perIp(Limit.of(2, Duration.ofMinutes(1))).build())
                .widget(widget().build()).build();
    }

    private static SendRequest send(int phone, String ip) {
        return SendRequest.builder(WIDGET_ID).phone(String.format(Locale.ROOT, "+1202555%04d", phone)).userIp(ip)
                .build();
    }

    @Test
    void ipv6FormsCarryingAnIpv4Address_shareThatAddressesBudget() {
        try (OtpEngine engine = engine()) {
            engine.send(send(1, IPV4));
            engine.send(send(2, IPV4));
            int phone = 3;
            for (String carrier : CARRIERS) {
                int p = phone++;
                assertEquals(Scope.IP, assertThrows(RateLimitException.class, () -> engine.send(send(p, carrier)))
                        .scope(), carrier);
            }
        }
    }

    @Test
    void eachIpv6Form_spendsTheBudgetOfTheIpv4AddressItCarries() {
        for (String carrier : CARRIERS) {
            try (OtpEngine engine = engine()) {
                engine.send(send(1, carrier));
                engine.send(send(2, carrier));
                assertEquals(Scope.IP, assertThrows(RateLimitException.class, () -> engine.send(send(3, IPV4))).scope(),
                        carrier);
            }
        }
    }

    @Test
    void teredoClientsOfOneServer_haveABudgetEach() {
        try (OtpEngine engine = engine()) {
            for (int client = 0; client < 40; client++) { // 40 IPv4 users behind one Teredo server: 2 sends each
                String inverted = String.format(Locale.ROOT, "3fff:%x", 0xfdfe ^ client); // 192.0.2.(1 xor client), inverted
                for (int i = 0; i < 2; i++) {
                    engine.send(send(client * 2 + i, "2001:0:4136:e378:8000:f227:" + inverted));
                }
            }
        }
    }

    @Test
    void sendRequestToString_showsTheIpsNetworkOnly() {
        String ipv4 = SendRequest.builder(WIDGET_ID).email("ann@example.com").userIp(IPV4).build().toString();
        String ipv6 = SendRequest.builder(WIDGET_ID).email("ann@example.com").userIp("2001:db8:1:ab00::7").build()
                .toString();
        String sixToFour = SendRequest.builder(WIDGET_ID).email("ann@example.com").userIp("2002:cb00:7107::1").build()
                .toString();

        assertEquals("SendRequest[widgetId=" + WIDGET_ID + ", recipient=Recipient[email=a***@example.com], "
                + "userIp=203.0.113.0/24, captchaToken=none, locale=null]", ipv4);
        assertEquals("SendRequest[widgetId=" + WIDGET_ID + ", recipient=Recipient[email=a***@example.com], "
                + "userIp=2001:db8:1::/48, captchaToken=none, locale=null]", ipv6);
        assertFalse(sixToFour.contains("cb00:7107") || sixToFour.contains(IPV4), sixToFour);
        assertEquals(Optional.of(IPV4), SendRequest.builder(WIDGET_ID).email("ann@example.com").userIp(IPV4).build()
                .userIp(), "the accessor keeps the whole address");
    }

    @Test
    void verifyRequestToString_showsTheIpsNetworkOnly() {
        UUID requestId = UUID.fromString("00000000-0000-0000-0000-000000000001");

        assertEquals("VerifyRequest[requestId=" + requestId + ", code=<redacted>, userIp=203.0.113.0/24]",
                VerifyRequest.builder(requestId, "123456").userIp(IPV4).build().toString());
        assertEquals("VerifyRequest[requestId=" + requestId + ", code=<redacted>, userIp=2001:db8:1::/48]",
                VerifyRequest.builder(requestId, "123456").userIp("2001:db8:1:ab00::7").build().toString());
        assertEquals("VerifyRequest[requestId=" + requestId + ", code=<redacted>, userIp=null]",
                VerifyRequest.builder(requestId, "123456").build().toString());
    }
}
