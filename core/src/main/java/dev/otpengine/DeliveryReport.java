package dev.otpengine;

import java.util.Objects;

/**
 * What a carrier finally did with a message a channel's provider had accepted: the vendor's delivery report (Twilio's
 * status callback, Vonage's delivery receipt, a WhatsApp status webhook), handed to
 * {@link OtpEngine#reportDelivery(DeliveryReport)}.
 *
 * @param channelId the channel that sent the message, such as {@code "sms"}
 * @param providerMessageId the provider's id for the message, as the channel's receipt gave it
 *     ({@link Delivery#providerMessageId()})
 * @param status what became of the message
 * @param errorCode the vendor's error code for a failed message (Twilio's {@code ErrorCode}, Vonage's
 *     {@code err-code}), or {@code null}
 */
public record DeliveryReport(String channelId, String providerMessageId, Status status, String errorCode) {

    /** The most characters a provider's message id or an error code may have: {@value}. */
    public static final int MAX_ID_LENGTH = 128;

    /** What became of a message. */
    public enum Status {
        /** The carrier delivered it to the handset (or the mailbox). */
        DELIVERED,
        /** The carrier could not deliver it and will not try again. */
        FAILED
    }

    /**
     * Validates.
     *
     * @param channelId the channel's id
     * @param providerMessageId the provider's id for the message
     * @param status what became of the message
     * @param errorCode the vendor's error code, or {@code null}
     * @throws NullPointerException if {@code channelId}, {@code providerMessageId} or {@code status} is null
     * @throws IllegalArgumentException if {@code channelId} or {@code providerMessageId} is blank, or an id or the
     *     error code is longer than {@value #MAX_ID_LENGTH} characters
     */
    public DeliveryReport {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(status, "status");
        check("channelId", channelId);
        check("providerMessageId", providerMessageId);
        if (errorCode != null && errorCode.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("errorCode must be at most " + MAX_ID_LENGTH + " characters: "
                    + errorCode.length());
        }
    }

    private static void check(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_ID_LENGTH + " characters: "
                    + value.length());
        }
    }

    /**
     * Whether the message reached its recipient.
     *
     * @return {@code true} for {@link Status#DELIVERED}
     */
    public boolean isDelivered() {
        return status == Status.DELIVERED;
    }
}
