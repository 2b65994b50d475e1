package dev.otpengine;

import dev.otpengine.spi.Recipient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Something the engine did, reported to an {@link OtpListener}. Events never hold a code; a
 * {@link Recipient} prints masked, but its accessors give the full addresses, so an application that logs
 * them should log the recipient itself, not its addresses.
 *
 * <p><b>Thread-safety:</b> every event is an immutable record.
 */
public sealed interface OtpEvent {

    /**
     * When it happened, by the engine's clock.
     *
     * @return the instant
     */
    Instant at();

    /**
     * A code was delivered through at least one channel.
     *
     * @param at when
     * @param widgetId the widget
     * @param requestId the new request id
     * @param recipient who the code went to
     * @param deliveries what each channel tried answered
     */
    record Sent(Instant at, UUID widgetId, UUID requestId, Recipient recipient, List<Delivery> deliveries)
            implements OtpEvent {
    }

    /**
     * One channel failed to deliver a code (others may have succeeded).
     *
     * @param at when
     * @param widgetId the widget
     * @param requestId the request id of the code
     * @param recipient who the code was for
     * @param delivery the failed delivery, with its error
     */
    record DeliveryFailed(Instant at, UUID widgetId, UUID requestId, Recipient recipient, Delivery delivery)
            implements OtpEvent {
    }

    /**
     * A code was verified.
     *
     * @param at when
     * @param widgetId the widget
     * @param requestId the request id
     * @param recipient who the code was sent to
     */
    record Verified(Instant at, UUID widgetId, UUID requestId, Recipient recipient) implements OtpEvent {
    }

    /**
     * A verification did not succeed.
     *
     * @param at when
     * @param widgetId the widget, or {@code null} when the request id was not found
     * @param requestId the request id given
     * @param recipient who the code was sent to, or {@code null} when the request id was not found
     * @param result the outcome, never {@link VerifyResult.Status#VERIFIED}
     */
    record VerifyFailed(Instant at, UUID widgetId, UUID requestId, Recipient recipient, VerifyResult result)
            implements OtpEvent {
    }

    /**
     * A send or verification was refused with an exception: unknown or blocked widget, captcha, rate limit,
     * no channel, every channel failed.
     *
     * @param at when
     * @param widgetId the widget, or {@code null} for a verification
     * @param operation which operation was refused
     * @param reason the exception the caller got
     */
    record Rejected(Instant at, UUID widgetId, Operation operation, OtpException reason) implements OtpEvent {
    }

    /**
     * The toll-fraud guard ({@link ConversionGuard}) cut a range of numbers, or a whole region, off for a widget: too
     * few of the codes sent there lately were verified, so sends to it are withheld (or refused, with
     * {@link RateLimitException.Scope#COUNTRY_CONVERSION}) until it recovers. Reported once per widget, range (or
     * region) and guard window by each engine, not once per send: the one to alarm on.
     *
     * @param at when
     * @param widgetId the widget
     * @param callingCode the country calling code, such as {@code 44}
     * @param retryAfter how long until one more send there would pass, if nothing is verified meanwhile
     * @param region the region, as the phone channels read it ({@code "GG"}), or {@code +} and the calling code when
     *     they do not tell regions apart ({@code "+44"})
     * @param range the leading digits of the national number that make the range cut off ({@code "7781"}), or
     *     {@code null} when the whole region is
     */
    record CountryCutOff(Instant at, UUID widgetId, int callingCode, Duration retryAfter, String region, String range)
            implements OtpEvent {

        /**
         * A cut-off of a whole calling code, as the guard reported before it told regions and ranges apart.
         *
         * @param at when
         * @param widgetId the widget
         * @param callingCode the country calling code
         * @param retryAfter how long until one more send there would pass
         */
        public CountryCutOff(Instant at, UUID widgetId, int callingCode, Duration retryAfter) {
            this(at, widgetId, callingCode, retryAfter, "+" + callingCode, null);
        }
    }

    /**
     * A vendor reported what became of a message the engine had sent ({@link OtpEngine#reportDelivery}): delivered to
     * the handset, or failed for good. Reported by the engine that took the report, whichever engine sent the message.
     *
     * @param at when the engine took the report
     * @param widgetId the widget the code was sent for
     * @param requestId the request id of the code the message carried
     * @param report the report
     * @param gateway the gateway that had accepted the message (an SMS channel's {@code gateway} attribute, such as
     *     {@code twilio}), or {@code null} when the channel named none
     */
    record DeliveryReported(Instant at, UUID widgetId, UUID requestId, DeliveryReport report, String gateway)
            implements OtpEvent {

        /**
         * A report for a message whose channel named no gateway.
         *
         * @param at when the engine took the report
         * @param widgetId the widget the code was sent for
         * @param requestId the request id of the code the message carried
         * @param report the report
         */
        public DeliveryReported(Instant at, UUID widgetId, UUID requestId, DeliveryReport report) {
            this(at, widgetId, requestId, report, null);
        }
    }

    /**
     * An escalating send ({@code Widget.Builder.escalateAfter}) went on to its next channel: the code was not verified
     * in time after the last channel accepted it, or that channel's message was reported failed. One event per step,
     * from the engine that ran it.
     *
     * @param at when the next channel accepted the code
     * @param widgetId the widget
     * @param requestId the request id, the same as the first send's
     * @param recipient who the code went to
     * @param delivery what the next channel answered: accepted, with its provider message id
     */
    record Escalated(Instant at, UUID widgetId, UUID requestId, Recipient recipient, Delivery delivery)
            implements OtpEvent {

        /**
         * The channel the code went out on.
         *
         * @return the channel's id
         */
        public String channelId() {
            return delivery.channelId();
        }
    }

    /** The engine operations an event can be about. */
    enum Operation {
        /** {@code send} and {@code sendAsync}. */
        SEND,
        /** {@code verify}. */
        VERIFY
    }
}
