package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import dev.otpengine.spi.DeliveryReceipt;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel that says it delivers asynchronously runs on the sending thread; what it throws there, {@link Error}s
 * included, is that channel's failure (the code withdrawn, the listeners told), and one that blocks the sending thread
 * is caught at it and started on the delivery threads from then on.
 */
final class InlineChannelTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms(); // says it delivers asynchronously
    private final List<OtpEvent> events = new ArrayList<>();

    private OtpEngine engine() {
        OtpListener recording = new OtpListener() {
            @Override
            public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
                events.add(event);
            }
        };
        return OtpEngine.builder().clock(clock).channel(sms).rateLimits(RateLimits.unlimited()).listener(recording)
                .widget(widget().build()).build();
    }

    @Test
    void errorsThrownOnTheSendingThread_areTheChannelsFailure_andTheCodeIsWithdrawn() {
        for (Error error : List.of(new AssertionError("a bug in the channel"), new StackOverflowError())) {
            events.clear();
            try (OtpEngine engine = engine()) {
                sms.answerWith(m -> {
                    throw error;
                });
                NoConnectionException e = assertThrows(NoConnectionException.class,
                        () -> engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550140").build()), error.toString());
                assertEquals(Delivery.Status.FAILED_RETRYABLE, e.deliveries().get(0).status());
                assertEquals(1, events.size(), "the listeners hear of the failed delivery");
                String code = sms.lastCode().orElseThrow();
                assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(VerifyRequest.builder(
                        sms.lastMessage().orElseThrow().requestId(), code).build()).status(), "withdrawn");
            } finally {
                sms.accept();
            }
        }
    }

    @Test
    void aChannelThatBlocksTheSendingThread_isStartedOnTheDeliveryThreadsFromThenOn() {
        try (OtpEngine engine = engine()) {
            sms.answerWith(m -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // four times the limit: it blocks
                return CompletableFuture.completedFuture(new DeliveryReceipt("sms", "blocked-then-sent", clock.instant()));
            });
            engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550141").build());
            sms.accept();
            engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550142").build());

            List<Thread> threads = sms.deliveringThreads();
            assertEquals(2, threads.size());
            assertSame(Thread.currentThread(), threads.get(0), "the first call ran on the sending thread");
            assertNotSame(Thread.currentThread(), threads.get(1), "the second on a delivery thread");
            assertTrue(threads.get(1).getName().length() > 0);
        }
    }
}
