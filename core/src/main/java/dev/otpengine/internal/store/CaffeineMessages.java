package dev.otpengine.internal.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.store.SentMessage;

import java.util.Optional;

/**
 * The in-process store's memory of accepted messages, provider id to code, for delivery reports: a Caffeine cache
 * on the engine's clock, each message kept until its code's expiry plus the retention, at most as many messages as
 * the store may hold codes. Nothing here is on the path of a send that got no provider id (a test recipient, the
 * console, a channel that gives none).
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class CaffeineMessages {

    private final Cache<Key, SentMessage> messages;

    CaffeineMessages(Ticker ticker, long maxMessages) {
        this.messages = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run) // as the code cache: no pool thread woken per write
                .maximumSize(maxMessages)
                .expireAfter(new UntilRetained())
                .build();
    }

    void remember(SentMessage message) {
        messages.asMap().putIfAbsent(new Key(message.channelId(), message.providerMessageId()), message); // first wins
    }

    Optional<SentMessage> find(String channelId, String providerMessageId, long now) {
        SentMessage message = messages.getIfPresent(new Key(channelId, providerMessageId));
        // Caffeine hides an entry once its time is up by its ticker; the engine's "now" is checked as well, so a caller
        // whose clock is ahead of the ticker's reading is not told of a message already past its retention.
        return message != null && now < ClockTimeMeter.epochNanos(message.retainedUntil())
                ? Optional.of(message) : Optional.empty();
    }

    long size() {
        messages.cleanUp();
        return messages.estimatedSize();
    }

    /** One message: its channel and the provider's id for it (two providers may reuse each other's ids). */
    private record Key(String channelId, String providerMessageId) {
    }

    private static final class UntilRetained implements Expiry<Key, SentMessage> {

        @Override
        public long expireAfterCreate(Key key, SentMessage message, long now) {
            return Math.max(0, ClockTimeMeter.epochNanos(message.retainedUntil()) - now);
        }

        @Override
        public long expireAfterUpdate(Key key, SentMessage message, long now, long currentDuration) {
            return expireAfterCreate(key, message, now);
        }

        @Override
        public long expireAfterRead(Key key, SentMessage message, long now, long currentDuration) {
            return currentDuration;
        }
    }
}
