package dev.otpengine;

import java.util.Objects;

/**
 * The outcome of one verification. A wrong code is an outcome, not an exception.
 *
 * @param status what happened
 * @param attemptsLeft how many more wrong guesses the code tolerates: after {@link Status#INVALID_CODE} the
 *     remaining budget (0 means the next guess gets {@link Status#ATTEMPTS_EXCEEDED}); after
 *     {@link Status#VERIFIED} what was left unused; 0 otherwise
 */
public record VerifyResult(Status status, int attemptsLeft) {

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
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if {@code attemptsLeft} is negative
     */
    public VerifyResult {
        Objects.requireNonNull(status, "status");
        if (attemptsLeft < 0) {
            throw new IllegalArgumentException("attemptsLeft must not be negative: " + attemptsLeft);
        }
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
