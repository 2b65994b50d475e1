package dev.otpengine;

import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.IP;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test recipients: a fixed code and no delivery for the listed addresses only, every other rule unchanged, off
 * unless configured, and announced at WARN.
 */
final class TestRecipientTest {

    private static final String REVIEWER = "+15005550006";
    private static final String REVIEWER_EMAIL = "Reviewer@Example.com";

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();

    private OtpEngine engine(Widget widget, RateLimits limits) {
        return OtpEngine.builder().clock(clock).rateLimits(limits).channel(sms).channel(email).widget(widget).build();
    }

    private static Widget reviewerWidget() {
        return widget().testRecipient(REVIEWER, "424242").testRecipient(REVIEWER_EMAIL, "424242").build();
    }

    @Test
    void send_toTestPhone_storesFixedCodeAndDeliversNothing() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult sent = engine.send(WIDGET_ID.toString(), "+1 500 555 0006", IP);

            // as a real send would answer: the sms channel accepted (nothing was handed to a provider)
            assertEquals(List.of(new Delivery("sms", Delivery.Status.ACCEPTED, null, null)), sent.deliveries());
            assertEquals(clock.instant().plus(Widget.DEFAULT_TTL), sent.expiresAt());
            assertTrue(sms.messages().isEmpty());
            assertTrue(email.messages().isEmpty());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), "424242").status());
        }
    }

    @Test
    void send_toTestEmail_matchesItNormalized() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult sent = engine.send(WIDGET_ID.toString(), "reviewer@example.COM", IP);

            assertEquals(List.of(new Delivery("email", Delivery.Status.ACCEPTED, null, null)), sent.deliveries());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), "424242").status());
        }
    }

    @Test
    void send_toTestPhoneAndTestEmail_withOneCode_isOneTestSend() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult sent = engine.send(SendRequest.builder(WIDGET_ID).phone(REVIEWER).email(REVIEWER_EMAIL).build());

            assertEquals(List.of("sms", "email"), sent.deliveries().stream().map(Delivery::channelId).toList());
            assertTrue(sms.messages().isEmpty() && email.messages().isEmpty());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), "424242").status());
        }
    }

    @Test
    void send_toRealRecipient_ofWidgetWithTestRecipients_isDeliveredWithRandomCode() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult sent = engine.send(Fixtures.toPhone());

            assertEquals(1, sent.deliveries().size());
            assertEquals(1, sms.messages().size());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
        }
    }

    @Test
    void send_toTestRecipient_ofWidgetWithoutTestRecipients_isDelivered() {
        try (OtpEngine engine = engine(widget().build(), RateLimits.unlimited())) {
            engine.send(WIDGET_ID.toString(), REVIEWER, IP);

            assertEquals(1, sms.messages().size());
        }
    }

    @Test
    void send_pairingATestAddressWithARealOne_isARealSend_soItCannotTellTheTestRecipient() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult paired = engine.send(SendRequest.builder(WIDGET_ID).phone(REVIEWER).email(EMAIL).build());
            String code = email.lastCode().orElseThrow();

            // a random code, delivered to both addresses, exactly as when neither is a test recipient
            assertEquals(List.of("sms", "email"), paired.deliveries().stream().map(Delivery::channelId).toList());
            assertEquals(code, sms.lastCode().orElseThrow());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(paired.requestId(), code).status());
        }
    }

    @Test
    void send_toTestAddressesWithDifferentCodes_isARealSend() {
        Widget w = widget().testRecipient(REVIEWER, "111111").testRecipient(REVIEWER_EMAIL, "222222").build();
        try (OtpEngine engine = engine(w, RateLimits.unlimited())) {
            SendResult sent = engine.send(SendRequest.builder(WIDGET_ID).phone(REVIEWER).email(REVIEWER_EMAIL).build());

            assertEquals(2, sent.deliveries().size());
            assertEquals(1, sms.messages().size());
            assertEquals(VerifyResult.Status.VERIFIED,
                    engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
        }
    }

    @Test
    void testCode_keepsAttemptsAndExpiry() {
        Widget w = widget().maxAttempts(2).ttl(Duration.ofMinutes(1)).testRecipient(REVIEWER, "424242").build();
        try (OtpEngine engine = engine(w, RateLimits.unlimited())) {
            SendResult first = engine.send(WIDGET_ID.toString(), REVIEWER, IP);
            engine.verify(first.requestId(), "000000");
            engine.verify(first.requestId(), "000001");
            assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, engine.verify(first.requestId(), "424242").status());

            SendResult second = engine.send(WIDGET_ID.toString(), REVIEWER, IP);
            clock.advance(Duration.ofMinutes(1));
            assertEquals(VerifyResult.Status.EXPIRED, engine.verify(second.requestId(), "424242").status());
        }
    }

    @Test
    void testSend_withdrawsPreviousTestCode() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.unlimited())) {
            SendResult first = engine.send(WIDGET_ID.toString(), REVIEWER, IP);
            SendResult second = engine.send(WIDGET_ID.toString(), REVIEWER, IP);

            assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(first.requestId(), "424242").status());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(second.requestId(), "424242").status());
        }
    }

    @Test
    void testSend_passesTheRateLimits() {
        try (OtpEngine engine = engine(reviewerWidget(), RateLimits.defaults())) {
            engine.send(WIDGET_ID.toString(), REVIEWER, IP);

            RateLimitException e = assertThrows(RateLimitException.class,
                    () -> engine.send(WIDGET_ID.toString(), REVIEWER, IP));
            assertEquals(RateLimitException.Scope.RESEND_COOLDOWN, e.scope());
        }
    }

    @Test
    void testPhone_isExemptFromAllowedCallingCodes() {
        Widget w = widget().allowedCallingCodes(7).testRecipient(REVIEWER, "424242").build();
        try (OtpEngine engine = engine(w, RateLimits.unlimited())) {
            SendResult sent = engine.send(WIDGET_ID.toString(), REVIEWER, IP);

            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), "424242").status());
            assertThrows(NoAvailableChannelsException.class, () -> engine.send(WIDGET_ID.toString(), "+15005550007", IP));
        }
    }

    @Test
    void alphanumericTestCode_isStoredUppercase_andVerifiesInAnyCase() {
        Widget w = widget().alphabet(CodeAlphabet.ALPHANUMERIC).codeLength(5).testRecipient(REVIEWER, "abc23").build();
        try (OtpEngine engine = engine(w, RateLimits.unlimited())) {
            SendResult sent = engine.send(WIDGET_ID.toString(), REVIEWER, IP);

            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), "aBc23").status());
        }
    }

    @Test
    void build_withTestRecipients_warnsWithMaskedAddressesAndNoCode() {
        int mark = CapturedLogs.mark();
        engine(reviewerWidget(), RateLimits.unlimited()).close();
        List<String> warnings = CapturedLogs.since(mark).stream().filter(l -> l.startsWith("WARN")).toList();

        assertEquals(List.of("WARN dev.otpengine.internal.WidgetRegistry - widget " + WIDGET_ID
                + " has 2 test recipient(s) that get a fixed code and no delivery: +1******0006, r***@example.com"),
                warnings);
    }

    @Test
    void putWidget_withTestRecipients_warnsToo() {
        try (OtpEngine engine = engine(widget().build(), RateLimits.unlimited())) {
            int mark = CapturedLogs.mark();
            engine.putWidget(widget().testRecipient(REVIEWER, "424242").build());

            assertEquals(List.of("WARN dev.otpengine.internal.WidgetRegistry - widget " + WIDGET_ID
                    + " has 1 test recipient(s) that get a fixed code and no delivery: +1******0006"),
                    CapturedLogs.since(mark).stream().filter(l -> l.startsWith("WARN")).toList());
            assertEquals(Set.of(REVIEWER), engine.widget(WIDGET_ID).orElseThrow().testRecipients());
        }
    }

    @Test
    void build_withoutTestRecipients_warnsNothing() {
        int mark = CapturedLogs.mark();
        engine(widget().build(), RateLimits.unlimited()).close();

        assertFalse(CapturedLogs.since(mark).stream().anyMatch(l -> l.startsWith("WARN")));
    }

    @Test
    void widget_exposesNormalizedAddresses_andToStringHidesThem() {
        Widget w = reviewerWidget();

        assertEquals(Set.of("+15005550006", "reviewer@example.com"), w.testRecipients());
        assertTrue(w.toString().endsWith(", testRecipients=2]"), w.toString());
        assertFalse(w.toString().contains("424242"));
        assertEquals(w.testRecipients(), w.toBuilder().build().testRecipients());
        assertEquals(Set.of(), w.toBuilder().clearTestRecipients().build().testRecipients());
        assertEquals(Set.of(), widget().build().testRecipients());
    }

    @Test
    void testRecipient_withMalformedAddress_namesItMasked() {
        IllegalArgumentException phone = assertThrows(IllegalArgumentException.class,
                () -> widget().testRecipient("+1 500 CALL NOW", "424242"));
        IllegalArgumentException mail = assertThrows(IllegalArgumentException.class,
                () -> widget().testRecipient("reviewer@", "424242"));

        assertEquals("phone must be in E.164 format, a + and 7 to 15 digits such as +12025550162", phone.getMessage());
        assertEquals("email must be an address such as ann@example.com", mail.getMessage());
    }

    @Test
    void testRecipient_withNull_namesTheArgument() {
        assertEquals("address", assertThrows(NullPointerException.class,
                () -> widget().testRecipient(null, "424242")).getMessage());
        assertEquals("code", assertThrows(NullPointerException.class,
                () -> widget().testRecipient(PHONE, null)).getMessage());
    }

    @Test
    void build_withCodeOfWrongLengthOrAlphabet_failsWithoutShowingTheCode() {
        IllegalStateException length = assertThrows(IllegalStateException.class,
                () -> widget().testRecipient(REVIEWER, "4242").build());
        IllegalStateException alphabet = assertThrows(IllegalStateException.class,
                () -> widget().alphabet(CodeAlphabet.ALPHANUMERIC).testRecipient(REVIEWER, "OOOOOO").build());

        assertEquals("the code of test recipient +1******0006 must be 6 characters of DIGITS (0123456789)",
                length.getMessage());
        assertEquals("the code of test recipient +1******0006 must be 6 characters of ALPHANUMERIC "
                + "(23456789ABCDEFGHJKMNPQRSTUVWXYZ)", alphabet.getMessage());
    }

    @Test
    void testRecipient_beyondTheMaximum_isRefused() {
        Widget.Builder b = widget();
        for (int i = 0; i < Widget.MAX_TEST_RECIPIENTS; i++) {
            b.testRecipient(Fixtures.phone(i), "424242");
        }
        b.testRecipient(Fixtures.phone(0), "434343"); // replacing one is not adding one

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.testRecipient(Fixtures.phone(Widget.MAX_TEST_RECIPIENTS), "424242"));
        assertEquals("a widget may have at most 100 test recipients", e.getMessage());
    }
}
