package dev.otpengine;

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

        // POST /otp: send a code; hand sent.requestId() to the client
        SendResult sent = engine.send(login.toString(), "+12025550162", "203.0.113.7");

        String typedCode = myGateway.lastText.get("+12025550162").substring(0, 6);
        // POST /otp/verify: check what the user typed
        VerifyResult result = engine.verify(sent.requestId(), typedCode);
        assertTrue(result.isVerified());
        engine.close();
    }
}
