package dev.otpengine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One code to deliver, as the engine hands it to a {@link Channel}. The same message goes to every channel
 * of a send; each channel picks the address it needs from {@link #recipient()}.
 *
 * <p>{@link #toString()} redacts the code and the text, so a message can be logged safely.
 *
 * @param requestId the id the application verifies the code with
 * @param widgetId the widget the code was sent for
 * @param widgetName the widget's display name, as it appears in the text
 * @param recipient who the code is for
 * @param code the code itself; never log it
 * @param expiresAt when the code stops verifying
 * @param ttl how long the code is valid from the moment it was made (for "valid for N minutes")
 * @param locale the locale the text was rendered in
 * @param text the short localized text to send, with the code in it (an SMS body; an email channel may
 *     render its own richer message from the other fields)
 */
public record OtpMessage(UUID requestId, UUID widgetId, String widgetName, Recipient recipient, String code,
                         Instant expiresAt, Duration ttl, Locale locale, String text) {

    /**
     * Validates.
     *
     * @param requestId the id the application verifies the code with
     * @param widgetId the widget the code was sent for
     * @param widgetName the widget's display name
     * @param recipient who the code is for
     * @param code the code itself
     * @param expiresAt when the code stops verifying
     * @param ttl how long the code is valid
     * @param locale the locale the text was rendered in
     * @param text the short localized text to send
     * @throws NullPointerException if any component is null
     */
    public OtpMessage {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(widgetId, "widgetId");
        Objects.requireNonNull(widgetName, "widgetName");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Describes the message without the code or the text, and with the recipient masked.
     *
     * @return a string that is safe to log
     */
    @Override
    public String toString() {
        return "OtpMessage[requestId=" + requestId + ", widgetId=" + widgetId + ", widgetName=" + widgetName
                + ", recipient=" + recipient + ", code=<redacted>, expiresAt=" + expiresAt + ", ttl=" + ttl
                + ", locale=" + locale.toLanguageTag() + ", text=<redacted>]";
    }
}
