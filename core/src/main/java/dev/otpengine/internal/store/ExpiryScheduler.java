package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Scheduler;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes Caffeine's maintenance when the next pending code is due to leave, so that an idle engine's expired codes
 * leave too: one daemon thread shared by every engine in the JVM, and a {@link Scheduler} per code cache
 * ({@link #forOneCache}) that asks it for as few wake-ups as it can.
 *
 * <p>Why not Caffeine's own schedulers. Caffeine's pacer cancels its wake-up whenever the cache empties and asks for
 * another when a code arrives, which under steady logins (each code verified at once) is most clean-ups.
 * {@link Scheduler#systemScheduler()}'s wake-ups are {@code CompletableFuture}s, whose {@code cancel} builds a
 * {@code CancellationException} with its stack trace each time; {@link Scheduler#forScheduledExecutorService} takes
 * each cancelled wake-up out of the timer's queue and puts the next one in, and each change to the queue's head wakes
 * the timer's thread. Here a cancel only marks the wake-up, and a new one rides on the one already queued when that
 * fires no later than asked: the timer's queue holds at most one wake-up per cache, and steady logins leave it alone.
 *
 * <p>The thread is a daemon, named {@value #THREAD_NAME}, and ends a minute after no wake-up is queued (it is
 * started again for the next); it runs the cache's clean-up itself, the code cache's executor being the calling
 * thread. The timer holds a cache only through Caffeine's clean-up task, which references the cache weakly, so a
 * dropped engine's store is still collected; in an application server, what an undeployed application left queued
 * keeps its class loader only until the wake-up has fired and the thread has ended.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class ExpiryScheduler {

    /** The thread's name: {@value}. */
    static final String THREAD_NAME = "otpengine-expiry";

    /** The longest wait a wake-up is queued for, so that the timer's arithmetic cannot overflow: about 36 years. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE / 256;

    private static final ScheduledThreadPoolExecutor TIMER = timer();
    /** How many tasks the schedulers have given the timer, replaced ones included. */
    private static final AtomicLong QUEUEINGS = new AtomicLong();

    private ExpiryScheduler() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            thread.setContextClassLoader(null); // it runs Caffeine's clean-up only; it should not pin an app's loader
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /**
     * A scheduler for one cache: Caffeine's pacer asks it for one wake-up at a time.
     *
     * @return a new scheduler
     */
    static OneCache forOneCache() {
        return new OneCache();
    }

    /** @return how many wake-ups the timer has queued; for tests */
    static int queued() {
        return TIMER.getQueue().size();
    }

    /**
     * @param task a task of the timer
     * @return whether the timer's queue holds it; for tests
     */
    static boolean isQueued(Future<?> task) {
        return TIMER.getQueue().contains(task);
    }

    /** @return how many tasks the schedulers have given the timer, replaced and cancelled ones included; for tests */
    static long everQueued() {
        return QUEUEINGS.get();
    }

    /**
     * One cache's wake-ups. The one asked for last is {@code live}; the timer holds at most one task for the cache,
     * {@code queued}, which fires at {@code queuedAt}, never later than the live wake-up is due. Firing, it runs the
     * live wake-up if that is due, queues itself again for it if it is not (it was asked for later than an earlier
     * one, since cancelled, that the task was queued for), and does nothing if it was cancelled. Only a wake-up asked
     * for earlier than the queued task replaces that task in the timer's queue. Times are {@link System#nanoTime()}'s:
     * a wake-up waits in real time, as Caffeine's own schedulers do.
     */
    static final class OneCache implements Scheduler {

        /** The wake-up asked for last; {@code null} once it ran. Guarded by this. */
        private FutureTask<Void> live;
        private long liveAt;
        /** The timer's task for this cache, if one is queued. Guarded by this. */
        private ScheduledFuture<?> queued;
        private long queuedAt;
        /** Which task is the queued one: a task replaced by an earlier one may already be firing. Guarded by this. */
        private long generation;

        @Override
        public Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
            FutureTask<Void> wakeUp = new FutureTask<>(() -> executor.execute(command), null);
            long at = System.nanoTime() + Math.min(Math.max(0, unit.toNanos(delay)), LONGEST_NANOS);
            synchronized (this) {
                live = wakeUp;
                liveAt = at;
                if (queued == null || queuedAt - at > 0) {
                    queue(at);
                }
            }
            return wakeUp;
        }

        /** Queues the cache's task to fire at {@code at}, in place of the one queued, if any. Holding this. */
        private void queue(long at) {
            if (queued != null) {
                queued.cancel(false); // out of the timer's queue
            }
            long task = ++generation;
            queuedAt = at;
            QUEUEINGS.incrementAndGet();
            queued = TIMER.schedule(() -> fire(task), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        /** Takes the cache's task out of the timer's queue, as its store closes; a later wake-up queues one again. */
        synchronized void cancel() {
            if (live != null) {
                live.cancel(false);
                live = null;
            }
            if (queued != null) {
                queued.cancel(false);
                queued = null;
            }
        }

        /** @return the timer's task for this cache, or {@code null} if none is queued; for tests */
        synchronized ScheduledFuture<?> queuedTask() {
            return queued;
        }

        private void fire(long task) {
            FutureTask<Void> due;
            synchronized (this) {
                if (task != generation) {
                    return; // replaced by a task queued for earlier, which serves what this one would have
                }
                queued = null;
                due = live;
                if (due == null || due.isDone()) {
                    live = null;
                    return; // cancelled (the cache emptied): nothing to wake
                }
                if (liveAt - System.nanoTime() > 0) {
                    queue(liveAt); // asked for later than this task was queued for
                    return;
                }
                live = null;
            }
            due.run(); // hands Caffeine's clean-up to the cache's executor, unless cancelled meanwhile
        }
    }
}
