package dev.otpengine;

import java.util.Map;
import java.util.Objects;

/**
 * What one channel answered during a send.
 *
 * @param channelId the channel's id
 * @param status whether the channel's provider accepted the message
 * @param providerMessageId the provider's id for the message when accepted and known, else {@code null}
 * @param error why the delivery failed, with the recipient's addresses masked; {@code null} when accepted
 * @param attributes extra facts the channel reported with its receipt (such as SMS segments); never
 *     {@code null}, empty when failed
 */
public record Delivery(String channelId, Status status, String providerMessageId, String error,
                       Map<String, String> attributes) {

    /** The outcome of one channel's delivery. */
    public enum Status {
        /** The channel's provider accepted the message. */
        ACCEPTED,
        /** The delivery failed in a way another try may not repeat: network, timeout, overload. */
        FAILED_RETRYABLE,
        /** The delivery failed in a way every try would: the recipient was rejected. */
        FAILED_PERMANENT
    }

    /**
     * Validates and copies.
     *
     * @param channelId the channel's id
     * @param status the outcome
     * @param providerMessageId the provider's id for the message, or {@code null}
     * @param error why it failed, or {@code null} when accepted
     * @param attributes facts from the receipt
     * @throws NullPointerException if {@code channelId}, {@code status} or {@code attributes} is null
     * @throws IllegalArgumentException if a failed delivery has no error, or an accepted one has one
     */
    public Delivery {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(status, "status");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        if ((status == Status.ACCEPTED) != (error == null)) {
            throw new IllegalArgumentException("error must be given exactly when the delivery failed: " + status);
        }
    }

    /**
     * A delivery without attributes.
     *
     * @param channelId the channel's id
     * @param status the outcome
     * @param providerMessageId the provider's id for the message, or {@code null}
     * @param error why it failed, or {@code null} when accepted
     */
    public Delivery(String channelId, Status status, String providerMessageId, String error) {
        this(channelId, status, providerMessageId, error, Map.of());
    }

    /**
     * Whether the channel's provider accepted the message.
     *
     * @return {@code true} for {@link Status#ACCEPTED}
     */
    public boolean isAccepted() {
        return status == Status.ACCEPTED;
    }
}
