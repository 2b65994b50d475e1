package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.RateLimitException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;

/**
 * The counters of one scope: one Bucket4j {@link BucketState} per key in a bounded Caffeine table.
 *
 * <p>Every read and change of a state happens inside the table's atomic {@code compute} for its key, so two threads
 * never see one state at once and a state is never consumed while it is being evicted; the states need no
 * synchronization of their own. That is also why the table keeps Bucket4j's state rather than a {@code Bucket}: the
 * state is the token arithmetic alone, about a third of a bucket's heap, and the bucket's own synchronization would
 * be redundant here.
 *
 * <p>A state left alone until it is full again expires, since it would come back the same; past {@code maxKeys}
 * Caffeine evicts the keys least likely to be used again, and a key forgotten that way starts afresh, which is the
 * price of a bounded table under a flood of distinct keys.
 *
 * @param <K> the key
 */
final class LimitTable<K> {

    private final RateLimitException.Scope scope;
    private final TimeMeter time;
    private final Cache<K, BucketState> counters;

    LimitTable(RateLimitException.Scope scope, Ticker ticker, TimeMeter time, long maxKeys) {
        this.scope = scope;
        this.time = time;
        this.counters = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(maxKeys)
                .expireAfter(new Expiry<K, BucketState>() {
                    @Override
                    public long expireAfterCreate(K key, BucketState state, long now) {
                        return untilFull(state.getConfiguration());
                    }

                    @Override
                    public long expireAfterUpdate(K key, BucketState state, long now, long currentDuration) {
                        return untilFull(state.getConfiguration());
                    }

                    @Override
                    public long expireAfterRead(K key, BucketState state, long now, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /**
     * How long after its last use a counter is surely full again: a window ends within its length of any instant, and
     * a cooldown's one token is back after the cooldown.
     */
    private static long untilFull(BucketConfiguration configuration) {
        long longest = 0;
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            longest = Math.max(longest, bandwidth.getRefillPeriodNanos());
        }
        return longest;
    }

    /**
     * Takes one call from the key's budget.
     *
     * @throws RateLimitException with this table's scope and the time until the budget lets one more through
     */
    void acquire(K key, BucketConfiguration budget) {
        long now = time.currentTimeNanos();
        long[] wait = {-1}; // stays -1 when the call is let through
        counters.asMap().compute(key, (k, counter) -> {
            BucketState state = counter != null && sameBudget(counter, budget) ? counter
                    : BucketState.createInitialState(budget, MathType.INTEGER_64_BITS, now);
            state.refillAllBandwidth(now);
            if (state.getAvailableTokens() >= 1) {
                state.consume(1);
            } else {
                wait[0] = state.calculateDelayNanosAfterWillBePossibleToConsume(1, now, true);
            }
            return state;
        });
        if (wait[0] >= 0) {
            throw new RateLimitException(scope, Duration.ofNanos(wait[0]));
        }
    }

    /**
     * Gives back a call {@link #acquire} took, when a later check refused the request it was taken for, or when the
     * call turned out to cost nothing (a right guess). A counter full again is dropped: it is what a new one would
     * be, and dropping it keeps the table small, so a stream of right guesses never fills it.
     */
    void release(K key, BucketConfiguration budget) {
        long now = time.currentTimeNanos();
        counters.asMap().computeIfPresent(key, (k, state) -> {
            if (!sameBudget(state, budget)) {
                return state;
            }
            state.refillAllBandwidth(now);
            state.addTokens(1);
            return isFull(state) ? null : state;
        });
    }

    private static boolean isFull(BucketState state) {
        Bandwidth[] bandwidths = state.getConfiguration().getBandwidths();
        for (int i = 0; i < bandwidths.length; i++) {
            if (state.getCurrentSize(i) < bandwidths[i].getCapacity()) {
                return false;
            }
        }
        return true;
    }

    /** A key whose limits changed (its widget was replaced with others) starts afresh under the new ones. */
    private static boolean sameBudget(BucketState state, BucketConfiguration budget) {
        return state.getConfiguration() == budget || state.getConfiguration().equals(budget);
    }

    /** How many keys the table holds, after pending evictions; for tests and measurements. */
    long size() {
        counters.cleanUp();
        return counters.estimatedSize();
    }
}
