package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Scheduler;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wakes Caffeine's maintenance when the next pending code is due to leave, so that an idle engine's expired codes
 * leave too: Caffeine's {@link Scheduler#forScheduledExecutorService} over one daemon thread shared by every engine
 * in the JVM.
 *
 * <p>Why not Caffeine's {@link Scheduler#systemScheduler()}: Caffeine cancels its wake-up whenever the cache empties
 * and schedules another when a code arrives, which under steady logins happens on most maintenance runs, and the
 * system scheduler's wake-ups are {@code CompletableFuture}s, whose {@code cancel} builds a
 * {@code CancellationException} with its stack trace each time. A {@link ScheduledThreadPoolExecutor} cancels by
 * taking the task out of its queue ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}), so cancelled
 * wake-ups neither cost an exception nor pile up.
 *
 * <p>The thread is a daemon, named {@value #THREAD_NAME}, and ends a minute after no wake-up is queued (it is
 * started again for the next); it runs the cache's clean-up itself, the code cache's executor being the calling
 * thread. The executor holds a cache only through Caffeine's wake-up, which references the cache weakly, so a
 * dropped engine's store is still collected; in an application server, what an undeployed application left queued
 * keeps its class loader only until the wake-up has run and the thread has ended.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class ExpiryScheduler {

    /** The thread's name: {@value}. */
    static final String THREAD_NAME = "otpengine-expiry";

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /** The scheduler every in-process store's code cache uses. */
    static final Scheduler SCHEDULER = Scheduler.forScheduledExecutorService(TIMER);

    private ExpiryScheduler() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            thread.setContextClassLoader(null); // it runs Caffeine's hand-off only; it should not pin an app's loader
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** @return how many wake-ups are queued; for tests */
    static int queued() {
        return TIMER.getQueue().size();
    }
}
