package dev.otpengine.internal;

import dev.otpengine.RateLimitException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.MathType;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The counters of one scope: one Bucket4j {@link BucketState} per key, in a fixed, set-associative table of at most
 * {@code maxKeys} slots that is allocated once and never grows.
 *
 * <p>A key lives in one set of {@value #WAYS} slots chosen by its hash (mixed with a seed drawn per table), and every
 * read and change of a set's slots happens under that set's lock, so a state is never seen by two threads at once
 * and needs no synchronization of its own. That is also why the table keeps Bucket4j's state rather than a
 * {@code Bucket}: the state is the token arithmetic alone.
 *
 * <p>A counter left alone until it is full again (its longest window, or the cooldown, has passed since its last
 * use) counts as absent, since it would come back the same, and its slot is free; so is a counter a give-back made
 * full again. A new key in a set with no free slot takes the slot of the counter holding the fewest calls,
 * so that a flood of distinct keys pushes out other once-seen keys rather than the busy counters an attacker would
 * want reset. A key pushed out starts afresh, which is the price of a bounded table.
 *
 * <p>Unlike a cache, the table costs no allocation and no maintenance per request beyond a new key's state: this is
 * the rate limits' hot path, run up to six times per login.
 *
 * @param <K> the key
 */
final class LimitTable<K> {

    /** Slots per set: {@value}. */
    static final int WAYS = 8;

    private final RateLimitException.Scope scope;
    private final TimeMeter time;
    private final int ways;
    private final int sets;
    private final int seed = ThreadLocalRandom.current().nextInt();
    private final Object[] locks;
    private final Object[] keys;
    private final BucketState[] states;
    /** When each slot's counter is surely full again, in the clock's nanoseconds; a slot at or before now is free. */
    private final long[] idleUntil;
    /** Each slot key's spread hash, compared before the key itself so a lookup reads one array, not eight keys. */
    private final int[] hashes;
    /** Calls each slot's counter holds (taken minus given back), to pick the least used as a victim. */
    private final int[] uses;

    LimitTable(RateLimitException.Scope scope, TimeMeter time, long maxKeys) {
        this.scope = scope;
        this.time = time;
        int capacity = (int) Math.min(maxKeys, 1 << 30);
        this.ways = Math.min(WAYS, capacity);
        this.sets = capacity / ways;
        this.locks = new Object[sets];
        for (int i = 0; i < sets; i++) {
            locks[i] = new Object();
        }
        this.keys = new Object[sets * ways];
        this.states = new BucketState[sets * ways];
        this.idleUntil = new long[sets * ways];
        this.hashes = new int[sets * ways];
        this.uses = new int[sets * ways];
    }

    /**
     * Takes one call from the key's budget.
     *
     * @throws RateLimitException with this table's scope and the time until the budget lets one more through
     */
    void acquire(K key, BucketConfiguration budget) {
        long now = time.currentTimeNanos();
        int hash = spread(key);
        int set = Math.floorMod(hash, sets);
        long wait = -1; // stays -1 when the call is let through
        synchronized (locks[set]) {
            int slot = find(set, hash, key, now);
            BucketState state = slot < 0 ? null : states[slot];
            if (state == null || !sameBudget(state, budget)) {
                if (slot < 0) {
                    slot = victim(set, now);
                }
                state = BucketState.createInitialState(budget, MathType.INTEGER_64_BITS, now);
                keys[slot] = key;
                states[slot] = state;
                hashes[slot] = hash;
                uses[slot] = 0;
            }
            state.refillAllBandwidth(now);
            if (state.getAvailableTokens() >= 1) {
                state.consume(1);
                uses[slot]++;
            } else {
                wait = state.calculateDelayNanosAfterWillBePossibleToConsume(1, now, true);
            }
            idleUntil[slot] = now + untilFull(budget);
        }
        if (wait >= 0) {
            throw new RateLimitException(scope, Duration.ofNanos(wait));
        }
    }

    /**
     * Gives back a call {@link #acquire} took, when a later check refused the request it was taken for, or when the
     * call turned out to cost nothing (a right guess). A counter full again frees its slot: it is what a new one
     * would be, and freeing it keeps the table for counters that matter.
     */
    void release(K key, BucketConfiguration budget) {
        long now = time.currentTimeNanos();
        int hash = spread(key);
        int set = Math.floorMod(hash, sets);
        synchronized (locks[set]) {
            int slot = find(set, hash, key, now);
            if (slot < 0 || !sameBudget(states[slot], budget)) {
                return;
            }
            BucketState state = states[slot];
            state.refillAllBandwidth(now);
            state.addTokens(1);
            uses[slot]--;
            if (isFull(state)) {
                clear(slot);
            }
        }
    }

    /** The key's live slot in its set, or -1. A slot whose counter is full again is cleared on the way. */
    private int find(int set, int hash, Object key, long now) {
        int from = set * ways;
        for (int slot = from; slot < from + ways; slot++) {
            if (hashes[slot] == hash && keys[slot] != null && keys[slot].equals(key)) {
                if (idleUntil[slot] > now) {
                    return slot;
                }
                clear(slot);
                return -1;
            }
        }
        return -1;
    }

    /**
     * A slot for a new key: a free one, else the one whose counter holds the fewest calls (of those, the one idle
     * longest), so that busy counters stay.
     */
    private int victim(int set, long now) {
        int from = set * ways;
        int best = from;
        for (int slot = from; slot < from + ways; slot++) {
            if (keys[slot] == null || idleUntil[slot] <= now) {
                return slot;
            }
            if (uses[slot] < uses[best] || (uses[slot] == uses[best] && idleUntil[slot] < idleUntil[best])) {
                best = slot;
            }
        }
        return best;
    }

    private void clear(int slot) {
        keys[slot] = null;
        states[slot] = null;
        idleUntil[slot] = 0;
        uses[slot] = 0;
    }

    private int spread(Object key) {
        int h = (key.hashCode() ^ seed) * 0x9E3779B9;
        return h ^ (h >>> 16);
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

    /** How many keys hold a live counter; for tests and measurements. */
    long size() {
        long now = time.currentTimeNanos();
        long live = 0;
        for (int set = 0; set < sets; set++) {
            synchronized (locks[set]) {
                for (int slot = set * ways; slot < (set + 1) * ways; slot++) {
                    if (keys[slot] != null && idleUntil[slot] > now) {
                        live++;
                    }
                }
            }
        }
        return live;
    }
}
