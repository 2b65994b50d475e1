package dev.otpengine;

import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every log line of full send/verify flows, at every level, holds neither a code nor a full address. */
final class LogSafetyTest {

    @Test
    void logs_ofFullSendAndVerifyFlows_holdNoCodeAndNoFullRecipient() {
        int mark = CapturedLogs.mark();
        CapturingChannel sms = CapturingChannel.sms();
        CapturingChannel email = CapturingChannel.email();
        // A careless channel whose errors hold the full address and the code: the engine must mask both.
        email.answerWith(m -> CompletableFuture.failedFuture(
                DeliveryException.retryable("could not send " + m.code() + " to " + m.recipient().email().orElseThrow())));

        try (OtpEngine engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).channel(sms).channel(email)
                .captchaVerifier((token, ip, widgetId) -> {
                    throw new IllegalStateException("captcha down");
                })
                .widget(widget().build())
                .widget(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Guarded").captchaRequired(true).build())
                .build()) {
            SendResult sent = engine.send(Fixtures.toPhoneAndEmail());
            String code = sms.lastCode().orElseThrow();
            String wrong = code.equals("000000") ? "111111" : "000000";
            engine.verify(sent.requestId(), wrong);
            engine.verify(sent.requestId(), code);
            engine.verify(UUID.randomUUID(), code);
            sms.failWith(DeliveryException.permanent("rejected " + PHONE));
            try {
                engine.send(Fixtures.toPhoneAndEmail());
            } catch (NoConnectionException expected) {
                // logged, and masked
            }
            try {
                engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).captchaToken("t").build());
            } catch (CaptchaNotConfirmedException expected) {
                // logged, and masked
            }
            engine.blockWidget(Fixtures.WIDGET_ID);

            List<String> lines = CapturedLogs.since(mark);
            List<String> codes = sms.messages().stream().map(m -> m.code()).toList();
            assertFalse(lines.isEmpty());
            assertTrue(lines.stream().anyMatch(l -> l.contains("+7******4567")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.contains("a***@example.com")), lines::toString);
            for (String line : lines) {
                assertFalse(line.contains(PHONE), line);
                assertFalse(line.contains("79991234567"), line);
                assertFalse(line.contains(EMAIL), line);
                for (String c : codes) {
                    assertFalse(line.contains(c), () -> "code " + c + " in: " + line);
                }
            }
        }
    }
}
