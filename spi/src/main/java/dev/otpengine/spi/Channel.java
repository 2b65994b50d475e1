package dev.otpengine.spi;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A way to get a code to a person: SMS, email, a messenger. The engine hands a channel an
 * {@link OtpMessage} and waits, up to its delivery timeout, for the returned stage to complete.
 *
 * <p>A channel completes the stage with a {@link DeliveryReceipt} once its provider has accepted the
 * message, or exceptionally with a {@link DeliveryException} saying whether another try may work. Any
 * other exception, thrown or completed, also counts as a failure of this channel only: it never crashes
 * the send, and the engine goes on with the other channels.
 *
 * <p>The engine calls {@link #deliver} from its delivery executor, so a blocking implementation does not
 * hold up the caller or the other channels. An implementation that only starts asynchronous work and returns at
 * once should say so with {@link #deliversAsynchronously()}: the engine then calls it on the sending thread and
 * saves a hand-off to another thread per code.
 *
 * <p><b>Thread-safety:</b> implementations must be safe for concurrent use: the engine calls
 * {@link #canDeliverTo} and {@link #deliver} from many threads at once.
 */
public interface Channel extends AutoCloseable {

    /** The most characters a channel id may have: {@value}. */
    int MAX_ID_LENGTH = 32;

    /**
     * The one rule for a channel id, which the engine, its discovery, widgets and the test doubles all apply: 1 to
     * {@value #MAX_ID_LENGTH} lowercase ASCII letters, digits, {@code -} and {@code _}, starting with a letter or digit
     * ({@code sms}, {@code email}, {@code chat-2}).
     *
     * @param id a would-be id, or {@code null}
     * @return whether it is a well-formed channel id ({@code false} for {@code null})
     */
    static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && (i == 0 || (c != '-' && c != '_'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The channel's id, such as {@code "sms"} or {@code "email"}, well formed by {@link #isValidId(String)}. Widgets
     * name channels by this id, and settings for it use the prefix {@code id + "."}.
     *
     * @return the id, never {@code null}
     */
    String id();

    /**
     * Whether this channel can reach the recipient at all, typically whether the recipient has the kind of
     * address the channel sends to ({@link Recipient#phone()} for SMS). Must be cheap and must not do I/O.
     *
     * @param recipient the recipient of a send, never {@code null}
     * @return {@code true} if {@link #deliver} should be attempted for this recipient
     */
    boolean canDeliverTo(Recipient recipient);

    /**
     * Reads an address before the engine counts, draws or withdraws anything for a send: the one form this channel
     * would deliver to (so that every spelling of one handset is one key for every limit and one slot of the resend
     * index), or a refusal when this channel could never deliver there. The engine asks every channel of the widget:
     * the first form given is the send's, whatever the order; a channel that refuses an address another channel takes
     * is left out of that send (SMS refusing a landline a voice channel calls); only an address no channel takes is
     * the requester's error (HTTP 400) naming the field.
     * Must be cheap and must not do I/O. A channel that delivers to no kind it knows rules for keeps the default.
     *
     * @param kind the address kind, such as {@link Recipient#PHONE}
     * @param address the address, as the engine's own reading normalized it
     * @return the reading; {@link AddressReading#noOpinion()} unless overridden
     */
    default AddressReading readAddress(String kind, String address) {
        return AddressReading.noOpinion();
    }

    /**
     * Hands the message to the provider.
     *
     * @param message what to send and to whom, never {@code null}
     * @return a stage completed with the provider's receipt, or exceptionally with a
     *     {@link DeliveryException} (or any other exception, which counts as a retryable failure)
     * @throws DeliveryException may also be thrown directly instead of returning a failed stage
     */
    CompletionStage<DeliveryReceipt> deliver(OtpMessage message);

    /**
     * Whether {@link #deliver} returns at once, leaving any network I/O to the stage it returns (an asynchronous
     * HTTP client, a queue). The engine calls such a channel on the thread that sends, saving a hand-off to its
     * delivery threads; the stage is still cut off after the delivery timeout. A channel that may block before it
     * returns (a blocking SMTP or SMPP conversation) must keep the default, {@code false}: the engine then calls it
     * on its delivery threads, so that a slow server holds up neither the caller nor another channel. A channel that
     * says {@code true} and then takes longer than 50 ms to return from {@code deliver} is caught at it: the engine
     * logs a warning and calls it on its delivery threads from then on.
     *
     * @return {@code true} if {@code deliver} never blocks
     */
    default boolean deliversAsynchronously() {
        return false;
    }

    /**
     * Whether each message through this channel costs money (an SMS, a call, a WhatsApp conversation): what an
     * attacker pumps for profit. A send whose reachable channels all say {@code false} (email) counts under the
     * widget's free budget ({@code RateLimits.perWidgetFree}), apart from the one guarding paid sends, so a flood of
     * free sends cannot lock the widget.
     *
     * @return {@code true} (the default) unless messages cost nothing per message
     */
    default boolean costsPerMessage() {
        return true;
    }

    /**
     * Checks that the channel's own timeouts fit the time the engine gives each delivery through it: an SMS channel
     * that tries several gateways in turn, each for up to its own timeout, needs their sum. The engine calls this
     * once from {@code build()} with the channel's delivery timeout ({@code deliveryTimeout(channelId, …)}, else
     * {@code deliveryTimeout(…)}, else ten seconds) and refuses to build when it throws. The default accepts any.
     *
     * @param deliveryTimeout how long the engine waits for this channel's stage before it counts as failed
     * @throws ChannelConfigurationException if the channel's settings need longer; the message names the channel's
     *     setting and the engine's {@code deliveryTimeout}, and says how to fix either
     */
    default void checkDeliveryTimeout(Duration deliveryTimeout) {
    }

    /**
     * What the channel can tell about the providers behind it, for a health check and for gauges: one entry per
     * fact, such as {@code "circuit.twilio" -> "CLOSED"} for an SMS channel with a circuit breaker per gateway. Keys
     * are lowercase words joined by dots; values are short words. Must be cheap, must not do I/O, and never holds a
     * secret, a code or an address.
     *
     * @return the facts, unmodifiable; empty (the default) when the channel has none
     */
    default Map<String, String> health() {
        return Map.of();
    }

    /**
     * Releases what the channel holds (connections, sessions, threads). Called once by the engine's
     * {@code close()}. The default does nothing.
     */
    @Override
    default void close() {
    }
}
