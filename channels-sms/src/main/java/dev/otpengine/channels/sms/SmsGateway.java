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

    @Override
    default void close() {
    }
}
