package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.RateLimitException;
import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.store.support.GuessRule;
import dev.otpengine.store.support.RecipientCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The in-process store's pending codes: one Caffeine cache of codes and a resend index beside it.
 * <ul>
 *   <li>{@code codes} holds each pending code as its own key (looked up with a {@link RequestKey}), so no request id
 *       object is kept. Each expires by the engine's clock (Caffeine's {@link Ticker} here) at its own expiry plus
 *       {@link OtpStore#EXPIRED_RETENTION}, so that a late guess is told {@code EXPIRED} rather than
 *       {@code NOT_FOUND}. Expired codes leave on Caffeine's own maintenance and, with the system clock, on its
 *       scheduler ({@link ExpiryScheduler}), so an idle engine empties too.</li>
 *   <li>{@code latest}, the resend index, maps an address to the newest code put there (or, when several widgets
 *       sent to it, an array of them, one per widget). Its keys are the recipients' own address strings, so an index
 *       entry costs one map node. Every code that leaves is taken out of it at once: by the operation that
 *       removed it, or, when Caffeine expires it, by Caffeine's eviction listener, inside the eviction.</li>
 * </ul>
 *
 * <p><b>The bound.</b> At most {@code maxCodes} codes are held, expired ones within their retention included. A put
 * that finds the store full first has Caffeine drop what has expired, then is refused with
 * {@link RateLimitException.Scope#PENDING_CODES}: codes already pending are never pushed out by new ones, and a send
 * never succeeds for a code that is not kept. Caffeine's own {@code maximumSize} is set to the same bound as a last
 * valve; the count kept here reaches the bound first, so Caffeine never has to evict.
 *
 * <p>Every change is one atomic operation on one map. The one nesting, the index updated by the eviction listener
 * inside Caffeine's eviction, always takes the locks in the same order (the code's, then the index's), and no index
 * operation touches the cache, so there is no cycle to deadlock on.
 */
final class CaffeineCodes {

    private static final Logger log = LoggerFactory.getLogger(CaffeineCodes.class);
    private static final long RETENTION_NANOS = OtpStore.EXPIRED_RETENTION.toNanos();

    private final Cache<Object, PendingCode> codes;
    private final ConcurrentHashMap<String, Object> latest = new ConcurrentHashMap<>();
    /** Codes in the cache, counted up before a code goes in and down after it has left: never below the cache's size. */
    private final AtomicLong held = new AtomicLong();
    private final AtomicInteger sequence = new AtomicInteger();
    private final long maxCodes;
    private final ExpiryScheduler.OneCache wakeUps = ExpiryScheduler.forOneCache();

    CaffeineCodes(Ticker ticker, long maxCodes) {
        this.maxCodes = maxCodes;
        // Caffeine's maintenance runs on the thread that calls for it (a put or a guess, by a tryLock, in batches;
        // the expiry thread when idle), not on the common fork-join pool: handing it there woke a pool thread on most
        // writes, a third thread on two cores, and the benchmark's logins ran slower and by fits (see BENCHMARKS.md).
        // The eviction listener runs inside the eviction itself, so a code that expires leaves the index (and the
        // count) at once.
        this.codes = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .scheduler(wakeUps) // an idle engine's expired codes leave too
                .maximumSize(maxCodes)
                .initialCapacity((int) Math.min(maxCodes, 1024))
                .expireAfter(new UntilRetained())
                .<Object, PendingCode>evictionListener((key, code, cause) -> left(code, cause))
                .build();
    }

    void put(StoredCode stored, long now) {
        reserve(stored, now);
        PendingCode code = new PendingCode(stored, ClockTimeMeter.epochNanos(stored.expiresAt()), sequence.incrementAndGet());
        if (codes.asMap().putIfAbsent(code, code) != null) {
            held.decrementAndGet();
            throw new IllegalStateException("request id " + stored.requestId() + " is already stored");
        }
        for (Map.Entry<String, String> address : code.recipient.addresses().entrySet()) {
            PendingCode superseded = index(indexKey(address.getKey(), address.getValue()), code, now);
            if (superseded != null && codes.asMap().remove(superseded, superseded)) {
                removed(superseded);
            }
        }
        if (codes.policy().getIfPresentQuietly(code) != code) {
            // Withdrawn by a later put (or expired) while this one was still indexing: its removal may have been
            // handled before an address was indexed, so take it out again rather than leave a dead index entry.
            unindex(code);
        }
    }

    /** Counts a code in, or refuses it when the store is full even after expired codes are dropped. */
    private void reserve(StoredCode stored, long now) {
        for (int tries = 0; ; tries++) {
            long count = held.get();
            if (count < maxCodes) {
                if (held.compareAndSet(count, count + 1)) {
                    return;
                }
                continue;
            }
            if (tries > 0) {
                Duration retryAfter = untilRoom(now);
                log.warn("refused request {} of widget {} to {}: the store holds its maximum of {} pending codes; "
                        + "retry after {}", stored.requestId(), stored.widgetId(), stored.recipient(), maxCodes,
                        retryAfter);
                throw new RateLimitException(RateLimitException.Scope.PENDING_CODES, retryAfter);
            }
            codes.cleanUp(); // drops what has expired; the eviction listener counts it out
        }
    }

    /** How long until the code that leaves first has left. */
    private Duration untilRoom(long now) {
        return codes.policy().expireVariably()
                .flatMap(expiry -> expiry.oldest(1).keySet().stream().findFirst()
                        .map(k -> Duration.ofNanos(Math.max(0, ((PendingCode) k).expiresAtNanos + RETENTION_NANOS - now))))
                .orElse(Duration.ZERO);
    }

    /** Caffeine expired (or, should the count ever fail, evicted) a code. */
    private void left(PendingCode code, RemovalCause cause) {
        removed(code);
        if (cause == RemovalCause.SIZE) {
            log.warn("pending code of request {} to {} was evicted by the size bound", code.requestId(), code.recipient);
        }
    }

    /** A code left the cache: it no longer counts, and no address points to it. */
    private void removed(PendingCode code) {
        held.decrementAndGet();
        unindex(code);
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
            return code;
        }
        if (code.isNewerThan(held)) {
            loser[0] = held;
            return code;
        }
        loser[0] = code; // a put the store ordered later got to this address first
        return held;
    }

    /** Removes {@code code} from the index wherever it is still the newest. */
    private void unindex(PendingCode code) {
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

    /** The index key of an address: {@link RecipientCodec#addressKey}, as every store keys it. */
    private static String indexKey(String kind, String address) {
        return RecipientCodec.addressKey(kind, address);
    }

    GuessOutcome judge(UUID requestId, byte[] guessTag, long now) {
        Judgement judgement = new Judgement(guessTag, now);
        codes.asMap().computeIfPresent(new RequestKey(requestId), judgement);
        if (judgement.gone != null) {
            removed(judgement.gone);
        }
        return judgement.outcome;
    }

    /** One guess judged inside the code's {@code computeIfPresent}: one object rather than a lambda and its holders. */
    private static final class Judgement implements BiFunction<Object, PendingCode, PendingCode> {

        private final byte[] guessTag;
        private final long now;
        GuessOutcome outcome = GuessOutcome.NOT_FOUND;
        /** The code, if the guess took it out of the cache. */
        PendingCode gone;

        Judgement(byte[] guessTag, long now) {
            this.guessTag = guessTag;
            this.now = now;
        }

        @Override
        public PendingCode apply(Object key, PendingCode code) {
            GuessRule.Judgement judgement = GuessRule.judge(code.expiresAtNanos, code.failures, code.maxAttempts,
                    code.matches(guessTag), now);
            switch (judgement.change()) {
                case REMOVE:
                    gone = code;
                    break;
                case COUNT_FAILURE:
                    code.failures++;
                    break;
                default:
                    break;
            }
            outcome = judgement.outcome(code.widgetId, code.recipient);
            return judgement.change() == GuessRule.Change.REMOVE ? null : code;
        }
    }

    Optional<StoredCode> find(UUID requestId, long now) {
        PendingCode code = codes.policy().getIfPresentQuietly(new RequestKey(requestId));
        if (code == null || now >= code.expiresAtNanos + RETENTION_NANOS) {
            return Optional.empty();
        }
        return Optional.of(code.toStoredCode());
    }

    boolean withdraw(UUID requestId) {
        PendingCode code = codes.asMap().remove(new RequestKey(requestId));
        if (code == null) {
            return false;
        }
        removed(code);
        return true;
    }

    /** @return the code cache's scheduler; for tests */
    ExpiryScheduler.OneCache wakeUps() {
        return wakeUps;
    }

    /** Takes the cache's wake-up out of the shared timer's queue. */
    void close() {
        wakeUps.cancel();
    }

    /** @return how many codes are held, by the count kept for the bound (never below the cache's size) */
    long heldCount() {
        return held.get();
    }

    /** @return how many codes are held, after expired ones are dropped; for tests of the bound */
    long codesHeld() {
        codes.cleanUp();
        return codes.estimatedSize();
    }

    /** @return how many addresses the index holds, after expired codes are dropped; for tests of the bound */
    long addressesHeld() {
        codes.cleanUp();
        return latest.size();
    }

    /** A code is kept until its expiry plus the retention, by the engine's clock. */
    private static final class UntilRetained implements Expiry<Object, PendingCode> {

        @Override
        public long expireAfterCreate(Object key, PendingCode code, long now) {
            return Math.max(0, code.expiresAtNanos + RETENTION_NANOS - now);
        }

        @Override
        public long expireAfterUpdate(Object key, PendingCode code, long now, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(Object key, PendingCode code, long now, long currentDuration) {
            return currentDuration;
        }
    }
}
