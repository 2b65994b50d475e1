package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
 * (which would be one more jar on the engine's class path), with a doorkeeper in front.
 * <ul>
 *   <li>Each command runs inside one {@code compute} on its key, so concurrent calls on one bucket are exact.</li>
 *   <li>A bucket expires when it would be full again (by the engine's clock, Caffeine's {@code Ticker} here): it would
 *       come back the same, so keeping it is worth nothing; a command that leaves it full (a give-back) drops it at
 *       once.</li>
 *   <li>Two caches, each bounded and each under Caffeine's W-TinyLFU policy: {@code fresh} holds the buckets of keys
 *       seen once, {@code regular} those of keys seen again, which move there on their second call. A flood of
 *       distinct, once-seen keys (IPs, phones) churns {@code fresh} alone and cannot age or push out a busy counter
 *       in {@code regular}; Caffeine alone would, since its frequency sketch forgets a key that stays idle while
 *       millions of others pass.</li>
 *   <li>Keys are hashed with {@link KeyedHash}, so an attacker cannot make keys that share a victim's map bin or
 *       frequency counters, which is what Caffeine evicts by.</li>
 * </ul>
 * A key moves from {@code fresh} to {@code regular} inside {@code fresh}'s compute on that key, and {@code regular}'s
 * operations never touch {@code fresh}: the locks are always taken in that order.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class CaffeineBuckets extends AbstractProxyManager<String> {

    private final Cache<HashedKey, RemoteBucketState> fresh;
    private final Cache<HashedKey, RemoteBucketState> regular;
    private final KeyedHash hash;
    private final TimeMeter clock;
    private final ThreadLocal<HashedKey> lastKey = new ThreadLocal<>();

    /**
     * Buckets of one scope.
     *
     * @param clock the engine's clock
     * @param maxKeys the most buckets held: half for keys seen once (at least one), the rest for keys seen again
     * @param hash the store's keyed hash
     */
    CaffeineBuckets(TimeMeter clock, long maxKeys, KeyedHash hash) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.clock = clock;
        this.hash = hash;
        long freshKeys = Math.max(1, maxKeys / 2);
        this.fresh = cache(clock, freshKeys);
        this.regular = cache(clock, Math.max(1, maxKeys - freshKeys));
    }

    private static Cache<HashedKey, RemoteBucketState> cache(TimeMeter clock, long maxKeys) {
        return Caffeine.newBuilder()
                .ticker(clock::currentTimeNanos)
                .maximumSize(maxKeys)
                .expireAfter(new UntilFull())
                .build();
    }

    @Override
    protected <T> CommandResult<T> execute(String key, Request<T> request) {
        HashedKey k = hashed(key);
        if (!request.getCommand().isInitializationCommand() && regular.policy().getIfPresentQuietly(k) == null
                && fresh.policy().getIfPresentQuietly(k) == null) {
            // What any command but an initializing one answers for a missing bucket, without taking a lock: Bucket4j's
            // proxy then sends the command again wrapped in one that creates the bucket, which is safe if another
            // thread created it in between.
            return CommandResult.bucketNotFound();
        }
        Long clientTime = request.getClientSideTime();
        long now = clientTime != null ? clientTime : clock.currentTimeNanos();
        CommandResult<T> result = inRegular(k, request, now);
        if (result != null) {
            return result;
        }
        @SuppressWarnings("unchecked")
        CommandResult<T>[] holder = new CommandResult[1];
        fresh.asMap().compute(k, (kk, held) -> {
            if (held == null) {
                CommandResult<T> promoted = inRegular(k, request, now); // moved there since the first look
                if (promoted != null) {
                    holder[0] = promoted;
                    return null;
                }
            }
            RemoteBucketState[] state = new RemoteBucketState[1];
            holder[0] = run(held, request, now, state);
            if (state[0] != null && held != null) {
                regular.put(k, state[0]); // its second call: a key worth keeping through a flood
                return null;
            }
            return state[0];
        });
        return holder[0];
    }

    /** Runs the command on the key's bucket in {@code regular}, or returns {@code null} if it is not there. */
    private <T> CommandResult<T> inRegular(HashedKey k, Request<T> request, long now) {
        @SuppressWarnings("unchecked")
        CommandResult<T>[] holder = new CommandResult[1];
        regular.asMap().computeIfPresent(k, (kk, held) -> {
            RemoteBucketState[] state = new RemoteBucketState[1];
            holder[0] = run(held, request, now, state);
            return state[0];
        });
        return holder[0];
    }

    /**
     * Runs a command on a copy of a bucket's state, as Bucket4j's own managers do (a command sees its state, and only
     * what it keeps is stored).
     *
     * @param kept receives the state to store, or {@code null} to hold none (absent, or full again)
     */
    private static <T> CommandResult<T> run(RemoteBucketState held, Request<T> request, long now,
                                            RemoteBucketState[] kept) {
        MutableBucketEntry entry = new MutableBucketEntry(held == null ? null : held.copy());
        CommandResult<T> result = request.getCommand().execute(entry, now);
        kept[0] = entry.exists() && entry.get().calculateFullRefillingTime(now) > 0 ? entry.get() : null;
        return result;
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
        fresh.asMap().compute(k, (kk, held) -> {
            regular.invalidate(k);
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
        fresh.cleanUp();
        regular.cleanUp();
        return fresh.estimatedSize() + regular.estimatedSize();
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
