package dev.otpengine.store;

import dev.otpengine.RateLimitException;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A store that hands every call to another, for tests that change one behavior of a working store (fail a lookup,
 * say it is shared, record a close) by overriding that method alone.
 */
public class ForwardingStore implements OtpStore {

    private final OtpStore inner;

    /** @param inner the store every call goes to */
    public ForwardingStore(OtpStore inner) {
        this.inner = inner;
    }

    @Override
    public void putCode(StoredCode code, Instant now) {
        inner.putCode(code, now);
    }

    @Override
    public Optional<StoredCode> findCode(UUID requestId, Instant now) {
        return inner.findCode(requestId, now);
    }

    @Override
    public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now) {
        return inner.judgeGuess(requestId, guessTag, now);
    }

    @Override
    public void rememberMessage(SentMessage message, Instant now) {
        inner.rememberMessage(message, now);
    }

    @Override
    public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
        return inner.findMessage(channelId, providerMessageId, now);
    }

    @Override
    public void scheduleEscalation(Escalation escalation, Instant now) {
        inner.scheduleEscalation(escalation, now);
    }

    @Override
    public java.util.List<Escalation> claimDueEscalations(Instant now, int max) {
        return inner.claimDueEscalations(now, max);
    }

    @Override
    public boolean expediteEscalation(UUID requestId, String sentThrough, Instant now) {
        return inner.expediteEscalation(requestId, sentThrough, now);
    }

    @Override
    public boolean withdrawCode(UUID requestId) {
        return inner.withdrawCode(requestId);
    }

    @Override
    public ProxyManager<String> rateLimitBuckets(RateLimitException.Scope scope, TimeMeter clock) {
        return inner.rateLimitBuckets(scope, clock);
    }

    @Override
    public void blockWidget(UUID widgetId) {
        inner.blockWidget(widgetId);
    }

    @Override
    public void unblockWidget(UUID widgetId) {
        inner.unblockWidget(widgetId);
    }

    @Override
    public boolean isWidgetBlocked(UUID widgetId) {
        return inner.isWidgetBlocked(widgetId);
    }

    @Override
    public boolean isShared() {
        return inner.isShared();
    }

    @Override
    public void close() {
        inner.close();
    }
}
