package dev.otpengine.internal;

import dev.otpengine.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One scope's limits as Bucket4j sees them: the bucket configuration every counter of the scope shares, and how
 * long a counter left alone takes to be full again, after which forgetting it loses nothing.
 * Equal budgets come from equal limits, so a widget replaced with the same limits keeps its counters.
 */
final class Budget {

    final BucketConfiguration configuration;
    final long idleNanos;
    private final Object source;

    private Budget(BucketConfiguration configuration, long idleNanos, Object source) {
        this.configuration = configuration;
        this.idleNanos = idleNanos;
        this.source = source;
    }

    /**
     * Fixed windows aligned to the epoch: {@code count} tokens, all given back when the window ends. Refilling
     * "intervally aligned" with the first refill one window after the epoch puts every window boundary at a
     * multiple of the window, whatever the bucket's creation time.
     *
     * @return the budget, or {@code null} if there are no limits
     */
    static Budget of(List<Limit> limits) {
        if (limits.isEmpty()) {
            return null;
        }
        List<Bandwidth> bandwidths = new ArrayList<>(limits.size());
        long longest = 0;
        for (Limit limit : limits) {
            bandwidths.add(Bandwidth.builder().capacity(limit.count())
                    .refillIntervallyAligned(limit.count(), limit.window(), Instant.ofEpochMilli(limit.window().toMillis()))
                    .build());
            longest = Math.max(longest, limit.window().toNanos());
        }
        // A counter last used at t is in a window ending by t + its length; past the longest, every window is new.
        return new Budget(new BucketConfiguration(bandwidths), longest, limits);
    }

    /**
     * One token, earned back gradually over the cooldown: the next call passes exactly {@code cooldown} after the
     * last one, however the clock moved in between.
     *
     * @return the budget, or {@code null} if the cooldown is zero
     */
    static Budget cooldown(Duration cooldown) {
        if (cooldown.isZero()) {
            return null;
        }
        Bandwidth bandwidth = Bandwidth.builder().capacity(1).refillGreedy(1, cooldown).build();
        return new Budget(new BucketConfiguration(List.of(bandwidth)), cooldown.toNanos(), cooldown);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Budget && ((Budget) o).source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
