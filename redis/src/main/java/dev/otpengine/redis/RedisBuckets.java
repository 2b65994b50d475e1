package dev.otpengine.redis;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.RetryDecision;
import io.github.bucket4j.distributed.proxy.RetryStrategy;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Bucket4j's Lettuce proxy manager (read a bucket, change it, compare-and-swap it back), with three changes:
 * <ul>
 *   <li>Within one JVM, commands on one bucket take turns (a lock per stripe of keys), so that the threads of one
 *       engine do not make each other's compare-and-swap fail: on a busy bucket (every send counts against its widget's)
 *       64 racing sends would otherwise retry each other into a storm of round trips. Across nodes, swaps still race
 *       and retry.</li>
 *   <li>A swap that lost is retried at once a few times, then after short random pauses that grow with the attempt,
 *       for at most the store's timeout in real time (Bucket4j's own request timeout counts by its client clock, the
 *       engine's, which a test may hold still).</li>
 *   <li>A failure to reach Redis, or a bucket still contended when the timeout is up, leaves as the engine's
 *       {@code NoConnectionException}, never as a Lettuce or Bucket4j exception, from the synchronous and the
 *       asynchronous API alike.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class RedisBuckets extends LettuceBasedProxyManager<String> {

    /** Lock stripes per scope: {@value}. A key's turn may wait for an unrelated key of its stripe, never for long. */
    private static final int STRIPES = 256;
    /** The longest pause before a swap is tried again. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final long timeoutNanos;
    private final Function<Throwable, RuntimeException> failures;

    RedisBuckets(Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder, Duration timeout,
                 Function<Throwable, RuntimeException> failures) {
        super(builder.retryStrategy(retryWithin(timeout)));
        this.timeoutNanos = timeout.toNanos();
        this.failures = failures;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock(true); // first come, first served: no thread of a node starves behind others
        }
    }

    /**
     * Retries a lost swap at once for the first three attempts, then after a random pause of up to
     * 0.1 ms × 2^(attempt − 3), at most 20 ms, until the timeout. Threads of one node take turns (the stripe locks), so
     * a bucket's swaps race only between nodes: a node that lost should try again at once, while the winner's next
     * swap is still reading, or it would sit out round after round; the pauses only break up a longer run of losses.
     */
    static RetryStrategy retryWithin(Duration timeout) {
        long timeoutNanos = timeout.toNanos();
        return attempt -> {
            if (attempt.getElapsedTimeNanos() >= timeoutNanos) {
                return RetryDecision.stop();
            }
            int n = attempt.getAttemptNumber();
            if (n <= 3) {
                return RetryDecision.retryImmediately();
            }
            long ceiling = Math.min(MAX_PAUSE_NANOS, 100_000L << Math.min(n - 3, 10));
            return RetryDecision.retryAfter(Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling)));
        };
    }

    private ReentrantLock stripe(String key) {
        int h = key.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    @Override
    public <T> CommandResult<T> execute(String key, Request<T> request) {
        ReentrantLock lock = stripe(key);
        try {
            if (!lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw BucketExceptions.timeoutReached(timeoutNanos, timeoutNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.apply(BucketExceptions.timeoutReached(0, timeoutNanos));
        } catch (RuntimeException e) {
            throw failures.apply(e);
        }
        try {
            return super.execute(key, request);
        } catch (RuntimeException e) {
            throw failures.apply(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
        try {
            return translated(super.executeAsync(key, request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failures.apply(e));
        }
    }

    @Override
    public void removeProxy(String key) {
        try {
            super.removeProxy(key);
        } catch (RuntimeException e) {
            throw failures.apply(e);
        }
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        try {
            return translated(super.removeAsync(key));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failures.apply(e));
        }
    }

    private <T> CompletableFuture<T> translated(CompletableFuture<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failures.apply(failure));
            }
        });
        return result;
    }
}
