package dev.otpengine.internal;

import dev.otpengine.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One scope's limits as Bucket4j configurations, shared by every counter of the scope. Equal limits give equal
 * configurations, so a widget replaced with the same limits keeps its counters.
 */
final class Budget {

    private Budget() {
    }

    /**
     * Fixed windows aligned to the epoch: {@code count} tokens, all given back when the window ends. Refilling
     * "intervally aligned" with the first refill one window after the epoch puts every window boundary at a
     * multiple of the window, whatever the time a counter is created.
     *
     * @return the configuration, or {@code null} if there are no limits
     */
    static BucketConfiguration of(List<Limit> limits) {
        if (limits.isEmpty()) {
            return null;
        }
        List<Bandwidth> bandwidths = new ArrayList<>(limits.size());
        for (Limit limit : limits) {
            bandwidths.add(Bandwidth.builder().capacity(limit.count())
                    .refillIntervallyAligned(limit.count(), limit.window(), Instant.ofEpochMilli(limit.window().toMillis()))
                    .build());
        }
        return new BucketConfiguration(bandwidths);
    }

    /**
     * One token, earned back gradually over the cooldown: the next call passes exactly {@code cooldown} after the
     * last one, however the clock moved in between.
     *
     * @return the configuration, or {@code null} if the cooldown is zero
     */
    static BucketConfiguration cooldown(Duration cooldown) {
        if (cooldown.isZero()) {
            return null;
        }
        return new BucketConfiguration(List.of(Bandwidth.builder().capacity(1).refillGreedy(1, cooldown).build()));
    }
}
