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
 * @param gateway the vendor whose webhook brought the report ({@code twilio}, {@code vonage}, {@code meta}), or
 *     {@code null} when the caller cannot tell: a report that names one is not taken for a message another vendor
 *     accepted (the channel's receipt named its gateway, as the shipped SMS, voice and WhatsApp channels do), so that
 *     one vendor's webhook can never speak for another vendor's messages
 */
public record DeliveryReport(String channelId, String providerMessageId, Status status, String errorCode,
                             String gateway) {

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
     * Validates. Ids and codes come from vendors' webhooks, which anyone may call: they are held to visible ASCII
     * (no space, no control character), so none can forge a log line or carry markup.
     *
     * @param channelId the channel's id
     * @param providerMessageId the provider's id for the message
     * @param status what became of the message
     * @param errorCode the vendor's error code, or {@code null}
     * @param gateway the vendor whose webhook brought the report, or {@code null}
     * @throws NullPointerException if {@code channelId}, {@code providerMessageId} or {@code status} is null
     * @throws IllegalArgumentException if {@code channelId} is not a channel id, or {@code providerMessageId}, the
     *     error code or the gateway is blank, longer than {@value #MAX_ID_LENGTH} characters, or holds a character
     *     other than visible ASCII
     */
    public DeliveryReport {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(status, "status");
        if (!dev.otpengine.spi.Channel.isValidId(channelId)) {
            throw new IllegalArgumentException("channelId must be a channel id (lowercase letters, digits, - or _): "
                    + channelId.length() + " characters");
        }
        check("providerMessageId", providerMessageId);
        if (errorCode != null) {
            check("errorCode", errorCode);
        }
        if (gateway != null) {
            check("gateway", gateway);
        }
    }

    /**
     * A report from a caller that cannot tell which vendor sent it: it is taken for the message whichever vendor
     * accepted it.
     *
     * @param channelId the channel's id
     * @param providerMessageId the provider's id for the message
     * @param status what became of the message
     * @param errorCode the vendor's error code, or {@code null}
     * @throws NullPointerException if {@code channelId}, {@code providerMessageId} or {@code status} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public DeliveryReport(String channelId, String providerMessageId, Status status, String errorCode) {
        this(channelId, providerMessageId, status, errorCode, null);
    }

    private static void check(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_ID_LENGTH + " characters: "
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(name + " must be visible ASCII: a character at index " + i
                        + " is not");
            }
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
