package dev.otpengine.internal;

import dev.otpengine.ConversionGuard;
import dev.otpengine.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One scope's limits as a Bucket4j configuration, shared by every bucket of the scope, with a short fingerprint of
 * the limits that goes into each bucket's key: a widget whose limits change counts afresh under the new ones instead
 * of inheriting a bucket built for the old.
 *
 * @param configuration the buckets' configuration
 * @param fingerprint a few characters naming the limits
 * @param supplier the configuration, as Bucket4j's builders take it (made once, not per request)
 */
record Budget(BucketConfiguration configuration, String fingerprint, Supplier<BucketConfiguration> supplier) {

    private Budget(BucketConfiguration configuration, String fingerprint) {
        this(configuration, fingerprint, () -> configuration);
    }

    /**
     * Fixed windows aligned to the epoch: {@code count} tokens, all given back when the window ends. Refilling
     * "intervally aligned" with the first refill one window after the epoch puts every window boundary at a
     * multiple of the window, whatever the time a bucket is created.
     *
     * @return the budget, or {@code null} if there are no limits
     */
    static Budget of(List<Limit> limits) {
        if (limits.isEmpty()) {
            return null;
        }
        List<Bandwidth> bandwidths = new ArrayList<>(limits.size());
        StringBuilder canonical = new StringBuilder("w");
        for (Limit limit : limits) {
            bandwidths.add(Bandwidth.builder().capacity(limit.count())
                    .refillIntervallyAligned(limit.count(), limit.window(), Instant.ofEpochMilli(limit.window().toMillis()))
                    .build());
            canonical.append(limit.count()).append('/').append(limit.window().toNanos()).append(',');
        }
        return new Budget(new BucketConfiguration(bandwidths), fingerprint(canonical));
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
        return new Budget(new BucketConfiguration(List.of(Bandwidth.builder().capacity(1).refillGreedy(1, cooldown).build())),
                fingerprint("c" + cooldown.toNanos()));
    }

    /** A send's cost to the toll-fraud guard's room, in tokens: a verification gives back a fraction of a send. */
    static final long TOKENS_PER_SEND = 1_000;

    /**
     * The toll-fraud guard's room for unverified sends to one range: {@code minSends} sends, refilled evenly over
     * the window (a sliding window, unlike the limits'), counted in {@link #TOKENS_PER_SEND}ths of a send.
     */
    static Budget conversion(ConversionGuard guard) {
        long capacity = guard.minSends() * TOKENS_PER_SEND;
        return new Budget(new BucketConfiguration(List.of(Bandwidth.builder().capacity(capacity)
                .refillGreedy(capacity, guard.window()).build())),
                fingerprint("v" + guard.minSends() + '/' + guard.window().toNanos()));
    }

    /**
     * The toll-fraud guard's room for unverified sends to one region, over all its ranges: {@code regionSends} sends,
     * refilled evenly over the window, in {@link #TOKENS_PER_SEND}ths of a send.
     */
    static Budget conversionRegion(ConversionGuard guard) {
        long capacity = guard.regionSends() * TOKENS_PER_SEND;
        return new Budget(new BucketConfiguration(List.of(Bandwidth.builder().capacity(capacity)
                .refillGreedy(capacity, guard.window()).build())),
                fingerprint("w" + guard.regionSends() + '/' + guard.window().toNanos()));
    }

    /** The tokens of a full mark bucket ({@link #remembered}): {@value}. */
    static final long MARK_TOKENS = 1_000;

    /**
     * The mark of a phone that verified a code: a bucket each verification empties (so the last verification counts),
     * refilled evenly over {@code rememberVerified}; the phone is marked while it is not full again.
     */
    static Budget remembered(ConversionGuard guard) {
        return new Budget(new BucketConfiguration(List.of(Bandwidth.builder().capacity(MARK_TOKENS)
                .refillGreedy(MARK_TOKENS, guard.rememberVerified()).build())),
                fingerprint("n" + guard.rememberVerified().toNanos()));
    }


    /** 64-bit FNV-1a in base 36: limits are the operator's, not an attacker's, so a plain hash names them well enough. */
    private static String fingerprint(CharSequence canonical) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < canonical.length(); i++) {
            h = (h ^ canonical.charAt(i)) * 0x100000001b3L;
        }
        return Long.toString(h & Long.MAX_VALUE, 36);
    }
}
