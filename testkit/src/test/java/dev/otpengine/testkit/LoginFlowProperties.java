package dev.otpengine.testkit;

import dev.otpengine.OtpEngine;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static dev.otpengine.VerifyResult.Status.EXPIRED;
import static dev.otpengine.VerifyResult.Status.INVALID_CODE;
import static dev.otpengine.VerifyResult.Status.NOT_FOUND;
import static dev.otpengine.VerifyResult.Status.VERIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example: a login flow tested as a property, with the testkit only. */
final class LoginFlowProperties {

    // README:login-flow:start
    @Property(tries = 200)
    void login_withTheCodeTheUserGot_signsInOnce(@ForAll("widgets") Widget widget, @ForAll("phones") String phone,
                                                  @ForAll("ips") String ip, @ForAll boolean typoFirst) {
        TestClock clock = TestClock.atFixedStart();
        CapturingChannel sms = CapturingChannel.sms();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).widget(widget).build()) {
            SendResult sent = engine.send(widget.id().toString(), phone, ip);
            String code = sms.lastCode(phone).orElseThrow();

            if (typoFirst) {
                String typo = code.equals("2".repeat(code.length())) ? "3".repeat(code.length()) : "2".repeat(code.length());
                VerifyResult wrong = engine.verify(sent.requestId(), typo);
                assertEquals(INVALID_CODE, wrong.status());
                assertEquals(widget.maxAttempts() - 1, wrong.attemptsLeft());
            }
            VerifyResult result = engine.verify(sent.requestId(), code);
            if (typoFirst && widget.maxAttempts() == 1) {
                assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, result.status());
                return;
            }
            assertEquals(VERIFIED, result.status());
            assertEquals(NOT_FOUND, engine.verify(sent.requestId(), code).status());   // a code works once
        }
    }

    @Property(tries = 100)
    void login_afterTheTtl_isExpired(@ForAll("widgets") Widget widget, @ForAll("emails") String email) {
        TestClock clock = TestClock.atFixedStart();
        CapturingChannel mail = CapturingChannel.email();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(mail).widget(widget).build()) {
            SendResult sent = engine.send(widget.id().toString(), email, "203.0.113.7");
            clock.advance(widget.ttl());                          // virtual time: no sleeping

            assertEquals(EXPIRED, engine.verify(sent.requestId(), mail.lastCode(email).orElseThrow()).status());
        }
    }

    @Provide
    Arbitrary<Widget> widgets() {
        return OtpArbitraries.widgets();
    }

    @Provide
    Arbitrary<String> phones() {
        return OtpArbitraries.phones();
    }

    @Provide
    Arbitrary<String> emails() {
        return OtpArbitraries.emails();
    }

    @Provide
    Arbitrary<String> ips() {
        return OtpArbitraries.ips();
    }
    // README:login-flow:end
}
