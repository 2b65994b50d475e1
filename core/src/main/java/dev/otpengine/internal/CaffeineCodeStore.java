package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.VerifyResult;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The in-process {@link CodeStore}: two bounded Caffeine caches whose entries expire by the engine's clock.
 * <ul>
 *   <li>{@code codes}, request id to pending code, kept {@link #EXPIRED_RETENTION} past expiry so that a late
 *       guess is told {@code EXPIRED} rather than {@code NOT_FOUND};</li>
 *   <li>{@code latest}, (widget, address kind, address) to the newest code sent there, which a new send uses
 *       to withdraw the old code; it expires with the code and may point at a code already gone.</li>
 * </ul>
 * Every change is one atomic {@code compute} or {@code remove(key, value)} on one map, and no map operation
 * runs inside another map's compute, so there is no lock ordering to get wrong. Caffeine's maintenance runs
 * on the calling thread, which keeps expiry deterministic in virtual time.
 */
public final class CaffeineCodeStore implements CodeStore {

    /** How long an expired code is still reported as {@code EXPIRED}: one minute. */
    public static final Duration EXPIRED_RETENTION = Duration.ofMinutes(1);

    private final Cache<UUID, PendingCode> codes;
    private final Cache<AddressKey, PendingCode> latest;

    /**
     * A store.
     *
     * @param ticker the engine's clock as a ticker
     * @param maxPendingCodes the most codes kept; past it Caffeine evicts (a victim then verifies as not found)
     */
    public CaffeineCodeStore(Ticker ticker, long maxPendingCodes) {
        this.codes = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(maxPendingCodes)
                .expireAfter(expiringAt(EXPIRED_RETENTION.toNanos())).build();
        this.latest = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(maxPendingCodes)
                .expireAfter(expiringAt(0)).build();
    }

    private record AddressKey(UUID widgetId, String kind, String address) {
    }

    @Override
    public void put(PendingCode code) {
        codes.put(code.requestId, code);
        for (Map.Entry<String, String> address : code.recipient.addresses().entrySet()) {
            PendingCode[] superseded = new PendingCode[1];
            latest.asMap().compute(new AddressKey(code.widgetId, address.getKey(), address.getValue()), (key, previous) -> {
                if (previous == null || previous.sequence < code.sequence) {
                    superseded[0] = previous;
                    return code;
                }
                superseded[0] = code; // a newer send to this address got here first
                return previous;
            });
            if (superseded[0] != null) {
                withdraw(superseded[0]);
            }
        }
    }

    @Override
    public Attempt attempt(UUID requestId, byte[] guessHash, long nowNanos) {
        Attempt[] outcome = {Attempt.NOT_FOUND};
        codes.asMap().computeIfPresent(requestId, (id, code) -> {
            if (nowNanos >= code.expiresAtNanos) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.EXPIRED, 0), code);
                return code;
            }
            if (code.failures >= code.maxAttempts) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.ATTEMPTS_EXCEEDED, 0), code);
                return code;
            }
            if (MessageDigest.isEqual(code.hash, guessHash)) {
                outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.VERIFIED, code.maxAttempts - code.failures), code);
                return null;
            }
            code.failures++;
            outcome[0] = new Attempt(new VerifyResult(VerifyResult.Status.INVALID_CODE, code.maxAttempts - code.failures), code);
            return code;
        });
        return outcome[0];
    }

    @Override
    public PendingCode peek(UUID requestId) {
        return codes.getIfPresent(requestId);
    }

    @Override
    public void withdraw(PendingCode code) {
        codes.asMap().remove(code.requestId, code);
    }

    /** @return how many codes are held, after pending maintenance; for tests of the bound */
    long codesHeld() {
        codes.cleanUp();
        return codes.estimatedSize();
    }

    /** @return how many address entries are held, after pending maintenance; for tests of the bound */
    long addressesHeld() {
        latest.cleanUp();
        return latest.estimatedSize();
    }

    private static Expiry<Object, PendingCode> expiringAt(long extraNanos) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(Object key, PendingCode code, long now) {
                return Math.max(0, code.expiresAtNanos + extraNanos - now);
            }

            @Override
            public long expireAfterUpdate(Object key, PendingCode code, long now, long remaining) {
                return expireAfterCreate(key, code, now);
            }

            @Override
            public long expireAfterRead(Object key, PendingCode code, long now, long remaining) {
                return remaining;
            }
        };
    }
}
