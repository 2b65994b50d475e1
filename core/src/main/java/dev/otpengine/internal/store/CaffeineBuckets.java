package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.RemoteCommand;
import io.github.bucket4j.distributed.remote.Request;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Bucket4j buckets of one rate-limit scope held by Caffeine: the idea of Bucket4j's own {@code CaffeineProxyManager}
 * (which would be one more jar on the engine's class path), with the bound shared out by how busy a bucket is.
 * <ul>
 *   <li>Each command runs under one {@code compute} on its key, so concurrent calls on one bucket are exact.</li>
 *   <li>A bucket expires when it would be full again (by the engine's clock, Caffeine's {@code Ticker} here): it would
 *       come back the same, so keeping it is worth nothing; a command that leaves it full (a give-back) drops it at
 *       once.</li>
 *   <li><b>Tiers.</b> A bucket's load is the most calls any of its windows holds right now (taken and not given
 *       back). Buckets live in {@value #TIERS} Caffeine caches by load, doubling from tier to tier (1, 2–3, 4–7, …,
 *       256–511, 512 or more), each with an equal share of the bound, and a bucket moves up when its load reaches
 *       the next tier. Within a tier Caffeine's W-TinyLFU decides what goes; across tiers nothing competes. So a flood
 *       of keys that each hold {@code k} calls (below 512) can only push out buckets holding fewer than {@code 2k},
 *       and to have a busy counter (a victim's phone, a guess budget, an IP's verifications) forgotten an attacker
 *       must bring a tenth of the bound in keys, each about as busy as the victim: a cost that grows with the victim's
 *       load, as it should. Caffeine alone would not do: its frequency sketch forgets a key that stays idle while a
 *       flood passes, whatever that key holds. Nor would shares that halve from tier to tier: flushing any tier would
 *       then cost the same, however busy its buckets.</li>
 *   <li>Keys are hashed with {@link KeyedHash}, so an attacker cannot make keys that share a victim's map bin or
 *       frequency counters, which is what Caffeine evicts by.</li>
 * </ul>
 * Every change to a key runs inside the first tier's {@code compute} on that key, which serializes them; the other
 * tiers are only reached from inside it and never reach back, so locks are always taken in one order.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class CaffeineBuckets extends AbstractProxyManager<String> {

    /** How many tiers: {@value}. */
    static final int TIERS = 10;

    private final Cache<HashedKey, RemoteBucketState>[] tiers;
    private final KeyedHash hash;
    private final TimeMeter clock;

    /**
     * Buckets of one scope.
     *
     * @param clock the engine's clock
     * @param maxKeys the most buckets held (from {@value #TIERS} up; below that each tier still holds one)
     * @param hash the store's keyed hash
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
    CaffeineBuckets(TimeMeter clock, long maxKeys, KeyedHash hash) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.clock = clock;
        this.hash = hash;
        this.tiers = new Cache[TIERS];
        for (int t = 0; t < TIERS; t++) {
            long share = maxKeys / TIERS + (t < maxKeys % TIERS ? 1 : 0);
            tiers[t] = cache(clock, Math.max(1, share));
        }
    }

    private static Cache<HashedKey, RemoteBucketState> cache(TimeMeter clock, long maxKeys) {
        return Caffeine.newBuilder()
                .ticker(clock::currentTimeNanos)
                .maximumSize(maxKeys)
                .expireAfter(new UntilFull())
                .build();
    }

    /** The tier of a load: 0 for 1 call, 1 for 2–3, 2 for 4–7, and so on, the last for 512 calls and more. */
    static int tierOf(long load) {
        return Math.min(TIERS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, load)));
    }

    @Override
    protected <T> CommandResult<T> execute(String key, Request<T> request) {
        Long clientTime = request.getClientSideTime();
        return run(new HashedKey(key, hash), request.getCommand(),
                clientTime != null ? clientTime : clock.currentTimeNanos());
    }

    /** Runs one command on a key's bucket, whichever tier holds it, under the first tier's lock on the key. */
    private <T> CommandResult<T> run(HashedKey k, RemoteCommand<T> command, long now) {
        Step<T> step = new Step<>(k, command, now);
        tiers[0].asMap().compute(k, step);
        return step.result;
    }

    /**
     * One command on one key: the function given to the first tier's {@code compute} and, from inside it, to each
     * higher tier's {@code computeIfPresent} until one holds the bucket. One object per command rather than a lambda
     * per tier: most keys of a flood are new, so every tier is asked.
     */
    private final class Step<T> implements BiFunction<HashedKey, RemoteBucketState, RemoteBucketState> {

        private final HashedKey key;
        private final RemoteCommand<T> command;
        private final long now;
        /** The tier being asked; -1 until the first tier's {@code compute} has called in. */
        private int tier = -1;
        /** The command's answer; set once it ran, which happens once, in whichever tier holds the bucket. */
        CommandResult<T> result;

        Step(HashedKey key, RemoteCommand<T> command, long now) {
            this.key = key;
            this.command = command;
            this.now = now;
        }

        @Override
        public RemoteBucketState apply(HashedKey k, RemoteBucketState held) {
            if (tier >= 0) {
                return runIn(tier, held); // a higher tier holds the bucket
            }
            tier = 0;
            if (held != null) {
                return runIn(0, held);
            }
            for (int t = 1; t < TIERS && result == null; t++) {
                tier = t;
                tiers[t].asMap().computeIfPresent(key, this);
            }
            if (result != null) { // a command always answers: the bucket was in a higher tier
                return null;
            }
            return runIn(0, null);
        }

        /**
         * Runs the command on a bucket's state in tier {@code t} and says what that tier keeps: the state, or nothing
         * when the bucket is gone, full again, or has moved up to the tier of its load. The state is changed in place:
         * it is only ever read or written under the lock of its key, which the caller holds.
         */
        private RemoteBucketState runIn(int t, RemoteBucketState held) {
            MutableBucketEntry entry = new MutableBucketEntry(held);
            result = command.execute(entry, now);
            if (!entry.exists()) {
                return null;
            }
            RemoteBucketState state = entry.get();
            long load = load(state);
            if (load == 0) {
                return null; // full again: what a new bucket would be, so keeping it is worth nothing
            }
            int belongs = tierOf(load);
            if (belongs > t) {
                tiers[belongs].put(key, state);
                return null;
            }
            return state;
        }
    }

    /** The most calls any window of the bucket holds: its capacity minus what is left, at the last refill. */
    private static long load(RemoteBucketState state) {
        BucketState tokens = state.getState();
        Bandwidth[] bandwidths = state.getConfiguration().getBandwidths();
        long load = 0;
        for (int i = 0; i < bandwidths.length; i++) {
            load = Math.max(load, bandwidths[i].getCapacity() - tokens.getCurrentSize(i));
        }
        return load;
    }

    @Override
    protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
        return CompletableFuture.completedFuture(execute(key, request));
    }

    @Override
    public void removeProxy(String key) {
        HashedKey k = new HashedKey(key, hash);
        tiers[0].asMap().compute(k, (kk, held) -> {
            for (int t = 1; t < TIERS; t++) {
                tiers[t].invalidate(k);
            }
            return null;
        });
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        removeProxy(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    /** @return how many buckets are held, after expired ones are dropped; for tests and measurements */
    long size() {
        long size = 0;
        for (Cache<HashedKey, RemoteBucketState> tier : tiers) {
            tier.cleanUp();
            size += tier.estimatedSize();
        }
        return size;
    }

    /** A bucket lives until it would be full again. */
    private static final class UntilFull implements Expiry<HashedKey, RemoteBucketState> {

        @Override
        public long expireAfterCreate(HashedKey key, RemoteBucketState state, long now) {
            return Math.max(1, state.calculateFullRefillingTime(now));
        }

        @Override
        public long expireAfterUpdate(HashedKey key, RemoteBucketState state, long now, long currentDuration) {
            return Math.max(1, state.calculateFullRefillingTime(now));
        }

        @Override
        public long expireAfterRead(HashedKey key, RemoteBucketState state, long now, long currentDuration) {
            return currentDuration;
        }
    }
}
