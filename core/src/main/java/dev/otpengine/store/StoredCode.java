package dev.otpengine.store;

import dev.otpengine.spi.Recipient;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A code as a store keeps it: never the code, only its tag (the first {@value #TAG_BYTES} bytes of
 * HMAC-SHA256 of the code under the engine's secret, bound to the request id), with what the engine needs to judge
 * and to count a guess: its widget, its recipient, its expiry and the wrong guesses it tolerates.
 *
 * <p><b>Thread-safety:</b> immutable; {@link #tag()} returns a copy.
 */
public final class StoredCode {

    /**
     * Bytes of the code's HMAC a store keeps and compares: {@value} (128 bits), half of SHA-256's output, the least
     * RFC 2104 section 5 recommends keeping of a truncated HMAC.
     */
    public static final int TAG_BYTES = 16;
    /** The most wrong guesses a code may tolerate: {@value}. */
    public static final int MAX_ATTEMPTS = 100;

    private final UUID requestId;
    private final UUID widgetId;
    private final Recipient recipient;
    private final byte[] tag;
    private final Instant expiresAt;
    private final int maxAttempts;
    private final int failures;

    /**
     * A code to store, or one read back from a store.
     *
     * @param requestId the request id the engine returned for it
     * @param widgetId the widget it was sent for
     * @param recipient who it was sent to, with the addresses it was sent to
     * @param tag the code's tag, {@value #TAG_BYTES} bytes; copied
     * @param expiresAt when it stops verifying
     * @param maxAttempts the wrong guesses it tolerates, 1 to {@value #MAX_ATTEMPTS}
     * @throws IllegalArgumentException if the tag is not {@value #TAG_BYTES} bytes or {@code maxAttempts} is out of
     *     range
     * @throws NullPointerException if an argument is null
     */
    public StoredCode(UUID requestId, UUID widgetId, Recipient recipient, byte[] tag, Instant expiresAt,
                      int maxAttempts) {
        this(requestId, widgetId, recipient, tag, expiresAt, maxAttempts, 0);
    }

    /**
     * A code read back from a store, with the wrong guesses counted against it so far.
     *
     * @param requestId the request id the engine returned for it
     * @param widgetId the widget it was sent for
     * @param recipient who it was sent to, with the addresses it was sent to
     * @param tag the code's tag, {@value #TAG_BYTES} bytes; copied
     * @param expiresAt when it stops verifying
     * @param maxAttempts the wrong guesses it tolerates, 1 to {@value #MAX_ATTEMPTS}
     * @param failures the wrong guesses counted so far, 0 to {@code maxAttempts}
     * @throws IllegalArgumentException if the tag is not {@value #TAG_BYTES} bytes, or {@code maxAttempts} or
     *     {@code failures} is out of range
     * @throws NullPointerException if an argument is null
     */
    public StoredCode(UUID requestId, UUID widgetId, Recipient recipient, byte[] tag, Instant expiresAt,
                      int maxAttempts, int failures) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.widgetId = Objects.requireNonNull(widgetId, "widgetId");
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.tag = checkTag(tag).clone();
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be from 1 to " + MAX_ATTEMPTS + ": " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        if (failures < 0 || failures > maxAttempts) {
            throw new IllegalArgumentException("failures must be from 0 to maxAttempts " + maxAttempts + ": "
                    + failures);
        }
        this.failures = failures;
    }

    /**
     * Checks a tag's length.
     *
     * @param tag a tag
     * @return the same tag
     * @throws IllegalArgumentException if it is not {@value #TAG_BYTES} bytes
     * @throws NullPointerException if it is null
     */
    public static byte[] checkTag(byte[] tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.length != TAG_BYTES) {
            throw new IllegalArgumentException("tag must be " + TAG_BYTES + " bytes: " + tag.length);
        }
        return tag;
    }

    /** @return the request id */
    public UUID requestId() {
        return requestId;
    }

    /** @return the widget the code was sent for */
    public UUID widgetId() {
        return widgetId;
    }

    /** @return who the code was sent to */
    public Recipient recipient() {
        return recipient;
    }

    /** @return a copy of the code's tag */
    public byte[] tag() {
        return tag.clone();
    }

    /**
     * Whether a guess's tag is this code's, in time that does not depend on where they differ.
     *
     * @param guessTag the guess's tag
     * @return whether they are equal
     * @throws NullPointerException if {@code guessTag} is null
     */
    public boolean matches(byte[] guessTag) {
        return MessageDigest.isEqual(tag, Objects.requireNonNull(guessTag, "guessTag"));
    }

    /** @return when the code stops verifying */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** @return the wrong guesses it tolerates */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The wrong guesses counted against it when it was read: a code with {@link #maxAttempts()} of them no longer
     * verifies, so nothing more is worth sending for it. A code being stored has none.
     *
     * @return the count, 0 to {@link #maxAttempts()}
     */
    public int failures() {
        return failures;
    }

    /** @return the ids and recipient (masked); never the tag */
    @Override
    public String toString() {
        return "StoredCode[requestId=" + requestId + ", widgetId=" + widgetId + ", recipient=" + recipient
                + ", expiresAt=" + expiresAt + ", maxAttempts=" + maxAttempts + "]";
    }
}
