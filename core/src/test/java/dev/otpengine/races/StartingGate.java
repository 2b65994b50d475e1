package dev.otpengine.races;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Races: every task waits on its thread until all are ready, then all are released at once by one latch. Shipped in
 * core's test-jar with {@code OtpStoreContractTest}, which races engines on a store with it.
 */
public final class StartingGate {

    private StartingGate() {
    }

    /**
     * Starts every task on its own pool thread and releases them together.
     *
     * @param pool a pool with at least as many threads as tasks
     * @param tasks the tasks
     * @param <T> what a task gives
     * @return the tasks' futures, in order
     */
    public static <T> List<Future<T>> release(ExecutorService pool, List<Callable<T>> tasks) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        assertTrue(ready.await(10, TimeUnit.SECONDS), "the pool has fewer threads than tasks");
        go.countDown();
        return futures;
    }
}
