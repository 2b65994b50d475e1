package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class OtpEngineVerifyTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private OtpEngine engine;

    @BeforeEach
    void build() {
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).channel(email)
                .widget(widget().ttl(Duration.ofMinutes(2)).maxAttempts(3).build())
                .widget(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Other").alphabet(CodeAlphabet.ALPHANUMERIC).build())
                .build();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static VerifyResult result(VerifyResult.Status status, int attemptsLeft) {
        return new VerifyResult(status, attemptsLeft);
    }

    private static String wrong(String code) {
        return code.equals("0000000000".substring(0, code.length())) ? "1111111111".substring(0, code.length())
                : "0000000000".substring(0, code.length());
    }

    @Test
    void verify_rightCode_verifiesOnceThenNotFound() {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();

        assertEquals(result(VerifyResult.Status.VERIFIED, 3), engine.verify(id, code));
        assertEquals(result(VerifyResult.Status.NOT_FOUND, 0), engine.verify(id, code));
    }

    @Test
    void verify_rightCode_namesTheWidgetAndTheCanonicalRecipient_andNoOtherResultNamesAnyone() {
        UUID id = engine.send(SendRequest.builder(WIDGET_ID).phone("+7 (999) 123-45-67").email("Ann@Example.com")
                .build()).requestId();
        String code = sms.lastCode().orElseThrow();

        VerifyResult wrongGuess = engine.verify(id, wrong(code));
        assertEquals(null, wrongGuess.recipient());
        assertEquals(null, wrongGuess.widgetId());
        VerifyResult verified = engine.verify(id, code);
        assertEquals(WIDGET_ID, verified.widgetId());
        assertEquals(dev.otpengine.spi.Recipient.builder().phone(PHONE).email("ann@example.com").build(),
                verified.recipient());
        assertEquals(null, engine.verify(id, code).recipient(), "NOT_FOUND");

        UUID expiring = engine.send(toPhone()).requestId();
        clock.advance(Duration.ofMinutes(2));
        assertEquals(null, engine.verify(expiring, sms.lastCode().orElseThrow()).recipient(), "EXPIRED");
    }

    @Test
    void verify_forOneWidget_leavesAnotherWidgetsCodeUntouched() {
        UUID other = engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).build()).requestId();
        String code = sms.lastCode().orElseThrow();

        for (int i = 0; i < 10; i++) {
            assertEquals(result(VerifyResult.Status.NOT_FOUND, 0), engine.verify(VerifyRequest.builder(other, code)
                    .widgetId(WIDGET_ID).build()), "not this widget's code: as if none had the id");
        }
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(VerifyRequest.builder(other, code)
                .widgetId(Fixtures.OTHER_WIDGET_ID).build()).status(), "untouched: not spent, no attempt counted");
    }

    @Test
    void verifyResult_namesSomeoneOnlyWhenVerified_andBoth() {
        dev.otpengine.spi.Recipient ann = dev.otpengine.spi.Recipient.ofEmail(EMAIL);
        assertEquals("only a VERIFIED result names whom it verified: INVALID_CODE", assertThrows(
                IllegalArgumentException.class, () -> new VerifyResult(VerifyResult.Status.INVALID_CODE, 2,
                        WIDGET_ID, ann)).getMessage());
        assertEquals("widgetId and recipient must be given together", assertThrows(IllegalArgumentException.class,
                () -> new VerifyResult(VerifyResult.Status.VERIFIED, 2, WIDGET_ID, null)).getMessage());
        assertEquals(result(VerifyResult.Status.VERIFIED, 2), result(VerifyResult.Status.VERIFIED, 2)
                .verifying(WIDGET_ID, ann), "who was verified is not part of the outcome's value");
        assertEquals(result(VerifyResult.Status.VERIFIED, 2).hashCode(), result(VerifyResult.Status.VERIFIED, 2)
                .verifying(WIDGET_ID, ann).hashCode());
    }

    @Test
    void verify_wrongCode_countsDownAttemptsThenRefusesEvenTheRightCode() {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();

        assertEquals(result(VerifyResult.Status.INVALID_CODE, 2), engine.verify(id, wrong(code)));
        assertEquals(result(VerifyResult.Status.INVALID_CODE, 1), engine.verify(id, wrong(code)));
        assertEquals(result(VerifyResult.Status.INVALID_CODE, 0), engine.verify(id, wrong(code)));
        assertEquals(result(VerifyResult.Status.ATTEMPTS_EXCEEDED, 0), engine.verify(id, code));
        assertEquals(result(VerifyResult.Status.ATTEMPTS_EXCEEDED, 0), engine.verify(id, wrong(code)));
    }

    @Test
    void verify_rightCodeAfterSomeWrongOnes_verifiesWithAttemptsLeft() {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();
        engine.verify(id, wrong(code));

        assertEquals(result(VerifyResult.Status.VERIFIED, 2), engine.verify(id, code));
    }

    @Test
    void verify_justBeforeTtl_verifies() {
        UUID id = engine.send(toPhone()).requestId();

        clock.advance(Duration.ofMinutes(2).minusNanos(1000));

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(id, sms.lastCode().orElseThrow()).status());
    }

    @Test
    void verify_afterTtl_isExpiredThenNotFoundOnceRetentionIsOver() {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();

        clock.advance(Duration.ofMinutes(2));
        assertEquals(result(VerifyResult.Status.EXPIRED, 0), engine.verify(id, code));

        clock.advance(Duration.ofMinutes(1));
        assertEquals(result(VerifyResult.Status.NOT_FOUND, 0), engine.verify(id, code));
    }

    @Test
    void verify_unknownRequestId_isNotFound() {
        assertEquals(result(VerifyResult.Status.NOT_FOUND, 0), engine.verify(UUID.randomUUID(), "123456"));
    }

    @Test
    void verify_codeFromAnotherRequest_isInvalid() {
        UUID first = engine.send(toPhone()).requestId();
        engine.send(SendRequest.builder(WIDGET_ID).email(EMAIL).build());
        String emailCode = email.lastCode().orElseThrow();
        String smsCode = sms.lastCode().orElseThrow();

        VerifyResult r = engine.verify(first, emailCode);

        assertEquals(emailCode.equals(smsCode) ? VerifyResult.Status.VERIFIED : VerifyResult.Status.INVALID_CODE, r.status());
    }

    @Test
    void resend_toSameRecipient_invalidatesThePreviousCode() {
        UUID first = engine.send(toPhone()).requestId();
        String firstCode = sms.lastCode().orElseThrow();
        UUID second = engine.send(toPhone()).requestId();

        assertNotEquals(first, second);
        assertEquals(result(VerifyResult.Status.NOT_FOUND, 0), engine.verify(first, firstCode));
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(second, sms.lastCode().orElseThrow()).status());
    }

    @Test
    void resend_toOneOfTheAddresses_invalidatesCodeSentToBoth() {
        UUID both = engine.send(Fixtures.toPhoneAndEmail()).requestId();
        String code = sms.lastCode().orElseThrow();

        engine.send(SendRequest.builder(WIDGET_ID).email(EMAIL.toUpperCase(java.util.Locale.ROOT)).build());

        assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(both, code).status());
    }

    @Test
    void resend_inAnotherWidget_leavesThePendingCodeAlone() {
        UUID first = engine.send(toPhone()).requestId();
        String firstCode = sms.lastCode().orElseThrow();

        engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).build());

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(first, firstCode).status());
    }

    @Test
    void resend_toAnotherRecipient_leavesThePendingCodeAlone() {
        UUID first = engine.send(toPhone()).requestId();
        String firstCode = sms.lastCode().orElseThrow();

        engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550162").build());

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(first, firstCode).status());
    }

    @Test
    void verify_codeAsTyped_ignoresSpacesDashesAndCase() {
        UUID id = engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).build()).requestId();
        String code = sms.lastCode().orElseThrow();
        String typed = " " + code.substring(0, 3).toLowerCase(java.util.Locale.ROOT) + "-" + code.substring(3) + " ";

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(id, typed).status());
    }

    @Test
    void verify_requestIdAsText_parsesIt() {
        UUID id = engine.send(toPhone()).requestId();

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(id.toString(), sms.lastCode().orElseThrow()).status());
    }

    @Test
    void verify_seedShapeWithIp_countsTheIpAgainstTheVerifyLimit() {
        engine.close();
        engine = OtpEngine.builder().clock(clock).channel(sms).widget(widget().build())
                .rateLimits(RateLimits.builder().verifyPerIp(Limit.of(2, Duration.ofMinutes(1))).build()).build();
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();

        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(id.toString(), wrong(code), "203.0.113.7").status());
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(id.toString(), wrong(code), "203.0.113.7").status());
        RateLimitException refused = assertThrows(RateLimitException.class,
                () -> engine.verify(id.toString(), code, "203.0.113.7"));
        assertEquals(RateLimitException.Scope.VERIFY_IP, refused.scope());
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(id.toString(), code, "198.51.100.9").status());
        assertEquals("userIp", assertThrows(InvalidRequestException.class,
                () -> engine.verify(id.toString(), code, "1.2.3.256")).field());
        assertEquals("requestId", assertThrows(InvalidRequestException.class,
                () -> engine.verify("d385ab22", code, "203.0.113.7")).field());
    }

    @Test
    void verify_malformedInput_throwsInvalidRequestNamingField() {
        InvalidRequestException code = assertThrows(InvalidRequestException.class,
                () -> engine.verify(UUID.randomUUID(), "12"));
        assertEquals("code", code.field());
        assertEquals("code must be 4 to 10 letters or digits", code.getMessage());

        assertEquals("code", assertThrows(InvalidRequestException.class,
                () -> engine.verify(UUID.randomUUID(), "12345678901")).field());
        assertEquals("code", assertThrows(InvalidRequestException.class,
                () -> engine.verify(UUID.randomUUID(), "12ö456")).field());
        assertEquals("code", assertThrows(InvalidRequestException.class,
                () -> engine.verify(UUID.randomUUID(), null)).field());
        InvalidRequestException id = assertThrows(InvalidRequestException.class,
                () -> engine.verify((UUID) null, "123456"));
        assertEquals("requestId", id.field());
        assertEquals("requestId is required", id.getMessage());
        assertEquals("requestId", assertThrows(InvalidRequestException.class,
                () -> engine.verify("d385ab22", "123456")).field());
        assertEquals("userIp", assertThrows(InvalidRequestException.class,
                () -> VerifyRequest.builder(UUID.randomUUID(), "123456").userIp("1.2.3.256")).field());
    }

    @Test
    void verify_malformedCode_doesNotCostAnAttempt() {
        UUID id = engine.send(toPhone()).requestId();

        for (int i = 0; i < 10; i++) {
            assertThrows(InvalidRequestException.class, () -> engine.verify(id, "x"));
        }

        assertEquals(result(VerifyResult.Status.VERIFIED, 3), engine.verify(id, sms.lastCode().orElseThrow()));
    }

    @Test
    void verifyRequest_withUserIp_verifies() {
        UUID id = engine.send(toPhone()).requestId();

        VerifyRequest request = VerifyRequest.builder(id, sms.lastCode().orElseThrow()).userIp("2001:db8::7").build();

        assertEquals("2001:db8:0:0:0:0:0:7", request.userIp().orElseThrow());
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(request).status());
        assertEquals("VerifyRequest[requestId=" + id + ", code=<redacted>, userIp=2001:db8:0::/48]", request.toString());
    }
}
