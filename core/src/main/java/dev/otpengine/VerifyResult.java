package dev.otpengine;

import dev.otpengine.spi.Recipient;

import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of one verification. A wrong code is an outcome, not an exception.
 *
 * <p>A {@link Status#VERIFIED} result also says who was verified, so that a login needs no map of its own from request
 * ids to users: the {@link #widgetId()} and the canonical {@link #recipient()} the code was sent to (E.164 phone,
 * lower-cased email), as the engine read them when it sent the code. Every other result carries neither: a wrong guess
 * must not learn whose code it guessed at.
 *
 * @param status what happened
 * @param attemptsLeft how many more wrong guesses the code tolerates: after {@link Status#INVALID_CODE} the
 *     remaining budget (0 means the next guess gets {@link Status#ATTEMPTS_EXCEEDED}); after
 *     {@link Status#VERIFIED} what was left unused; 0 otherwise
 * @param widgetId the widget the verified code was sent for; {@code null} unless {@link Status#VERIFIED}
 * @param recipient whom the verified code was sent to; {@code null} unless {@link Status#VERIFIED}; prints masked
 */
public record VerifyResult(Status status, int attemptsLeft, UUID widgetId, Recipient recipient) {

    /** What a verification found. */
    public enum Status {
        /** The code was right. The code is now used up: it never verifies again. */
        VERIFIED,
        /** The code was wrong; {@link #attemptsLeft()} says how many more guesses are allowed. */
        INVALID_CODE,
        /** The code's time to live is over. */
        EXPIRED,
        /** Too many wrong guesses were made; even the right code no longer verifies. */
        ATTEMPTS_EXCEEDED,
        /** No pending code has this request id: unknown, already verified, superseded by a resend, or long expired. */
        NOT_FOUND
    }

    /**
     * Validates.
     *
     * @param status what happened
     * @param attemptsLeft how many more wrong guesses the code tolerates
     * @param widgetId the verified code's widget, or {@code null}
     * @param recipient the verified code's recipient, or {@code null}
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if {@code attemptsLeft} is negative, or a widget or recipient is given for a
     *     result that is not {@link Status#VERIFIED}, or only one of them is given
     */
    public VerifyResult {
        Objects.requireNonNull(status, "status");
        if (attemptsLeft < 0) {
            throw new IllegalArgumentException("attemptsLeft must not be negative: " + attemptsLeft);
        }
        if ((widgetId == null) != (recipient == null)) {
            throw new IllegalArgumentException("widgetId and recipient must be given together");
        }
        if (widgetId != null && status != Status.VERIFIED) {
            throw new IllegalArgumentException("only a VERIFIED result names whom it verified: " + status);
        }
    }

    /**
     * A result that names no one: every result but a verified one as the engine returns it.
     *
     * @param status what happened
     * @param attemptsLeft how many more wrong guesses the code tolerates
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if {@code attemptsLeft} is negative
     */
    public VerifyResult(Status status, int attemptsLeft) {
        this(status, attemptsLeft, null, null);
    }

    /**
     * The same result, naming whom it verified.
     *
     * @param widgetId the widget the code was sent for
     * @param recipient whom it was sent to
     * @return the result
     * @throws IllegalArgumentException if this result is not {@link Status#VERIFIED}
     * @throws NullPointerException if an argument is null
     */
    public VerifyResult verifying(UUID widgetId, Recipient recipient) {
        return new VerifyResult(status, attemptsLeft, Objects.requireNonNull(widgetId, "widgetId"),
                Objects.requireNonNull(recipient, "recipient"));
    }

    /**
     * Two results are equal when their status and attempts left are: the outcome. Whom a verified result names is
     * information for its caller, not part of the outcome, so a result compares equal to
     * {@code new VerifyResult(VERIFIED, 3)} as it did before results named anyone.
     *
     * @param o another object
     * @return whether it is a result with the same status and attempts left
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyResult && ((VerifyResult) o).status == status
                && ((VerifyResult) o).attemptsLeft == attemptsLeft;
    }

    /** @return a hash of the status and attempts left, as {@link #equals} compares */
    @Override
    public int hashCode() {
        return 31 * status.hashCode() + attemptsLeft;
    }

    /**
     * Whether the code was right.
     *
     * @return {@code true} for {@link Status#VERIFIED}
     */
    public boolean isVerified() {
        return status == Status.VERIFIED;
    }
}
