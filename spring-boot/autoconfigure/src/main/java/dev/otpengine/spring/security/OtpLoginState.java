package dev.otpengine.spring.security;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a visitor's sign-in with a code stands, kept in the HTTP session under {@link #SESSION_ATTRIBUTE} between the
 * login's requests: for an application that brings its own page ({@code login.loginPage("/my-login")}), which reads it
 * to show the code step (the hidden {@code requestId} field, the masked recipient, the resend countdown) and the last
 * error, as {@code formLogin()}'s own pages read {@code SPRING_SECURITY_LAST_EXCEPTION}.
 *
 * <p>It never holds a code, and shows the recipient only masked ({@link #maskedRecipient()}); the full recipient it
 * keeps for a resend is not readable. It is removed from the session when the user is signed in.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class OtpLoginState implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The session attribute the state is kept under: {@value}. */
    public static final String SESSION_ATTRIBUTE = "dev.otpengine.spring.security.OtpLoginState";

    /** The step to show. */
    public enum Step {
        /** Ask for a phone number or an email address. */
        RECIPIENT,
        /** Ask for the code that was sent. */
        CODE
    }

    /** The step to show. */
    private final Step step;
    /** The request id of the code sent, or null. */
    private final String requestId;
    /** The canonical recipient, for a resend; never shown. */
    private final String recipient;
    /** The recipient as it may be shown. */
    private final String maskedRecipient;
    /** When a new code may be asked for, or null. */
    private final Instant resendAt;
    /** The tries the code sent still tolerates. */
    private final int attemptsLeft;
    /** The last failure's text key, or null. */
    private final String error;
    /** The number the failure's text takes. */
    private final long errorValue;

    OtpLoginState(Step step, String requestId, String recipient, Instant resendAt, int attemptsLeft, String error,
                  long errorValue) {
        this.step = Objects.requireNonNull(step, "step");
        this.requestId = requestId;
        this.recipient = recipient;
        this.maskedRecipient = recipient == null ? "" : mask(recipient);
        this.resendAt = resendAt;
        this.attemptsLeft = attemptsLeft;
        this.error = error;
        this.errorValue = errorValue;
    }

    static OtpLoginState failed(String error, long value) {
        return new OtpLoginState(Step.RECIPIENT, null, null, null, 0, error, value);
    }

    OtpLoginState withError(String newError, long value) {
        return new OtpLoginState(step, requestId, recipient, resendAt, attemptsLeft, newError, value);
    }

    OtpLoginState withAttemptsLeft(int left, String newError, long value) {
        return new OtpLoginState(step, requestId, recipient, resendAt, left, newError, value);
    }

    OtpLoginState withResendAt(Instant at, String newError, long value) {
        return new OtpLoginState(step, requestId, recipient, at, attemptsLeft, newError, value);
    }

    String recipient() {
        return recipient;
    }

    /**
     * The step to show.
     *
     * @return {@link Step#CODE} once a code was sent, else {@link Step#RECIPIENT}
     */
    public Step step() {
        return step;
    }

    /**
     * The request id of the code sent, for the code form's hidden {@code requestId} field.
     *
     * @return the id; empty before a code was sent
     */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * Whom the code was sent to, masked, such as {@code +12•••••••99} or {@code a•••@example.com}.
     *
     * @return the masked recipient; empty before a code was sent
     */
    public String maskedRecipient() {
        return maskedRecipient;
    }

    /**
     * How many whole seconds, rounded up, until a new code may be asked for.
     *
     * @param now the current time
     * @return 0 or more seconds
     */
    public long secondsUntilResend(Instant now) {
        if (resendAt == null || !now.isBefore(resendAt)) {
            return 0;
        }
        long millis = resendAt.toEpochMilli() - now.toEpochMilli();
        return (millis + 999) / 1000;
    }

    /**
     * How many wrong codes the code sent still tolerates, as the engine last said.
     *
     * @return the tries left
     */
    public int attemptsLeft() {
        return attemptsLeft;
    }

    /**
     * The last failure, as the key of the login's texts, such as {@code error.invalidCode} (tries left in
     * {@link #errorValue()}), {@code error.cooldown} or {@code error.rateLimited} (seconds in {@link #errorValue()}),
     * {@code error.expired}, {@code error.recipient}, {@code error.unknownUser}; the keys are those of the bundle
     * {@code dev/otpengine/spring/security/messages.properties}.
     *
     * @return the key; empty if the last step succeeded
     */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /**
     * The number the last failure's text takes: the tries left or the seconds to wait; 0 if it takes none.
     *
     * @return the number
     */
    public long errorValue() {
        return errorValue;
    }

    /** A recipient as it may be shown back: the start and the end of a phone, an email's first letter and domain. */
    static String mask(String recipient) {
        int at = recipient.indexOf('@');
        if (at >= 0) {
            String local = recipient.substring(0, at);
            return (local.length() > 2 ? local.substring(0, 1) : "") + "\u2022\u2022\u2022" + recipient.substring(at);
        }
        if (recipient.length() <= 6) {
            return "\u2022".repeat(recipient.length());
        }
        return recipient.substring(0, 3) + "\u2022".repeat(recipient.length() - 5)
                + recipient.substring(recipient.length() - 2);
    }

    /** @return the step and the error, never the recipient nor the request id */
    @Override
    public String toString() {
        return "OtpLoginState[step=" + step + ", error=" + error + "]";
    }
}
