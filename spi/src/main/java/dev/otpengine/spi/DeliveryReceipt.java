package dev.otpengine.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A provider's acknowledgement that it accepted a message: what a {@link Channel} completes its stage with.
 *
 * @param channelId the id of the channel that delivered
 * @param providerMessageId the provider's id for the message (an SMS SID, an SMTP message id), or
 *     {@code null} when the provider gives none
 * @param acceptedAt when the provider accepted the message
 * @param attributes extra facts a channel reports, such as {@code "sms.segments" -> "2"}; never {@code null},
 *     unmodifiable
 */
public record DeliveryReceipt(String channelId, String providerMessageId, Instant acceptedAt,
                              Map<String, String> attributes) {

    /**
     * Validates and copies.
     *
     * @param channelId the id of the channel that delivered
     * @param providerMessageId the provider's id for the message, or {@code null}
     * @param acceptedAt when the provider accepted the message
     * @param attributes extra facts the channel reports
     * @throws NullPointerException if {@code channelId}, {@code acceptedAt} or {@code attributes} is null
     */
    public DeliveryReceipt {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /**
     * A receipt with no extra attributes.
     *
     * @param channelId the id of the channel that delivered
     * @param providerMessageId the provider's id for the message, or {@code null}
     * @param acceptedAt when the provider accepted the message
     */
    public DeliveryReceipt(String channelId, String providerMessageId, Instant acceptedAt) {
        this(channelId, providerMessageId, acceptedAt, Map.of());
    }
}
