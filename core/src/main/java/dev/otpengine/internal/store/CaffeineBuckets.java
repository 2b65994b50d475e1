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
import io.github.bucket4j.distributed.remote.Request;

import java.util.concurrent.CompletableFuture;

/**
 * Bucket4j buckets of one rate-limit scope held by Caffeine: the idea of Bucket4j's own {@code CaffeineProxyManager}
 * (which would be one more jar on the engine's class path), with the bound shared out by how busy a bucket is.
 * <ul>
 *   <li>Each command runs under one {@code compute} on its key, so concurrent calls on one bucket are exact.</li>
 *   <li>A bucket expires when it would be full again (by the engine's clock, Caffeine's {@code Ticker} here): it would
 *       come back the same, so keeping it is worth nothing; a command that leaves it full (a give-back) drops it at
 *       once.</li>
 *   <li><b>Tiers.</b> A bucket's load is the most calls any of its windows holds right now (taken and not given
 *       back). Buckets live in {@value #TIERS} Caffeine caches by load: 1, 2–3, 4–7, 8–15, 16 or more, each with its
 *       own share of the bound (a half, a quarter, an eighth, a sixteenth, the rest), and a bucket moves up when its
 *       load reaches the next tier. Within a tier Caffeine's W-TinyLFU decides what goes; across tiers nothing
 *       competes. So a flood of keys that each hold {@code k} calls can only push out buckets holding fewer than
 *       {@code 2k}: an attacker who wants a busy counter (a victim's phone, a guess budget) forgotten must bring as
 *       many keys as its tier holds, each about as busy as the victim. Caffeine alone would not do: its frequency
 *       sketch forgets a key that stays idle while a flood passes, whatever that key holds.</li>
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
    static final int TIERS = 5;

    private final Cache<HashedKey, RemoteBucketState>[] tiers;
    private final KeyedHash hash;
    private final TimeMeter clock;
    private final ThreadLocal<HashedKey> lastKey = new ThreadLocal<>();

    /**
     * Buckets of one scope.
     *
     * @param clock the engine's clock
     * @param maxKeys the most buckets held (from 16 up; below that each tier still holds one)
     * @param hash the store's keyed hash
     */
    @SuppressWarnings("unchecked")
    CaffeineBuckets(TimeMeter clock, long maxKeys, KeyedHash hash) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.clock = clock;
        this.hash = hash;
        this.tiers = new Cache[TIERS];
        long left = maxKeys;
        for (int t = 0; t < TIERS; t++) {
            long share = t == TIERS - 1 ? left : maxKeys >> (t + 1);
            tiers[t] = cache(clock, Math.max(1, share));
            left -= share;
        }
    }

    private static Cache<HashedKey, RemoteBucketState> cache(TimeMeter clock, long maxKeys) {
        return Caffeine.newBuilder()
                .ticker(clock::currentTimeNanos)
                .maximumSize(maxKeys)
                .expireAfter(new UntilFull())
                .build();
    }

    /** The tier of a load: 0 for 1 call, 1 for 2–3, and so on, the last for all above. */
    static int tierOf(long load) {
        return Math.min(TIERS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, load)));
    }

    @Override
    protected <T> CommandResult<T> execute(String key, Request<T> request) {
        HashedKey k = hashed(key);
        if (!request.getCommand().isInitializationCommand() && !isHeld(k)) {
            // What any command but an initializing one answers for a missing bucket, without taking a lock: Bucket4j's
            // proxy then sends the command again wrapped in one that creates the bucket, which is safe if another
            // thread created it in between.
            return CommandResult.bucketNotFound();
        }
        Long clientTime = request.getClientSideTime();
        long now = clientTime != null ? clientTime : clock.currentTimeNanos();
        @SuppressWarnings("unchecked")
        CommandResult<T>[] result = new CommandResult[1];
        tiers[0].asMap().compute(k, (kk, held) -> {
            if (held != null) {
                return runIn(0, k, held, request, now, result);
            }
            for (int t = 1; t < TIERS; t++) {
                int tier = t;
                boolean[] found = new boolean[1];
                tiers[t].asMap().computeIfPresent(k, (kkk, state) -> {
                    found[0] = true;
                    return runIn(tier, k, state, request, now, result);
                });
                if (found[0]) {
                    return null;
                }
            }
            return runIn(0, k, null, request, now, result);
        });
        return result[0];
    }

    /**
     * Runs a command on a copy of a bucket's state in tier {@code tier} (as Bucket4j's own managers do: a command sees
     * its state, and only what it keeps is stored) and says what that tier keeps: the new state, or nothing when the
     * bucket is gone, full again, or has moved up to the tier of its load.
     */
    private <T> RemoteBucketState runIn(int tier, HashedKey k, RemoteBucketState held, Request<T> request, long now,
                                        CommandResult<T>[] result) {
        MutableBucketEntry entry = new MutableBucketEntry(held == null ? null : held.copy());
        result[0] = request.getCommand().execute(entry, now);
        if (!entry.exists()) {
            return null;
        }
        RemoteBucketState state = entry.get();
        long load = load(state);
        if (load == 0) {
            return null; // full again: what a new bucket would be, so keeping it is worth nothing
        }
        int belongs = tierOf(load);
        if (belongs > tier) {
            tiers[belongs].put(k, state);
            return null;
        }
        return state;
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

    private boolean isHeld(HashedKey k) {
        for (Cache<HashedKey, RemoteBucketState> tier : tiers) {
            if (tier.policy().getIfPresentQuietly(k) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key with its keyed hash. Bucket4j's proxy runs a command on a new bucket twice (once to learn it is missing,
     * once to create it) with the same key object, so the last key of each thread is kept to hash it once.
     */
    private HashedKey hashed(String key) {
        HashedKey last = lastKey.get();
        if (last != null && last.key() == key) {
            return last;
        }
        HashedKey k = new HashedKey(key, hash);
        lastKey.set(k);
        return k;
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
