package dev.otpengine.store;

import dev.otpengine.RateLimitException;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Everything an engine remembers between calls: pending codes, rate-limit counters, blocked widgets. An engine built
 * without {@link dev.otpengine.OtpEngine.Builder#store} keeps them in process; a store shared by several engines (in
 * one process or many) makes them behave as one engine: exact attempts, exact limits, one newest code per address,
 * one block list.
 *
 * <p><b>One operation, one atomic step.</b> Each method is atomic on its own and needs nothing from the engine between
 * its reads and its writes, so a remote store can run each in one round trip (one Lua script on Redis):
 * {@link #putCode} stores a code and withdraws what the widget had pending for any of its addresses;
 * {@link #judgeGuess} counts a wrong guess or spends the code. Of two codes put for one address, the one the store
 * orders last is the one left pending: the order is the store's, never a counter of one engine's.
 *
 * <p><b>Time is the engine's.</b> Every operation that depends on time is given the engine's current time, and the
 * rate-limit buckets read the engine's clock, so expiry, retention and refills follow an injected clock (tests run
 * in virtual time) and engines on one store agree whatever their hosts' clocks say. A store may keep its own
 * time-to-live on what it holds, but only to collect garbage after the engine's time has decided.
 *
 * <p><b>Why Bucket4j appears here.</b> Counting is Bucket4j's job, and Bucket4j already has a seam for keeping
 * buckets elsewhere: its {@link ProxyManager}, with implementations for Redis, JDBC, Hazelcast and more. A store
 * hands the engine a proxy manager rather than a counting interface of ours, so a remote store reuses Bucket4j's
 * own, tested, atomic bucket updates. {@link ProxyManager} and {@link TimeMeter} (its client clock) are the only
 * third-party types of this seam; no Caffeine or client-library type appears.
 *
 * <p><b>When the state cannot be reached.</b> A store whose state lives elsewhere (Redis, say) throws
 * {@link dev.otpengine.NoConnectionException} from any method, its proxy managers' bucket calls included, when it
 * cannot get an answer within its own timeout (seconds, not a client library's default minute), never an exception of
 * its client library; it recovers by itself once the state is back. The engine fails closed on it: a send whose code
 * could not be stored delivers nothing, a guess the store could not judge is not judged, and the caller gets the 503.
 *
 * <p><b>Thread-safety:</b> implementations must be thread-safe: an engine calls every method from many threads at
 * once, and several engines may share one store.
 */
public interface OtpStore extends AutoCloseable {

    /**
     * How long a store keeps a code past its expiry, so that a late guess is told {@code EXPIRED} rather than
     * {@code NOT_FOUND}: one minute.
     */
    Duration EXPIRED_RETENTION = Duration.ofMinutes(1);

    /**
     * Stores a new code and, in the same atomic step, withdraws every code still pending for the same widget at any
     * of the new code's addresses (a withdrawn code verifies as {@code NOT_FOUND}). A code already past its expiry is
     * not withdrawn but loses its place: a late guess at it is still told {@code EXPIRED}. Of codes put at once for
     * one address, exactly one stays pending: the one the store ordered last.
     *
     * @param code the new code
     * @param now the engine's current time
     * @throws RateLimitException with scope {@link RateLimitException.Scope#PENDING_CODES} if the store holds as
     *     many pending codes as it may; nothing was stored and nothing withdrawn
     * @throws NullPointerException if an argument is null
     */
    void putCode(StoredCode code, Instant now);

    /**
     * {@link #putCode} unless the code's widget is {@linkplain #blockWidget blocked}, in one atomic step: what a send
     * that counts against no limit does, so that a remote store answers it in one round trip. The default asks
     * {@link #isWidgetBlocked} and then puts; a remote store should do both at once.
     *
     * @param code the new code
     * @param now the engine's current time
     * @return {@code true} if stored; {@code false} if the widget is blocked, and then nothing was stored or withdrawn
     * @throws RateLimitException with scope {@link RateLimitException.Scope#PENDING_CODES} as {@link #putCode} does
     * @throws NullPointerException if an argument is null
     */
    default boolean putCodeUnlessBlocked(StoredCode code, Instant now) {
        Objects.requireNonNull(code, "code");
        if (isWidgetBlocked(code.widgetId())) {
            return false;
        }
        putCode(code, now);
        return true;
    }

    /**
     * The code stored under a request id, without counting anything: what a verification is about, so that its
     * limits can be checked before the guess is judged. It may be expired (within {@link #EXPIRED_RETENTION}) or
     * used up; {@link #judgeGuess} decides.
     *
     * @param requestId the request id
     * @param now the engine's current time
     * @return the code, with the wrong guesses counted against it so far ({@link StoredCode#failures()}), or empty if
     *     none is stored under the id
     * @throws NullPointerException if an argument is null
     */
    Optional<StoredCode> findCode(UUID requestId, Instant now);

    /**
     * Judges one guess atomically. In order: no code (or one past its retention) is {@code NOT_FOUND}; a code past
     * its expiry is {@code EXPIRED}; a code with {@code maxAttempts} wrong guesses counted is
     * {@code ATTEMPTS_EXCEEDED}, even for the right tag; the right tag is {@code VERIFIED} and removes the code, so it
     * verifies once however many guesses race; a wrong tag counts one failure and is {@code INVALID_CODE} with the
     * attempts left. At most {@code maxAttempts} failures are ever counted, however many guesses race.
     *
     * @param requestId the request id
     * @param guessTag the tag of the guess, as {@link StoredCode#tag()} is made; compared in constant time
     * @param now the engine's current time
     * @return the outcome, with the code's widget and recipient unless not found
     * @throws IllegalArgumentException if the tag is not {@value StoredCode#TAG_BYTES} bytes
     * @throws NullPointerException if an argument is null
     */
    GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now);

    /**
     * {@link #judgeGuess} of a code only if it is of the given widget: another widget's code is {@code NOT_FOUND} and
     * untouched (no failure counted, not spent). What a verification that counts against no limit does, so that a
     * remote store answers it in one round trip, without {@link #findCode} first. The default finds the code and then
     * judges it (a request id never changes widget, so nothing can come between); a remote store should do both at once.
     *
     * @param requestId the request id
     * @param guessTag the tag of the guess
     * @param now the engine's current time
     * @param widgetId the widget the code must be of, or {@code null} for any
     * @return the outcome, as {@link #judgeGuess} gives it
     * @throws IllegalArgumentException if the tag is not {@value StoredCode#TAG_BYTES} bytes
     * @throws NullPointerException if {@code requestId}, {@code guessTag} or {@code now} is null
     */
    default GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now, UUID widgetId) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(now, "now");
        if (widgetId != null && findCode(requestId, now).map(code -> !code.widgetId().equals(widgetId)).orElse(false)) {
            StoredCode.checkTag(guessTag);
            return GuessOutcome.NOT_FOUND;
        }
        return judgeGuess(requestId, guessTag, now);
    }

    /**
     * Removes a code if it is still stored, as when no channel delivered it.
     *
     * @param requestId the request id
     * @return whether a code was removed
     * @throws NullPointerException if {@code requestId} is null
     */
    boolean withdrawCode(UUID requestId);

    /**
     * Remembers a message a channel's provider accepted, so that its delivery report can be tied back to its code by
     * any engine on this store ({@link #findMessage}). Kept until {@link SentMessage#retainedUntil()} by the engine's
     * time, then forgotten. While it is kept, another message under the same channel and id is not remembered: the first
     * wins, so that a provider that reuses ids (or a gateway that counts from 1 in every process) can never tie one
     * request's delivery report to another request's code. Called after
     * the code was delivered, so a store may write it without waiting for the write to land (a report takes
     * seconds to come back), as long as a failure to write is never thrown at the send.
     *
     * @param message the message
     * @param now the engine's current time
     * @throws NullPointerException if an argument is null
     */
    void rememberMessage(SentMessage message, Instant now);

    /**
     * The message a provider's id names, if the store still remembers it.
     *
     * @param channelId the channel that sent it
     * @param providerMessageId the provider's id for it
     * @param now the engine's current time
     * @return the message, or empty if it is unknown or past {@link SentMessage#retainedUntil()}
     * @throws NullPointerException if an argument is null
     */
    Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now);

    /**
     * Keeps the next step of an escalating send until it is due, replacing any step kept for the same request id.
     *
     * @param escalation the step
     * @param now the engine's current time
     * @throws RateLimitException with scope {@link RateLimitException.Scope#PENDING_CODES} if the store holds as many
     *     steps as it may hold codes; nothing was kept
     * @throws NullPointerException if an argument is null
     */
    void scheduleEscalation(Escalation escalation, Instant now);

    /**
     * Takes the steps due by {@code now} out of the store and hands them to the caller, atomically: of engines that
     * claim at once, each step goes to exactly one. Steps whose code has expired are dropped, not handed out.
     *
     * @param now the engine's current time
     * @param max the most steps to hand out, at least 1
     * @return the steps, earliest due first; empty if none is due
     * @throws IllegalArgumentException if {@code max} is below 1
     * @throws NullPointerException if {@code now} is null
     */
    List<Escalation> claimDueEscalations(Instant now, int max);

    /**
     * Makes the step kept for a request id due at once, if the last step went out through {@code sentThrough}: what a
     * failed delivery report of that channel's message does.
     *
     * @param requestId the request id
     * @param sentThrough the channel whose message failed
     * @param now the engine's current time
     * @return whether a step was made due
     * @throws NullPointerException if an argument is null
     */
    boolean expediteEscalation(UUID requestId, String sentThrough, Instant now);

    /**
     * The buckets of one rate-limit scope. The engine asks once per scope when it is built and keys each bucket by
     * widget, limits and address (or IP network); keys may be chosen by attackers (phones, emails, IPs), so a store
     * must not let a key's plain {@code hashCode()} pick what it evicts. Buckets are taken from and given back to
     * ({@code tryConsumeAndReturnRemaining}, {@code addTokens}); a bucket full again is worth nothing and should be
     * dropped.
     *
     * @param scope the scope; a store may keep each scope apart so that a flood of one kind of key cannot push out
     *     the counters of another
     * @param clock the engine's clock, as Bucket4j's client clock: every refill follows it
     * @return the proxy manager
     * @throws NullPointerException if an argument is null
     */
    ProxyManager<String> rateLimitBuckets(RateLimitException.Scope scope, TimeMeter clock);

    /**
     * Blocks a widget: sends for it are refused by every engine on this store until {@link #unblockWidget}.
     *
     * @param widgetId the widget
     * @throws NullPointerException if {@code widgetId} is null
     */
    void blockWidget(UUID widgetId);

    /**
     * Lifts {@link #blockWidget}; unblocking a widget that is not blocked does nothing.
     *
     * @param widgetId the widget
     * @throws NullPointerException if {@code widgetId} is null
     */
    void unblockWidget(UUID widgetId);

    /**
     * Whether a widget is blocked.
     *
     * @param widgetId the widget
     * @return {@code true} if blocked
     * @throws NullPointerException if {@code widgetId} is null
     */
    boolean isWidgetBlocked(UUID widgetId);

    /**
     * {@link #isWidgetBlocked}, answered later: a remote store sends the question at once and answers it beside the
     * calls made while it waits (a send asks it beside its requester's rate limits). The default answers at once.
     *
     * @param widgetId the widget
     * @return whether the widget is blocked; failed as {@link #isWidgetBlocked} would throw
     * @throws NullPointerException if {@code widgetId} is null
     */
    default CompletableFuture<Boolean> isWidgetBlockedAsync(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        try {
            return CompletableFuture.completedFuture(isWidgetBlocked(widgetId));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks that the store's state can be reached now, for a health check; a store in process always can.
     *
     * @throws dev.otpengine.NoConnectionException if it cannot, within the store's own timeout
     */
    default void checkReachable() {
    }

    /**
     * How many codes the store holds, expired ones within their {@link #EXPIRED_RETENTION retention} included, if it
     * can tell cheaply: for a gauge, so an estimate will do. A store that would have to walk its keys says nothing.
     *
     * @return the count, or empty if the store cannot tell cheaply (the default)
     */
    default OptionalLong pendingCodes() {
        return OptionalLong.empty();
    }

    /**
     * Whether engines other than the one this store was given to may use the same state (another process, or
     * another engine on the same server). An engine refuses a shared store without an explicit
     * {@link dev.otpengine.OtpEngine.Builder#secret secret}: engines with different random secrets would each reject
     * the others' codes.
     *
     * @return {@code false} unless overridden
     */
    default boolean isShared() {
        return false;
    }

    /**
     * Releases what the store opened (connections, threads). An engine closes only a store it made itself, never one
     * given to {@link dev.otpengine.OtpEngine.Builder#store}.
     */
    @Override
    void close();
}
