package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.RateLimitException;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.ThreadUnsafeBucket;

import java.time.Duration;

/**
 * The counters of one scope: one Bucket4j bucket per key in a bounded Caffeine table.
 *
 * <p>Every read and change of a bucket happens inside the table's atomic {@code compute} for its key, so two
 * threads never see one bucket at once and a bucket is never consumed while it is being evicted; the buckets
 * themselves need no synchronization of their own. A bucket left alone until it is full again expires (it would
 * come back the same); past {@code maxKeys} the least recently used go first, and a key forgotten that way starts
 * afresh, which is the price of a bounded table under a flood of distinct keys.
 *
 * @param <K> the key
 */
final class LimitTable<K> {

    private final RateLimitException.Scope scope;
    private final TimeMeter time;
    private final Cache<K, Counter> counters;

    /** A key's bucket and the budget it was made for; a key whose budget changed gets a new bucket. */
    private static final class Counter {
        final Budget budget;
        final ThreadUnsafeBucket bucket;

        Counter(Budget budget, TimeMeter time) {
            this.budget = budget;
            this.bucket = new ThreadUnsafeBucket(budget.configuration, MathType.INTEGER_64_BITS, time, BucketListener.NOPE);
        }
    }

    LimitTable(RateLimitException.Scope scope, Ticker ticker, TimeMeter time, long maxKeys) {
        this.scope = scope;
        this.time = time;
        this.counters = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(maxKeys)
                .expireAfter(new Expiry<K, Counter>() {
                    @Override
                    public long expireAfterCreate(K key, Counter counter, long now) {
                        return counter.budget.idleNanos;
                    }

                    @Override
                    public long expireAfterUpdate(K key, Counter counter, long now, long currentDuration) {
                        return counter.budget.idleNanos;
                    }

                    @Override
                    public long expireAfterRead(K key, Counter counter, long now, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /**
     * Takes one call from the key's budget.
     *
     * @throws RateLimitException with this table's scope and the time until the budget lets one more through
     */
    void acquire(K key, Budget budget) {
        ConsumptionProbe[] probe = new ConsumptionProbe[1];
        counters.asMap().compute(key, (k, counter) -> {
            Counter c = counter != null && counter.budget.equals(budget) ? counter : new Counter(budget, time);
            probe[0] = c.bucket.tryConsumeAndReturnRemaining(1);
            return c;
        });
        if (!probe[0].isConsumed()) {
            throw new RateLimitException(scope, Duration.ofNanos(probe[0].getNanosToWaitForRefill()));
        }
    }

    /** Gives back a call {@link #acquire} took, when a later check refused the request it was taken for. */
    void release(K key, Budget budget) {
        counters.asMap().computeIfPresent(key, (k, counter) -> {
            if (counter.budget.equals(budget)) {
                counter.bucket.addTokens(1);
            }
            return counter;
        });
    }

    /** How many keys the table holds, after pending evictions; for tests and measurements. */
    long size() {
        counters.cleanUp();
        return counters.estimatedSize();
    }
}
