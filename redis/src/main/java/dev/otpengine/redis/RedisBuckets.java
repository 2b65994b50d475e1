package dev.otpengine.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.RetryDecision;
import io.github.bucket4j.distributed.proxy.RetryStrategy;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteCommand;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bucket4j's buckets in Redis by compare-and-swap, as Bucket4j's Lettuce proxy manager keeps them (same keys, same
 * states, same expiry), in one round trip a call rather than two:
 * <ul>
 *   <li>No read before the swap. A call computes its new state from the last state this node saw of the bucket (none
 *       for a bucket it never saw, which is most of a flood's: a new key), and swaps it in with one script
 *       ({@code bucket_swap.lua}) that answers, when the state in Redis was another, with that state: the next try
 *       computes from it, again without a read of its own. A call whose result changes nothing (a refusal) was never
 *       checked by a swap, so it reads the bucket and computes again, unless its state came from Redis already.</li>
 *   <li>Within one JVM, calls on one bucket take turns (a queue per stripe of keys, without blocking a thread), so the
 *       threads of one engine neither fail each other's swaps nor compute from a state another is about to replace: on
 *       a busy bucket (every send counts against its widget's) 64 racing sends would otherwise retry each other into a
 *       storm of round trips. Across nodes, swaps still race and retry.</li>
 *   <li>A swap that lost is retried at once a few times, then after short random pauses that grow with the attempt,
 *       for at most the store's timeout in real time (Bucket4j's own request timeout counts by its client clock, the
 *       engine's, which a test may hold still).</li>
 *   <li>A failure to reach Redis, or a bucket still contended when the timeout is up, leaves as the engine's
 *       {@code NoConnectionException}, never as a Lettuce or Bucket4j exception, from the synchronous and the
 *       asynchronous API alike.</li>
 * </ul>
 * Calls made one after another through the asynchronous API ({@link #asAsync()}) go out together: their commands are
 * pipelined on the store's one connection, so a group of buckets costs one round trip.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class RedisBuckets extends LettuceBasedProxyManager<String> {

    /** The swap, loaded with the store's scripts. */
    static final Script SWAP = Script.load("bucket_swap");
    /** Turn queues per scope: {@value}. A key's turn may wait for an unrelated key of its stripe, never for long. */
    private static final int STRIPES = 256;
    /** The buckets whose last state a node keeps per scope: {@value}. A bucket not kept costs one more round trip. */
    private static final int KNOWN = 4_096;
    /** The longest pause before a swap is tried again. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final byte[] MISSING = new byte[0];

    private final AtomicReferenceArray<CompletableFuture<?>> turns = new AtomicReferenceArray<>(STRIPES);
    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final String keyPrefix;
    private final ExpirationAfterWriteStrategy expiration;
    /** The last state this node read or wrote of each bucket: a guess, which the swap checks. */
    private final Cache<String, byte[]> known = Caffeine.newBuilder().maximumSize(KNOWN).executor(Runnable::run).build();
    private final RetryStrategy retry;
    private final long timeoutNanos;
    private final Function<Throwable, RuntimeException> failures;

    RedisBuckets(Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder,
                 RedisClusterAsyncCommands<String, byte[]> redis, String keyPrefix,
                 ExpirationAfterWriteStrategy expiration, Duration timeout,
                 Function<Throwable, RuntimeException> failures) {
        super(builder.retryStrategy(retryWithin(timeout)));
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.expiration = expiration;
        this.retry = retryWithin(timeout);
        this.timeoutNanos = timeout.toNanos();
        this.failures = failures;
        CompletableFuture<?> free = CompletableFuture.completedFuture(null);
        for (int i = 0; i < STRIPES; i++) {
            turns.set(i, free);
        }
    }

    /**
     * Retries a lost swap at once for the first three attempts, then after a random pause of up to
     * 0.1 ms × 2^(attempt − 3), at most 20 ms, until the timeout. Calls of one node take turns, so a bucket's swaps
     * race only between nodes: a node that lost should try again at once (it already holds the winner's state), or it
     * would sit out round after round; the pauses only break up a longer run of losses.
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

    private int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    @Override
    public <T> CommandResult<T> execute(String key, Request<T> request) {
        CompletableFuture<CommandResult<T>> call = executeAsync(key, request);
        try {
            return call.get(); // the asynchronous call times out by itself, within the store's timeout
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : failures.apply(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.apply(BucketExceptions.timeoutReached(0, timeoutNanos));
        }
    }

    @Override
    public <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
        CompletableFuture<CommandResult<T>> outcome = new CompletableFuture<>();
        inTurn(key, () -> {
            if (outcome.isDone()) { // timed out while waiting for its turn: the caller was told, so do nothing
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<CommandResult<T>> call;
            try {
                call = attempt(key, request, known.getIfPresent(key), false, 1, System.nanoTime());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            return call.whenComplete((result, failure) -> {
                if (failure == null) {
                    outcome.complete(result);
                } else {
                    outcome.completeExceptionally(failure);
                }
            });
        });
        CompletableFuture<CommandResult<T>> answer = new CompletableFuture<>();
        outcome.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).whenComplete((result, failure) -> {
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(failures.apply(unwrapped(failure)));
            }
        });
        return answer;
    }

    /**
     * Runs a call once every call before it on the key's stripe is done, on the thread that ends the one before (the
     * caller's, if none is waiting): its command is sent at once, beside the caller's others.
     */
    private void inTurn(String key, Supplier<CompletableFuture<?>> call) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<?> before = turns.getAndSet(stripe(key), mine);
        before.whenComplete((ignored, failure) -> {
            CompletableFuture<?> running;
            try {
                running = call.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((done, failed) -> mine.complete(null));
        });
    }

    /**
     * One try: the command computed on {@code state}, then swapped in; after a swap that lost, again on the state Redis
     * answered with.
     *
     * @param state the state to compute from, {@code null} for a missing bucket
     * @param read whether {@code state} is what Redis answered just now, not this node's guess
     */
    private <T> CompletableFuture<CommandResult<T>> attempt(String key, Request<T> request, byte[] state, boolean read,
                                                            int attempt, long startNanos) {
        RemoteCommand<T> command = request.getCommand();
        MutableBucketEntry entry = new MutableBucketEntry(state);
        CommandResult<T> result = command.execute(entry, getClientSideTime());
        if (!entry.isStateModified()) {
            if (read) {
                return CompletableFuture.completedFuture(result);
            }
            // nothing to swap, so nothing checked the guess: read the bucket and compute again
            return timed(redis.get(keyPrefix + key)).thenCompose(found -> {
                remember(key, found);
                return attempt(key, request, found, true, attempt, startNanos);
            });
        }
        byte[] next = entry.getStateBytes(request.getBackwardCompatibilityVersion());
        long ttl = Math.max(0, expiration.calculateTimeToLiveMillis(entry.get(), currentTimeNanos()));
        CompletionStage<List<Object>> swap = SWAP.run(redis, ScriptOutputType.MULTI, new String[] {keyPrefix + key},
                state == null ? MISSING : state, next, Long.toString(ttl).getBytes(StandardCharsets.UTF_8));
        return timed(swap).thenCompose(answer -> {
            if (((Long) answer.get(0)) == 1L) {
                known.put(key, next);
                return CompletableFuture.completedFuture(result);
            }
            byte[] found = answer.size() > 1 ? (byte[]) answer.get(1) : null;
            remember(key, found);
            RetryDecision decision = retry.shouldRetry(
                    new RetryStrategy.RetryMetadata(attempt, key, startNanos, System.nanoTime()));
            if (!decision.shouldRetry()) {
                return CompletableFuture.failedFuture(BucketExceptions.maxRetriesExceeded(attempt));
            }
            Supplier<CompletableFuture<CommandResult<T>>> again =
                    () -> attempt(key, request, found, true, attempt + 1, startNanos);
            long pause = decision.getDelay().toNanos();
            if (pause <= 0) {
                return again.get();
            }
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS))
                    .thenCompose(ignored -> again.get());
        });
    }

    private void remember(String key, byte[] state) {
        if (state == null) {
            known.invalidate(key);
        } else {
            known.put(key, state);
        }
    }

    /** A command's answer, failed if Redis has not given it within the store's timeout. */
    private <V> CompletableFuture<V> timed(CompletionStage<V> command) {
        return command.toCompletableFuture().orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void removeProxy(String key) {
        known.invalidate(key);
        try {
            super.removeProxy(key);
        } catch (RuntimeException e) {
            throw failures.apply(e);
        }
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        known.invalidate(key);
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            super.removeAsync(key).whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failures.apply(unwrapped(failure)));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(failures.apply(e));
        }
        return result;
    }
}
