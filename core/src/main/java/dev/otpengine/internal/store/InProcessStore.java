package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.RateLimitException;
import dev.otpengine.store.Escalation;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import dev.otpengine.store.StoredCode;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store an engine keeps in its own process when given none: codes in Caffeine ({@link CaffeineCodes}), each
 * accepted messages for delivery reports in a third ({@link CaffeineMessages}), escalation steps in a queue under a
 * lock ({@link InProcessEscalations}), each
 * rate-limit scope's buckets in a Caffeine cache of its own ({@link CaffeineBuckets}, so that a flood of one kind
 * of key cannot push out another kind's counters), blocked widgets in a concurrent set.
 *
 * <p><b>Thread-safety:</b> thread-safe; two engines in one process may share one (as the contract tests do), given
 * the same secret and the same clock: the code cache reads the clock given here, and each scope's buckets the clock of
 * the first engine that asked for them.
 */
public final class InProcessStore implements OtpStore {

    private final CaffeineCodes codes;
    private final CaffeineMessages messages;
    private final InProcessEscalations escalations;
    private final long maxRateLimitKeys;
    private final KeyedHash keyHash = new KeyedHash(new SecureRandom());
    private final Map<RateLimitException.Scope, CaffeineBuckets> buckets = new EnumMap<>(RateLimitException.Scope.class);
    private final Set<UUID> blocked = ConcurrentHashMap.newKeySet();

    /**
     * A store.
     *
     * @param clock the engine's clock, Caffeine's {@link Ticker} for code expiry
     * @param maxPendingCodes the most codes held at once
     * @param maxRateLimitKeys the most buckets each rate-limit scope holds
     */
    public InProcessStore(Clock clock, long maxPendingCodes, long maxRateLimitKeys) {
        Objects.requireNonNull(clock, "clock");
        Ticker ticker = new ClockTimeMeter(clock)::currentTimeNanos;
        this.codes = new CaffeineCodes(ticker, maxPendingCodes);
        this.messages = new CaffeineMessages(ticker, maxPendingCodes);
        this.escalations = new InProcessEscalations(maxPendingCodes);
        this.maxRateLimitKeys = maxRateLimitKeys;
    }

    @Override
    public void putCode(StoredCode code, Instant now) {
        Objects.requireNonNull(code, "code");
        codes.put(code, ClockTimeMeter.epochNanos(Objects.requireNonNull(now, "now")));
    }

    @Override
    public Optional<StoredCode> findCode(UUID requestId, Instant now) {
        return codes.find(Objects.requireNonNull(requestId, "requestId"), ClockTimeMeter.epochNanos(Objects.requireNonNull(now, "now")));
    }

    @Override
    public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        StoredCode.checkTag(guessTag);
        return codes.judge(requestId, guessTag, ClockTimeMeter.epochNanos(Objects.requireNonNull(now, "now")));
    }

    @Override
    public boolean withdrawCode(UUID requestId) {
        return codes.withdraw(Objects.requireNonNull(requestId, "requestId"));
    }

    @Override
    public void rememberMessage(SentMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        messages.remember(message);
    }

    @Override
    public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
        return messages.find(Objects.requireNonNull(channelId, "channelId"),
                Objects.requireNonNull(providerMessageId, "providerMessageId"),
                ClockTimeMeter.epochNanos(Objects.requireNonNull(now, "now")));
    }

    @Override
    public void scheduleEscalation(Escalation escalation, Instant now) {
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(now, "now");
        escalations.schedule(escalation);
    }

    @Override
    public List<Escalation> claimDueEscalations(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        return escalations.claim(now, max);
    }

    @Override
    public boolean expediteEscalation(UUID requestId, String sentThrough, Instant now) {
        return escalations.expedite(Objects.requireNonNull(requestId, "requestId"),
                Objects.requireNonNull(sentThrough, "sentThrough"), Objects.requireNonNull(now, "now"));
    }

    @Override
    public synchronized ProxyManager<String> rateLimitBuckets(RateLimitException.Scope scope, TimeMeter clock) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(clock, "clock");
        return buckets.computeIfAbsent(scope, s -> new CaffeineBuckets(clock, maxRateLimitKeys, keyHash));
    }

    @Override
    public void blockWidget(UUID widgetId) {
        blocked.add(Objects.requireNonNull(widgetId, "widgetId"));
    }

    @Override
    public void unblockWidget(UUID widgetId) {
        blocked.remove(Objects.requireNonNull(widgetId, "widgetId"));
    }

    @Override
    public boolean isWidgetBlocked(UUID widgetId) {
        return blocked.contains(Objects.requireNonNull(widgetId, "widgetId"));
    }

    /**
     * Takes the code cache's wake-up out of the shared timer's queue ({@link ExpiryScheduler}); the store opened no
     * connection and started no thread of its own. The timer holds a store's caches only weakly, so they are collected
     * with the engine, closed or not.
     */
    @Override
    public void close() {
        codes.close();
    }

    /** @return the codes held, from the count the bound keeps: no walk, no clean-up */
    @Override
    public OptionalLong pendingCodes() {
        return OptionalLong.of(codes.heldCount());
    }

    /** @return the code cache's scheduler; for tests of its wake-ups */
    ExpiryScheduler.OneCache codeWakeUps() {
        return codes.wakeUps();
    }

    /** @return how many codes are held; for tests of the bound */
    long codesHeld() {
        return codes.codesHeld();
    }

    /** @return how many sent messages are remembered; for tests of the bound */
    long messagesHeld() {
        return messages.size();
    }

    /** @return how many addresses the resend index holds; for tests of the bound */
    long addressesHeld() {
        return codes.addressesHeld();
    }

    /** @return how many buckets each scope holds; for tests and measurements */
    public synchronized Map<RateLimitException.Scope, Long> bucketsHeld() {
        Map<RateLimitException.Scope, Long> sizes = new EnumMap<>(RateLimitException.Scope.class);
        buckets.forEach((scope, b) -> sizes.put(scope, b.size()));
        return sizes;
    }

}
