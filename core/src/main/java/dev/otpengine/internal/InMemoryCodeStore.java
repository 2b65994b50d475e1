package dev.otpengine.internal;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The in-process {@link CodeStore}: two {@link ConcurrentHashMap}s, laid out for a small heap per code.
 * <ul>
 *   <li>{@code codes} holds each pending code as its own key (looked up with a {@link RequestKey}), so no request
 *       id object is kept; a code stays {@link #EXPIRED_RETENTION} past expiry so that a late guess is told
 *       {@code EXPIRED} rather than {@code NOT_FOUND};</li>
 *   <li>{@code latest}, the resend index, maps an address to the newest code sent there (or, when several widgets
 *       sent to it, an array of them, one per widget). Its keys are the recipients' own address strings, so an
 *       index entry costs one map node.</li>
 * </ul>
 * Every change is one atomic {@code compute} or {@code remove(key, value)} on one map, and no map operation runs
 * inside another map's compute, so there is no lock ordering to get wrong.
 *
 * <p>Expiry and the bound are swept, not tracked per entry: at most once every {@link #SWEEP_INTERVAL} of the
 * engine's clock, one calling thread walks the codes and drops what has expired; when a put finds more than
 * {@code maxPendingCodes} codes, it sweeps at once and, if still over, drops arbitrary codes (they then verify as
 * {@code NOT_FOUND}) until a hundredth of the bound is free. A sweep costs time proportional to the codes held
 * (about 10 ms per million), paid by one request in each interval.
 */
public final class InMemoryCodeStore implements CodeStore {

    /** How long an expired code is still reported as {@code EXPIRED}: one minute. */
    public static final Duration EXPIRED_RETENTION = Duration.ofMinutes(1);
    /** How often, by the engine's clock, expired codes are swept out: one second. */
    public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private static final long RETENTION_NANOS = EXPIRED_RETENTION.toNanos();
    private static final long SWEEP_NANOS = SWEEP_INTERVAL.toNanos();

    private final ConcurrentHashMap<Object, PendingCode> codes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> latest = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long maxCodes;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep;

    /**
     * A store.
     *
     * @param clock the engine's clock in epoch nanoseconds
     * @param maxPendingCodes the most codes kept; past it arbitrary codes are dropped
     */
    public InMemoryCodeStore(LongSupplier clock, long maxPendingCodes) {
        this.clock = clock;
        this.maxCodes = maxPendingCodes;
        this.lastSweep = clock.getAsLong();
    }

    @Override
    public void put(PendingCode code) {
        long now = clock.getAsLong();
        codes.put(code, code);
        for (Map.Entry<String, String> address : code.recipient.addresses().entrySet()) {
            PendingCode superseded = index(indexKey(address.getKey(), address.getValue()), code, now);
            if (superseded != null) {
                withdraw(superseded);
            }
        }
        if (codes.size() > maxCodes) {
            sweep(now, true);
        } else {
            maybeSweep(now);
        }
    }

    /**
     * Makes {@code code} the newest for an address of its widget; returns the code that lost, if any. An expired
     * code loses its place without being withdrawn, so that a late guess at it is still told {@code EXPIRED}.
     */
    private PendingCode index(String key, PendingCode code, long now) {
        PendingCode[] loser = new PendingCode[1];
        latest.compute(key, (k, held) -> {
            if (held == null) {
                return code;
            }
            if (held instanceof PendingCode) {
                PendingCode other = (PendingCode) held;
                if (!other.widgetId.equals(code.widgetId)) {
                    return new PendingCode[] {other, code};
                }
                return newer(other, code, now, loser);
            }
            PendingCode[] all = ((PendingCode[]) held).clone();
            for (int i = 0; i < all.length; i++) {
                if (all[i].widgetId.equals(code.widgetId)) {
                    all[i] = newer(all[i], code, now, loser);
                    return all;
                }
            }
            PendingCode[] grown = Arrays.copyOf(all, all.length + 1);
            grown[all.length] = code;
            return grown;
        });
        return loser[0];
    }

    private static PendingCode newer(PendingCode held, PendingCode code, long now, PendingCode[] loser) {
        if (now >= held.expiresAtNanos) {
            held.unindexed = true;
            return code;
        }
        if (code.isNewerThan(held)) {
            loser[0] = held;
            return code;
        }
        loser[0] = code; // a newer send to this address got here first
        return held;
    }

    /** Removes {@code code} from the index wherever it is still the newest. */
    private void unindex(PendingCode code) {
        code.unindexed = true;
        for (Map.Entry<String, String> address : code.recipient.addresses().entrySet()) {
            latest.computeIfPresent(indexKey(address.getKey(), address.getValue()), (k, held) -> {
                if (held == code) {
                    return null;
                }
                if (held instanceof PendingCode) {
                    return held;
                }
                PendingCode[] all = (PendingCode[]) held;
                int at = -1;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == code) {
                        at = i;
                    }
                }
                if (at < 0) {
                    return held;
                }
                if (all.length == 2) {
                    return all[1 - at];
                }
                PendingCode[] rest = new PendingCode[all.length - 1];
                System.arraycopy(all, 0, rest, 0, at);
                System.arraycopy(all, at + 1, rest, at, all.length - at - 1);
                return rest;
            });
        }
    }

    /**
     * The index key of an address: the address itself for phones ({@code +…}) and emails ({@code …@…}), which
     * cannot look alike, and {@code kind:value} for custom kinds, which neither can contain.
     */
    private static String indexKey(String kind, String address) {
        return Recipient.PHONE.equals(kind) || Recipient.EMAIL.equals(kind) ? address : kind + ':' + address;
    }

    @Override
    public Attempt attempt(UUID requestId, byte[] guessHash, long nowNanos) {
        Attempt[] outcome = {Attempt.NOT_FOUND};
        PendingCode[] dropped = new PendingCode[1];
        codes.computeIfPresent(new RequestKey(requestId), (key, code) -> {
            if (nowNanos >= code.expiresAtNanos + RETENTION_NANOS) {
                dropped[0] = code; // past retention, awaiting the sweep: gone, as if swept
                return null;
            }
            if (nowNanos >= code.expiresAtNanos) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.EXPIRED, 0), code);
                return code;
            }
            if (code.failures >= code.maxAttempts) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.ATTEMPTS_EXCEEDED, 0), code);
                return code;
            }
            if (code.matches(guessHash)) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.VERIFIED, code.maxAttempts - code.failures), code);
                return null;
            }
            code.failures++;
            outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.INVALID_CODE, code.maxAttempts - code.failures), code);
            return code;
        });
        if (outcome[0].result().isVerified()) {
            unindex(outcome[0].code());
        } else if (dropped[0] != null) {
            unindex(dropped[0]);
        }
        maybeSweep(nowNanos);
        return outcome[0];
    }

    @Override
    public PendingCode peek(UUID requestId) {
        return codes.get(new RequestKey(requestId));
    }

    @Override
    public void withdraw(PendingCode code) {
        if (codes.remove(code, code)) {
            unindex(code);
        }
    }

    private void maybeSweep(long now) {
        if (now - lastSweep >= SWEEP_NANOS) {
            sweep(now, false);
        }
    }

    /**
     * Drops expired codes (and takes expired ones out of the index), then, if asked and still over the bound,
     * arbitrary codes. One thread sweeps at a time; the others carry on.
     */
    private void sweep(long now, boolean bound) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            lastSweep = now;
            for (Iterator<PendingCode> it = codes.values().iterator(); it.hasNext(); ) {
                PendingCode code = it.next();
                if (now >= code.expiresAtNanos + RETENTION_NANOS) {
                    withdraw(code);
                } else if (now >= code.expiresAtNanos && !code.unindexed) {
                    unindex(code);
                }
            }
            if (bound && codes.size() > maxCodes) {
                long target = maxCodes - Math.max(1, maxCodes / 100);
                for (Iterator<PendingCode> it = codes.values().iterator(); it.hasNext() && codes.size() > target; ) {
                    withdraw(it.next());
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    /** @return how many codes are held, after a sweep; for tests of the bound */
    long codesHeld() {
        sweep(clock.getAsLong(), false);
        return codes.size();
    }

    /** @return how many addresses the index holds, after a sweep; for tests of the bound */
    long addressesHeld() {
        sweep(clock.getAsLong(), false);
        return latest.size();
    }

    /** @return how many codes are held right now, without sweeping; for tests of the sweep */
    long size() {
        return codes.size();
    }

    /** @return the request id of some held code; for tests */
    UUID peekAny() {
        return codes.keySet().iterator().next() instanceof PendingCode c ? c.requestId() : null;
    }
}
