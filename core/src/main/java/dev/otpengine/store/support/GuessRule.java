package dev.otpengine.store.support;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * How a guess at a stored code is judged, in one place: the order of the rules {@link OtpStore#judgeGuess} states, the
 * change each outcome makes to the code, and the numbering a backend that judges on its own side (a Lua script, an SQL
 * statement) answers with.
 * <ol start="0">
 *   <li>{@code NOT_FOUND}: no code, or one past its {@linkplain Retention retention} (which a store may delete);</li>
 *   <li>{@code EXPIRED}: the code is past its expiry; nothing changes;</li>
 *   <li>{@code ATTEMPTS_EXCEEDED}: {@code maxAttempts} wrong guesses are counted, even for the right tag;</li>
 *   <li>{@code VERIFIED}: the right tag; the code is spent (removed, or marked used);</li>
 *   <li>{@code INVALID_CODE}: a wrong tag; one failure is counted.</li>
 * </ol>
 * The numbers are the outcomes' {@linkplain #code codes}.
 *
 * <p><b>Thread-safety:</b> stateless; a store applies a {@link Judgement} atomically with the read it was made from.
 */
public final class GuessRule {

    private static final VerifyResult.Status[] BY_CODE = {
        VerifyResult.Status.NOT_FOUND, VerifyResult.Status.EXPIRED, VerifyResult.Status.ATTEMPTS_EXCEEDED,
        VerifyResult.Status.VERIFIED, VerifyResult.Status.INVALID_CODE,
    };

    private GuessRule() {
    }

    /** What judging a guess does to the stored code. */
    public enum Change {
        /** The code stays as it was. */
        NONE,
        /** One more wrong guess is counted on the code. */
        COUNT_FAILURE,
        /** The code leaves the store: spent by the right guess, or found past its retention. */
        REMOVE
    }

    /**
     * One guess judged: the status the caller gets, the attempts left after it, and what the store must do to the code.
     *
     * @param status the outcome
     * @param attemptsLeft the wrong guesses the code still tolerates after this one ({@code 0} unless
     *     {@code VERIFIED} or {@code INVALID_CODE})
     * @param change what the store must do to the code
     */
    public record Judgement(VerifyResult.Status status, int attemptsLeft, Change change) {

        /**
         * Checks the judgement.
         *
         * @param status the outcome
         * @param attemptsLeft the attempts left, at least 0
         * @param change the change
         * @throws NullPointerException if {@code status} or {@code change} is null
         * @throws IllegalArgumentException if {@code attemptsLeft} is negative
         */
        public Judgement {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(change, "change");
            if (attemptsLeft < 0) {
                throw new IllegalArgumentException("attemptsLeft must not be negative: " + attemptsLeft);
            }
        }

        /**
         * The outcome a store hands back for it.
         *
         * @param widgetId the widget of the code judged; ignored for {@code NOT_FOUND}
         * @param recipient the recipient of the code judged; ignored for {@code NOT_FOUND}
         * @return the outcome
         * @throws NullPointerException if the code was found and {@code widgetId} or {@code recipient} is null
         */
        public GuessOutcome outcome(UUID widgetId, Recipient recipient) {
            if (status == VerifyResult.Status.NOT_FOUND) {
                return GuessOutcome.NOT_FOUND;
            }
            return new GuessOutcome(new VerifyResult(status, attemptsLeft), Objects.requireNonNull(widgetId, "widgetId"),
                    Objects.requireNonNull(recipient, "recipient"));
        }
    }

    /** The judgement of a guess at a code that is not there. */
    public static final Judgement NOT_FOUND = new Judgement(VerifyResult.Status.NOT_FOUND, 0, Change.NONE);
    private static final Judgement GONE = new Judgement(VerifyResult.Status.NOT_FOUND, 0, Change.REMOVE);
    private static final Judgement EXPIRED = new Judgement(VerifyResult.Status.EXPIRED, 0, Change.NONE);
    private static final Judgement EXCEEDED = new Judgement(VerifyResult.Status.ATTEMPTS_EXCEEDED, 0, Change.NONE);

    /**
     * Judges a guess at a code as a store holds it, by the engine's time in epoch nanoseconds
     * ({@link Retention#epochNanos}).
     *
     * @param expiresAtNanos when the code expires
     * @param failures the wrong guesses counted on it so far
     * @param maxAttempts the wrong guesses it tolerates
     * @param tagMatches whether the guess's tag is the code's, compared in constant time
     * @param nowNanos the engine's current time
     * @return the judgement; its {@link Judgement#change()} is what the store must apply, atomically with its read
     */
    public static Judgement judge(long expiresAtNanos, int failures, int maxAttempts, boolean tagMatches, long nowNanos) {
        if (nowNanos - expiresAtNanos >= Retention.RETENTION_NANOS) {
            return GONE;
        }
        if (nowNanos >= expiresAtNanos) {
            return EXPIRED;
        }
        if (failures >= maxAttempts) {
            return EXCEEDED;
        }
        if (tagMatches) {
            return new Judgement(VerifyResult.Status.VERIFIED, maxAttempts - failures, Change.REMOVE);
        }
        return new Judgement(VerifyResult.Status.INVALID_CODE, maxAttempts - failures - 1, Change.COUNT_FAILURE);
    }

    /**
     * Judges a guess at a code as a store holds it; see {@link #judge(long, int, int, boolean, long)}.
     *
     * @param expiresAt when the code expires
     * @param failures the wrong guesses counted on it so far
     * @param maxAttempts the wrong guesses it tolerates
     * @param tagMatches whether the guess's tag is the code's
     * @param now the engine's current time
     * @return the judgement
     * @throws NullPointerException if {@code expiresAt} or {@code now} is null
     */
    public static Judgement judge(Instant expiresAt, int failures, int maxAttempts, boolean tagMatches, Instant now) {
        return judge(Retention.epochNanos(expiresAt), failures, maxAttempts, tagMatches, Retention.epochNanos(now));
    }

    /**
     * The number a backend that judges on its own side answers with for an outcome: 0 not found, 1 expired, 2
     * attempts exceeded, 3 verified, 4 invalid code.
     *
     * @param status the outcome
     * @return its number
     * @throws NullPointerException if {@code status} is null
     */
    public static int code(VerifyResult.Status status) {
        switch (Objects.requireNonNull(status, "status")) {
            case NOT_FOUND:
                return 0;
            case EXPIRED:
                return 1;
            case ATTEMPTS_EXCEEDED:
                return 2;
            case VERIFIED:
                return 3;
            default:
                return 4;
        }
    }

    /**
     * The outcome a backend's number stands for, with the attempts left it counted.
     *
     * @param code the number, 0 to 4 (see {@link #code})
     * @param attemptsLeft the attempts left the backend counted (ignored unless {@code VERIFIED} or
     *     {@code INVALID_CODE})
     * @param widgetId the widget of the code judged; ignored for 0
     * @param recipient the recipient of the code judged; ignored for 0
     * @return the outcome
     * @throws IllegalArgumentException if the number is not 0 to 4, or the attempts left are negative
     * @throws NullPointerException if the code was found and {@code widgetId} or {@code recipient} is null
     */
    public static GuessOutcome outcome(int code, int attemptsLeft, UUID widgetId, Recipient recipient) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("code must be from 0 to 4: " + code);
        }
        VerifyResult.Status status = BY_CODE[code];
        boolean counted = status == VerifyResult.Status.VERIFIED || status == VerifyResult.Status.INVALID_CODE;
        return new Judgement(status, counted ? attemptsLeft : 0, Change.NONE).outcome(widgetId, recipient);
    }
}
