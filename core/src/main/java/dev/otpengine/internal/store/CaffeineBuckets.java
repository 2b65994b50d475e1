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
import io.github.bucket4j.distributed.remote.commands.GetConfigurationCommand;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Bucket4j buckets of one rate-limit scope held by Caffeine: the idea of Bucket4j's own {@code CaffeineProxyManager}
 * (which would be one more jar on the engine's class path), with the bound shared out by how busy a bucket is.
 * <ul>
 *   <li>Each command runs on the bucket's state under the state's own lock, so concurrent calls on one bucket are
 *       exact. A bucket already held is found through an index of every bucket the tiers hold, which names its tier,
 *       then read from that tier with Caffeine's {@code getIfPresent} (a read: no map lock, no write for Caffeine's
 *       maintenance to replay, and one tier asked rather than each in turn); creating a bucket, moving it between
 *       tiers and dropping it run inside the first tier's {@code compute} on its key, which serializes them, and so
 *       does any command on a bucket within {@link #EXPIRY_MARGIN} of its expiry (see {@link Held#farFromExpiry}).
 *       A bucket Caffeine evicts leaves the index in Caffeine's eviction listener, inside the eviction.</li>
 *   <li>A bucket expires, by the engine's clock (Caffeine's {@code Ticker} here), once it has been left alone as long
 *       as it takes to refill from empty (its {@linkplain #refillFromEmpty longest refill}): by then it is full
 *       again, so it would come back the same and keeping it is worth nothing. A command that leaves it full (a
 *       give-back) drops it at once.</li>
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
 * Locks are always taken in one order: the first tier's lock on a key, then (from inside it) a higher tier's lock on
 * the same key, then a bucket's own lock; no map is touched while a bucket's lock is held. A bucket dropped for being
 * full is marked dead under its lock first, so a command that found it just before runs again on whatever holds the
 * key now instead of on a bucket no map holds; a bucket moved up a tier stays the same object, so a command on it
 * counts wherever it is.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class CaffeineBuckets extends AbstractProxyManager<String> {

    /** How many tiers: {@value}. */
    static final int TIERS = 10;

    private final Cache<HashedKey, Held>[] tiers;
    /** Every bucket a tier holds, by key: where to look it up. */
    private final ConcurrentHashMap<HashedKey, Held> index = new ConcurrentHashMap<>();
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

    private Cache<HashedKey, Held> cache(TimeMeter clock, long maxKeys) {
        return Caffeine.newBuilder()
                .ticker(clock::currentTimeNanos)
                .maximumSize(maxKeys)
                .expireAfter(new UntilRefilled())
                .<HashedKey, Held>evictionListener((key, held, cause) -> dropped(key, held))
                .build();
    }

    /** A bucket left its tier for good (evicted, expired, or dropped as full): it is dead and out of the index. */
    private void dropped(HashedKey key, Held held) {
        if (held != null) {
            synchronized (held) {
                held.dead = true;
            }
            index.remove(key, held);
        }
    }

    /** The tier of a load: 0 for 1 call, 1 for 2–3, 2 for 4–7, and so on, the last for 512 calls and more. */
    static int tierOf(long load) {
        return Math.min(TIERS - 1, 63 - Long.numberOfLeadingZeros(Math.max(1, load)));
    }

    /**
     * A bucket's state as a tier holds it. {@code state} and {@code dead} are read and written only under this
     * object's lock.
     */
    private static final class Held {
        RemoteBucketState state;
        /** Gone from the tiers: a command that still finds it must look the key up again. */
        boolean dead;
        /** The tier that holds it; changed only under the first tier's lock on its key. */
        volatile int tier;
        /** The engine's time of the last command run on it; written under this object's lock. */
        volatile long lastUsed;
        /** How long the bucket takes to refill from empty: once left alone that long, it is full. */
        final long refillFromEmpty;

        Held(RemoteBucketState state, long now) {
            this.state = state;
            this.lastUsed = now;
            this.refillFromEmpty = refillFromEmpty(state);
        }

        /**
         * Whether a command at {@code now} may run on it outside the first tier's lock: only while its expiry is more
         * than {@link #EXPIRY_MARGIN} away. Caffeine decides expiry under its map's lock, which a read does not take,
         * so a bucket read a moment before it expires could be dropped under a command already running on it; near
         * its expiry the command runs inside the lock instead, where the two cannot cross.
         */
        boolean farFromExpiry(long now) {
            return now - lastUsed < refillFromEmpty - EXPIRY_MARGIN;
        }
    }

    /** How far from its expiry a bucket must be for a command to run on it outside the lock: one second. */
    static final long EXPIRY_MARGIN = 1_000_000_000L;

    /**
     * The longest any window of the bucket takes to refill from empty: each refill (every refill period, or
     * continuously for a greedy one) adds its refill tokens, so {@code ceil(capacity / refill tokens)} periods.
     */
    static long refillFromEmpty(RemoteBucketState state) {
        long longest = 1;
        for (Bandwidth b : state.getConfiguration().getBandwidths()) {
            long refills = (b.getCapacity() + b.getRefillTokens() - 1) / b.getRefillTokens();
            long nanos = refills > Long.MAX_VALUE / 4 / b.getRefillPeriodNanos() ? Long.MAX_VALUE / 4
                    : refills * b.getRefillPeriodNanos();
            longest = Math.max(longest, nanos);
        }
        return longest;
    }

    @Override
    protected <T> CommandResult<T> execute(String key, Request<T> request) {
        Long clientTime = request.getClientSideTime();
        long now = clientTime != null ? clientTime : clock.currentTimeNanos();
        HashedKey k = new HashedKey(key, hash);
        RemoteCommand<T> command = request.getCommand();
        Held held = index.get(k);
        if (held != null) {
            int t = held.tier;
            // the read keeps it alive for what this command may take
            if (held.farFromExpiry(now) && tiers[t].getIfPresent(k) == held) {
                Ran<T> ran = runOn(held, command, now);
                if (ran != null) {
                    if (ran.load == 0 || tierOf(ran.load) > t) {
                        tiers[0].asMap().compute(k, new Step<>(k, null, now)); // drop it or move it up
                    }
                    return ran.result;
                }
            }
            // expired, moved, or dropped meanwhile: look again, under the lock
        } else if (command instanceof GetConfigurationCommand) {
            return command.execute(new MutableBucketEntry((RemoteBucketState) null), now); // creates nothing
        }
        Step<T> step = new Step<>(k, command, now);
        tiers[0].asMap().compute(k, step);
        return step.result;
    }

    /** A command's answer and the bucket's load after it (0 if it is full, or gone). */
    private record Ran<T>(CommandResult<T> result, long load) {
    }

    /** Runs a command on a held bucket under its lock; {@code null} if the bucket was dropped meanwhile. */
    private static <T> Ran<T> runOn(Held held, RemoteCommand<T> command, long now) {
        synchronized (held) {
            if (held.dead) {
                return null;
            }
            MutableBucketEntry entry = new MutableBucketEntry(held.state);
            CommandResult<T> result = command.execute(entry, now);
            if (!entry.exists()) {
                held.state = null;
                held.lastUsed = Math.max(held.lastUsed, now);
                return new Ran<>(result, 0);
            }
            held.state = entry.get();
            held.lastUsed = Math.max(held.lastUsed, now);
            return new Ran<>(result, load(held.state));
        }
    }

    /**
     * One key's change under the first tier's lock: the function given to its {@code compute} and, from inside it, to
     * each higher tier's {@code computeIfPresent} until one holds the bucket. With a command it runs the command
     * (creating the bucket if no tier holds it); without one it only settles where a bucket belongs after a command
     * ran on it outside the lock: dropped if full, moved up if its load has outgrown its tier. One object per change
     * rather than a lambda per tier. Under the first tier's lock the index is exact for the key (only this lock adds
     * to it, and only an eviction takes from it outside the lock), so at most one higher tier is asked.
     */
    private final class Step<T> implements BiFunction<HashedKey, Held, Held> {

        private final HashedKey key;
        private final RemoteCommand<T> command;
        private final long now;
        /** The tier being asked; -1 until the first tier's {@code compute} has called in. */
        private int tier = -1;
        /** Whether a tier held the key; the step is done then. */
        private boolean found;
        /** The command's answer; set once it ran, which happens once, in whichever tier holds the bucket. */
        CommandResult<T> result;

        Step(HashedKey key, RemoteCommand<T> command, long now) {
            this.key = key;
            this.command = command;
            this.now = now;
        }

        @Override
        public Held apply(HashedKey k, Held held) {
            if (tier >= 0) {
                found = true;
                return settleIn(tier, held); // a higher tier holds the bucket
            }
            tier = 0;
            if (held != null) {
                found = true;
                return settleIn(0, held);
            }
            Held indexed = index.get(key);
            if (indexed != null && indexed.tier > 0) {
                tier = indexed.tier;
                tiers[tier].asMap().computeIfPresent(key, this);
            }
            if (found || command == null) {
                return null; // the bucket was in a higher tier, or nothing holds it any longer
            }
            RemoteBucketState state = run(null);
            long load = state == null ? 0 : load(state);
            if (load == 0) {
                return null; // nothing taken: a full bucket is worth nothing
            }
            Held created = new Held(state, now);
            index.put(key, created);
            return placed(0, created, load);
        }

        /** Runs the command (if any) on a held bucket, then says what tier {@code t} keeps. */
        private Held settleIn(int t, Held held) {
            long load;
            synchronized (held) {
                if (held.dead) { // cannot be: a dead bucket leaves its tier in the step that kills it
                    throw new IllegalStateException("a dropped rate-limit bucket was still held by its tier");
                }
                if (command != null) {
                    held.state = run(held.state);
                    held.lastUsed = Math.max(held.lastUsed, now);
                }
                load = held.state == null ? 0 : load(held.state);
                if (load == 0) {
                    held.dead = true; // full again (or gone): what a new bucket would be; no command counts on it now
                }
            }
            if (load == 0) {
                index.remove(key, held);
                return null;
            }
            return placed(t, held, load);
        }

        /** The state after the command; {@code null} if the command left no bucket. */
        private RemoteBucketState run(RemoteBucketState state) {
            MutableBucketEntry entry = new MutableBucketEntry(state);
            result = command.execute(entry, now);
            return entry.exists() ? entry.get() : null;
        }

        /** What tier {@code t} keeps of a bucket with some load: itself, or nothing once it moved up. */
        private Held placed(int t, Held held, long load) {
            int belongs = tierOf(load);
            if (belongs > t) {
                held.tier = belongs;
                tiers[belongs].put(key, held);
                return null;
            }
            return held;
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
            dropped(k, held);
            for (int t = 1; t < TIERS; t++) {
                dropped(k, tiers[t].asMap().remove(k));
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
        for (Cache<HashedKey, Held> tier : tiers) {
            tier.cleanUp();
            size += tier.estimatedSize();
        }
        return size;
    }

    /** @return how many buckets the index names, after expired ones are dropped; for tests */
    long indexed() {
        size();
        return index.size();
    }

    /**
     * A bucket lives until it has been left alone as long as it takes to refill from empty, counted from its last
     * use, a read included: a command found by {@code getIfPresent} runs on it after the read, so the read must
     * already give it the time that command may need. An expiry is only ever pushed later, never brought earlier: a
     * reader that read the clock before another (or a clock stepped back) must not cut short the time a later command
     * was given. The bound holds for the commands the engine sends (take, give back, read); a bucket whose
     * configuration were replaced, or that were driven below zero, would need more.
     */
    private static final class UntilRefilled implements Expiry<HashedKey, Held> {

        @Override
        public long expireAfterCreate(HashedKey key, Held held, long now) {
            return held.refillFromEmpty;
        }

        @Override
        public long expireAfterUpdate(HashedKey key, Held held, long now, long currentDuration) {
            return Math.max(currentDuration, held.refillFromEmpty);
        }

        @Override
        public long expireAfterRead(HashedKey key, Held held, long now, long currentDuration) {
            return Math.max(currentDuration, held.refillFromEmpty);
        }
    }
}
