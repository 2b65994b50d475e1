package dev.otpengine.internal;

import dev.otpengine.VerifyResult;

import java.util.UUID;

/**
 * Where pending codes live. Each operation is atomic on its own, so that a store over a shared server
 * (Redis) can implement the same contract with one script per operation.
 */
public interface CodeStore {

    /**
     * Stores a code, and withdraws any pending code of the same widget for any of the same addresses.
     * Of two codes racing for one address, the one with the higher sequence stays pending.
     *
     * @param code the new code
     */
    void put(PendingCode code);

    /**
     * One guess, atomically: at most {@code maxAttempts} wrong guesses are ever counted, and a right guess
     * verifies once and removes the code.
     *
     * @param requestId the request id
     * @param guessHash the {@link CodeHasher} hash of the guess
     * @param nowNanos the current time, in epoch nanoseconds of the engine's clock
     * @return the outcome and, unless not found, the code it was about
     */
    Attempt attempt(UUID requestId, byte[] guessHash, long nowNanos);

    /**
     * The code stored under a request id, without counting anything: what a verification is about, so that limits
     * can be checked before the guess is. It may be expired or used up; {@link #attempt} decides.
     *
     * @param requestId the request id
     * @return the code, or {@code null} if none is stored under the id
     */
    PendingCode peek(UUID requestId);

    /**
     * Removes a code if it is still pending, as when no channel delivered it.
     *
     * @param code the code
     */
    void withdraw(PendingCode code);

    /**
     * The outcome of one guess.
     *
     * @param result what the caller gets
     * @param code the pending code guessed at, or {@code null} when not found
     */
    record Attempt(VerifyResult result, PendingCode code) {

        /** The outcome for an unknown request id. */
        public static final Attempt NOT_FOUND = new Attempt(new VerifyResult(VerifyResult.Status.NOT_FOUND, 0), null);
    }
}
