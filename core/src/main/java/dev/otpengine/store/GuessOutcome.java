package dev.otpengine.store;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;

import java.util.Objects;
import java.util.UUID;

/**
 * What {@link OtpStore#judgeGuess} decided, and about which code.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param result what the caller gets
 * @param widgetId the widget of the code guessed at, or {@code null} when not found
 * @param recipient who that code was sent to, or {@code null} when not found
 */
public record GuessOutcome(VerifyResult result, UUID widgetId, Recipient recipient) {

    /** The outcome for a request id with no code. */
    public static final GuessOutcome NOT_FOUND =
            new GuessOutcome(new VerifyResult(VerifyResult.Status.NOT_FOUND, 0), null, null);

    /**
     * Checks the outcome.
     *
     * @param result what the caller gets
     * @param widgetId the widget of the code guessed at, or {@code null} when not found
     * @param recipient who that code was sent to, or {@code null} when not found
     * @throws IllegalArgumentException if a found code lacks its widget or recipient, or a missing one has them
     * @throws NullPointerException if {@code result} is null
     */
    public GuessOutcome {
        Objects.requireNonNull(result, "result");
        boolean found = result.status() != VerifyResult.Status.NOT_FOUND;
        if (found != (widgetId != null) || found != (recipient != null)) {
            throw new IllegalArgumentException("widgetId and recipient must be given exactly when the code was found: "
                    + result.status());
        }
    }
}
