package dev.otpengine.channels.sms;

import java.util.concurrent.CompletionStage;

/** Where the SMS channel hands a text: one implementation per {@code sms.gateway}. */
interface SmsGateway extends AutoCloseable {

    /**
     * Sends a text.
     *
     * @param to the E.164 number
     * @param text the text and its segments
     * @return the gateway's message id, or {@code null} if it gives none; completes exceptionally with a
     *     {@code DeliveryException} saying whether another try may work
     */
    CompletionStage<String> send(String to, SmsText text);

    /**
     * Whether {@link #send} returns at once, its network I/O left to the returned stage.
     *
     * @return {@code false} unless the gateway says otherwise
     */
    default boolean sendsAsynchronously() {
        return false;
    }

    @Override
    default void close() {
    }
}
