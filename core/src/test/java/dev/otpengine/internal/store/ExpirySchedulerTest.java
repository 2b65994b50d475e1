package dev.otpengine.internal.store;

import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wake-ups that empty an idle store: they come without any call to the store, cancelled ones do not pile up, and
 * steady use does not touch the timer. Some tests wait in real time (a wake-up is real time, whatever the engine's
 * clock), a tenth of a second or so each; none asserts how long anything took, only that a wake-up did not come
 * before it was due.
 */
final class ExpirySchedulerTest {

    private static final UUID WIDGET = UUID.fromString("0b6bd5a8-4a0f-4d39-a1c4-1a4f0e0b8a11");
    private static final byte[] TAG = new byte[StoredCode.TAG_BYTES];

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-30T10:00:00Z"));

    /** A code whose retention ends {@code leavesIn} from now. */
    private StoredCode leavingIn(Duration leavesIn) {
        return new StoredCode(UUID.randomUUID(), WIDGET, Recipient.ofPhone("+79991234567"), TAG,
                clock.instant().minus(OtpStore.EXPIRED_RETENTION).plus(leavesIn), 5);
    }

    /** Codes put and withdrawn one at a time, as steady logins do; Caffeine's clean-up runs after each step. */
    private void putAndWithdraw(InProcessStore store, int codes) {
        for (int i = 0; i < codes; i++) {
            StoredCode code = leavingIn(Duration.ofMinutes(5));
            store.putCode(code, clock.instant());
            store.codesHeld(); // a code pending: Caffeine asks for a wake-up
            store.withdrawCode(code.requestId());
            store.codesHeld(); // empty: Caffeine cancels it
        }
    }

    @Test
    void idleStore_expiredCodeLeaves_withNoFurtherCallToTheStore() {
        InProcessStore store = new InProcessStore(clock, 100, 100);
        store.putCode(leavingIn(Duration.ofMillis(100)), clock.instant());
        assertEquals(1L, store.codesHeld()); // runs Caffeine's maintenance now, which asks for a wake-up
        clock.advance(Duration.ofMinutes(1)); // past the code's retention; nothing calls the store from here on

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.pendingCodes().getAsLong() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertEquals(0L, store.pendingCodes().getAsLong(), "the wake-up ran Caffeine's maintenance");
    }

    @Test
    void cancelledWakeUps_leaveTheTimersQueue() {
        InProcessStore store = new InProcessStore(clock, 100, 100);
        int before = ExpiryScheduler.queued(); // other tests' stores keep their own wake-ups queued
        putAndWithdraw(store, 2_000);
        int added = ExpiryScheduler.queued() - before;
        assertTrue(added < 100, "wake-ups left queued by 2,000 cancels: " + added);
    }

    @Test
    void steadyPutsAndWithdrawals_leaveTheTimerAlone() {
        InProcessStore store = new InProcessStore(clock, 100, 100);
        long before = ExpiryScheduler.everQueued();
        putAndWithdraw(store, 2_000);
        long queued = ExpiryScheduler.everQueued() - before;
        // One for the first code; the rest ride on it (with Caffeine's forScheduledExecutorService: 2,000).
        assertTrue(queued < 10, "wake-ups queued for 2,000 codes put and withdrawn: " + queued);
        store.close();
    }

    @Test
    void aWakeUpAskedForLaterThanTheQueuedOne_comesAtItsTime_andTheCancelledOneNever() throws InterruptedException {
        ExpiryScheduler.OneCache scheduler = ExpiryScheduler.forOneCache();
        AtomicInteger early = new AtomicInteger();
        AtomicLong lateRanAt = new AtomicLong();
        CountDownLatch lateRan = new CountDownLatch(1);

        Future<?> cancelled = scheduler.schedule(Runnable::run, early::incrementAndGet, 20, TimeUnit.MILLISECONDS);
        cancelled.cancel(false); // the cache emptied; the timer's task for 20 ms stays queued
        long asked = System.nanoTime();
        scheduler.schedule(Runnable::run, () -> {
            lateRanAt.set(System.nanoTime());
            lateRan.countDown();
        }, 120, TimeUnit.MILLISECONDS);

        assertTrue(lateRan.await(10, TimeUnit.SECONDS), "the later wake-up came");
        assertTrue(lateRanAt.get() - asked >= TimeUnit.MILLISECONDS.toNanos(120),
                "not before it was due: " + (lateRanAt.get() - asked) + " ns");
        assertEquals(0, early.get(), "the cancelled wake-up never ran");
    }

    @Test
    void aWakeUpAskedForEarlierThanTheQueuedOne_replacesIt() throws InterruptedException {
        ExpiryScheduler.OneCache scheduler = ExpiryScheduler.forOneCache();
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(Runnable::run, () -> { }, 1, TimeUnit.HOURS).cancel(false);
        ScheduledFuture<?> hours = scheduler.queuedTask();
        scheduler.schedule(Runnable::run, ran::countDown, 20, TimeUnit.MILLISECONDS);

        assertTrue(ran.await(10, TimeUnit.SECONDS), "the earlier wake-up came without waiting for the hour");
        assertFalse(ExpiryScheduler.isQueued(hours), "the hour's task left the timer's queue");
    }

    @Test
    void closingTheStore_takesItsWakeUpOutOfTheTimersQueue() {
        InProcessStore store = new InProcessStore(clock, 100, 100);
        store.putCode(leavingIn(Duration.ofMinutes(5)), clock.instant());
        store.codesHeld(); // a code pending: a wake-up is queued
        ScheduledFuture<?> task = store.codeWakeUps().queuedTask();
        assertTrue(task != null && ExpiryScheduler.isQueued(task), "a wake-up is queued");

        store.close();

        assertFalse(ExpiryScheduler.isQueued(task), "closing took it out of the timer's queue");
        assertNull(store.codeWakeUps().queuedTask());
    }
}
