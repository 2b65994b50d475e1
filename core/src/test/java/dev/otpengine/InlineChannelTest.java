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

    @Test
    void aChannelsOddestFailures_areStillItsFailedDelivery_andTheCodeIsWithdrawn() {
        RuntimeException unspeakable = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }
        };
        CompletableFuture<DeliveryReceipt> unwatchable = new CompletableFuture<>() {
            @Override
            public CompletableFuture<DeliveryReceipt> whenComplete(
                    java.util.function.BiConsumer<? super DeliveryReceipt, ? super Throwable> action) {
                throw new IllegalStateException("cannot be watched");
            }
        };
        List<java.util.function.Function<dev.otpengine.spi.OtpMessage, java.util.concurrent.CompletionStage<DeliveryReceipt>>>
                answers = List.of(m -> {
                    throw unspeakable;
                }, m -> unwatchable);
        for (var answer : answers) {
            events.clear();
            try (OtpEngine engine = engine()) {
                sms.answerWith(answer);
                assertThrows(NoConnectionException.class,
                        () -> engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550143").build()));
                assertEquals(1, events.size());
                assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(VerifyRequest.builder(
                        sms.lastMessage().orElseThrow().requestId(), sms.lastCode().orElseThrow()).build()).status());
            } finally {
                sms.accept();
            }
        }
    }

    @Test
    void errorsFromAChannelsQuestions_areThatChannelsTrouble_notTheSends() {
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(new Moody("mute", false))
                .channel(new Moody("unsure", true)).rateLimits(RateLimits.unlimited())
                .widget(widget().channels("mute", "unsure", "sms").build()).build()) {
            SendResult sent = engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550144").build());
            // "mute" could not say whether it reaches the phone: skipped; "unsure" could not say whether it blocks:
            // started on a delivery thread, where its deliver failed; sms delivered
            assertEquals(List.of("unsure", "sms"), sent.deliveries().stream().map(Delivery::channelId).toList());
            assertEquals(Delivery.Status.FAILED_RETRYABLE, sent.deliveries().get(0).status());
            assertEquals(Delivery.Status.ACCEPTED, sent.deliveries().get(1).status());
        }
    }

    /** A channel whose answers to the engine's questions are Errors. */
    private static final class Moody implements dev.otpengine.spi.Channel {
        private final String id;
        private final boolean reaches;

        Moody(String id, boolean reaches) {
            this.id = id;
            this.reaches = reaches;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean canDeliverTo(dev.otpengine.spi.Recipient recipient) {
            if (!reaches) {
                throw new AssertionError("cannot say");
            }
            return true;
        }

        @Override
        public boolean deliversAsynchronously() {
            throw new NoClassDefFoundError("a missing class");
        }

        @Override
        public java.util.concurrent.CompletionStage<DeliveryReceipt> deliver(dev.otpengine.spi.OtpMessage message) {
            throw new AssertionError("broken");
        }
    }
}
