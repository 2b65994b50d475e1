package dev.otpengine.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's own delivery threads, used when the application gives no executor: daemon threads named
 * {@code otpengine-delivery-<n>}, started on demand up to a ceiling and stopped after a minute idle. A send that
 * finds every thread busy is refused by the pool, which its channel reports as a failed delivery.
 */
public final class DeliveryThreads {

    private DeliveryThreads() {
    }

    /**
     * A new pool.
     *
     * @param maxThreads the ceiling
     * @return the pool; the engine shuts it down on close
     */
    public static ExecutorService pool(int maxThreads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread t = new Thread(task, "otpengine-delivery-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    }
}
