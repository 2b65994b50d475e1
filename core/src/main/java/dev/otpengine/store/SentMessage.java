package dev.otpengine.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message a channel's provider accepted for a code, as a store remembers it so that the vendor's later delivery
 * report ({@link dev.otpengine.OtpEngine#reportDelivery}) can be tied back to the code, on whichever engine it
 * arrives. Keyed by {@code channelId} and {@code providerMessageId}; kept until {@code expiresAt} plus
 * {@link OtpStore#EXPIRED_RETENTION}, as long as the store keeps the code it carried. Never holds the code or the
 * recipient's address.
 *
 * @param channelId the channel that sent it
 * @param providerMessageId the provider's id for it, at most {@value dev.otpengine.DeliveryReport#MAX_ID_LENGTH}
 *     characters
 * @param requestId the request id of the code it carried
 * @param widgetId the widget the code was sent for
 * @param gateway the gateway that accepted it (the receipt's {@code gateway} attribute), or {@code null}
 * @param callingCode the country calling code of the phone it went to (such as {@code 44}), or {@code 0} when it did
 *     not go to a phone or the code is unknown
 * @param expiresAt when the code it carried expires
 */
public record SentMessage(String channelId, String providerMessageId, UUID requestId, UUID widgetId, String gateway,
                          int callingCode, Instant expiresAt) {

    /**
     * Validates.
     *
     * @param channelId the channel that sent it
     * @param providerMessageId the provider's id for it
     * @param requestId the request id of the code
     * @param widgetId the widget
     * @param gateway the gateway, or {@code null}
     * @param callingCode the calling code, or {@code 0}
     * @param expiresAt when the code expires
     * @throws NullPointerException if an argument other than {@code gateway} is null
     * @throws IllegalArgumentException if an id is blank or too long, or the calling code is not 0 to 999
     */
    public SentMessage {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(widgetId, "widgetId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (channelId.isBlank() || providerMessageId.isBlank()) {
            throw new IllegalArgumentException("channelId and providerMessageId must not be blank");
        }
        if (providerMessageId.length() > dev.otpengine.DeliveryReport.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("providerMessageId must be at most "
                    + dev.otpengine.DeliveryReport.MAX_ID_LENGTH + " characters: " + providerMessageId.length());
        }
        if (callingCode < 0 || callingCode > 999) {
            throw new IllegalArgumentException("callingCode must be from 0 to 999: " + callingCode);
        }
    }

    /**
     * When a store may forget it: the code's expiry plus {@link OtpStore#EXPIRED_RETENTION}.
     *
     * @return the instant
     */
    public Instant retainedUntil() {
        return expiresAt.plus(OtpStore.EXPIRED_RETENTION);
    }
}
