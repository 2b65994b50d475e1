package dev.otpengine;

import dev.otpengine.testkit.TestClock;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's quick start, as written there, so that it keeps compiling and working. */
final class QuickStartTest {

    /** Stands in for an SMS provider's asynchronous client; remembers the last text per number. */
    static final class FakeGateway {
        final Map<String, String> lastText = new ConcurrentHashMap<>();

        CompletableFuture<String> sendAsync(String to, String text) {
            lastText.put(to, text);
            return CompletableFuture.completedFuture("SM" + UUID.randomUUID());
        }
    }

    static final FakeGateway myGateway = new FakeGateway();

    static final class MySmsChannel implements Channel {
        public String id() { return "sms"; }
        public boolean canDeliverTo(Recipient r) { return r.phone().isPresent(); }
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage m) {
            return myGateway.sendAsync(m.recipient().phone().orElseThrow(), m.text())
                    .thenApply(id -> new DeliveryReceipt("sms", id, Instant.now()));
        }
    }

    @Test
    void quickStart_sendsAndVerifies() {
        UUID login = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
        OtpEngine engine = OtpEngine.builder()
                .widget(Widget.builder(login).name("Acme").build())
                .channel(new MySmsChannel())              // your Channel, or .discoverChannels(settings)
                .build();

        String userIp = "203.0.113.7";
        // POST /otp: send a code to the number the user typed, counted against the user's IP
        SendResult sent = engine.send(login.toString(), "+12025550162", userIp);
        String requestId = sent.requestId().toString();           // hand it to the client

        String typedCode = myGateway.lastText.get("+12025550162").substring(0, 6);
        // POST /otp/verify: check what the user typed, the request id the client sent back, and the user's IP
        VerifyResult result = engine.verify(requestId, typedCode, userIp);
        assertTrue(result.isVerified());
        engine.close();
    }

    /** The quick start's verify counts the IP: past the default 30 a minute, the per-IP verify limit refuses. */
    @Test
    void quickStartVerify_isRefusedByThePerIpVerifyLimit_afterItsCount() {
        UUID login = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
        try (OtpEngine engine = OtpEngine.builder().clock(TestClock.atFixedStart())
                .widget(Widget.builder(login).name("Acme").build()).channel(new MySmsChannel()).build()) {
            String userIp = "203.0.113.7";
            String requestId = engine.send(login.toString(), "+12025550163", userIp).requestId().toString();
            String code = myGateway.lastText.get("+12025550163").substring(0, 6);
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 30; i++) { // the code's 5 attempts go first; the IP counts every call
                VerifyResult.Status status = engine.verify(requestId, wrong, userIp).status();
                assertEquals(i < 5 ? VerifyResult.Status.INVALID_CODE : VerifyResult.Status.ATTEMPTS_EXCEEDED, status);
            }
            RateLimitException refused = assertThrows(RateLimitException.class,
                    () -> engine.verify(requestId, code, userIp));
            assertEquals(RateLimitException.Scope.VERIFY_IP, refused.scope());
            assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, engine.verify(requestId, code, "198.51.100.7").status(),
                    "another IP is still answered");
        }
    }
}
