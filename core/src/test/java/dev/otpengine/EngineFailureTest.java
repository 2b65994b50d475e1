package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures of the engine's own parts, and of what the application hands it: clock, executor. */
final class EngineFailureTest {

    /** A clock that works until told to fail. */
    private static final class BreakableClock extends Clock {
        volatile boolean broken;

        @Override
        public Instant instant() {
            if (broken) {
                throw new IllegalStateException("clock broke");
            }
            return Instant.parse("2026-11-22T10:00:00Z");
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final BreakableClock clock = new BreakableClock();
    private final List<OtpEvent> rejected = new CopyOnWriteArrayList<>();
    private final OtpListener listener = new OtpListener() {
        @Override
        public void onRejected(OtpEvent.Rejected event) {
            rejected.add(event);
        }
    };

    @Test
    void send_engineFailsBeforeDelivery_throwsInternalServerErrorAndReportsIt() {
        CapturingChannel sms = CapturingChannel.sms();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).listener(listener).widget(widget().build()).build()) {
            clock.broken = true;

            InternalServerErrorException e = assertThrows(InternalServerErrorException.class, () -> engine.send(toPhone()));

            assertEquals("java.lang.IllegalStateException: clock broke", e.getCause().getMessage()); // redacted copy
            assertEquals(500, e.httpStatus());
            assertEquals("internal server error", e.getMessage());
            assertTrue(sms.messages().isEmpty());
            assertEquals(e, ((OtpEvent.Rejected) rejected.get(0)).reason());
        }
    }

    @Test
    void send_engineFailsAfterDelivery_throwsInternalServerError() {
        CapturingChannel sms = CapturingChannel.sms().answerWith(m -> {
            clock.broken = true;
            return CompletableFuture.completedFuture(new dev.otpengine.spi.DeliveryReceipt("sms", "1", Instant.EPOCH));
        });
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).listener(listener).widget(widget().build()).build()) {

            InternalServerErrorException e = assertThrows(InternalServerErrorException.class, () -> engine.send(toPhone()));

            assertEquals("java.lang.IllegalStateException: clock broke", e.getCause().getMessage()); // redacted copy
            assertEquals(1, rejected.size());
        }
    }

    @Test
    void verify_engineFails_throwsInternalServerError() {
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).listener(listener)
                .widget(widget().build()).build()) {
            clock.broken = true;

            InternalServerErrorException e = assertThrows(InternalServerErrorException.class,
                    () -> engine.verify(UUID.randomUUID(), "123456"));

            assertEquals("java.lang.IllegalStateException: clock broke", e.getCause().getMessage()); // redacted copy
            assertEquals(OtpEvent.Operation.VERIFY, ((OtpEvent.Rejected) rejected.get(0)).operation());
        }
    }

    @Test
    void executor_given_runsDeliveriesAndIsNotShutDownByClose() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicInteger tasks = new AtomicInteger();
        try {
            OtpEngine engine = OtpEngine.builder().channel(CapturingChannel.sms().onDeliveryThreads()).widget(widget().build())
                    .executor(task -> {
                        tasks.incrementAndGet();
                        pool.execute(task);
                    }).build();

            engine.send(toPhone());
            engine.close();

            assertEquals(1, tasks.get());
            assertFalse(pool.isShutdown());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void executor_refusingTasks_makesDeliveryFailRetryably() {
        try (OtpEngine engine = OtpEngine.builder().channel(CapturingChannel.sms().onDeliveryThreads()).widget(widget().build())
                .executor(task -> {
                    throw new RejectedExecutionException("full");
                }).build()) {

            NoConnectionException e = assertThrows(NoConnectionException.class, () -> engine.send(toPhone()));

            assertEquals(List.of(new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null,
                    "the delivery executor is saturated or shut down")), e.deliveries());
        }
    }

    @Test
    void sendAsync_failureAfterDelivery_completesWithCompletionExceptionHoldingTheOtpException() {
        CapturingChannel sms = CapturingChannel.sms().failWith(dev.otpengine.spi.DeliveryException.retryable("down"));
        try (OtpEngine engine = OtpEngine.builder().channel(sms).widget(widget().build()).build()) {

            java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> engine.sendAsync(toPhone()).join());

            assertInstanceOf(NoConnectionException.class, e.getCause());
        }
    }
}
