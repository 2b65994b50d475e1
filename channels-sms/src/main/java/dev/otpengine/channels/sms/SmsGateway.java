package dev.otpengine.channels.sms;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Where the SMS channel hands a text: one implementation per gateway name in {@code sms.gateway}, and
 * {@link GatewayChain} over them, which is what the channel holds.
 */
interface SmsGateway extends AutoCloseable {

    /**
     * What a gateway answered when it took a text.
     *
     * @param gateway the name of the gateway that took it, as {@code sms.gateway} spells it ({@code twilio})
     * @param messageId the gateway's id for the message, or {@code null} if it gives none
     */
    record Accepted(String gateway, String messageId) {
    }

    /**
     * Sends a text.
     *
     * @param requestId the engine's request id of the code, for gateways that carry a reference of ours
     *     (Vonage's {@code client-ref})
     * @param to the E.164 number
     * @param text the text and its segments
     * @return what the gateway answered; completes exceptionally with a {@code DeliveryException} that is retryable
     *     when the failure is the gateway's (another gateway may deliver) and permanent when it is the number's
     */
    CompletionStage<Accepted> send(UUID requestId, String to, SmsText text);

    /**
     * Whether {@link #send} returns at once, its network I/O left to the returned stage.
     *
     * @return {@code false} unless the gateway says otherwise
     */
    default boolean sendsAsynchronously() {
        return false;
    }

    /**
     * Checks that the gateway's own timeouts fit the engine's delivery timeout.
     *
     * @param deliveryTimeout how long the engine waits for a delivery through the channel
     * @throws dev.otpengine.spi.ChannelConfigurationException if they do not fit; the default accepts any
     */
    default void checkDeliveryTimeout(Duration deliveryTimeout) {
    }

    /**
     * Facts for a health check, as {@link dev.otpengine.spi.Channel#health()} describes them.
     *
     * @return the facts; empty by default
     */
    default Map<String, String> health() {
        return Map.of();
    }

    @Override
    default void close() {
    }
}
