package dev.otpengine.channels.sms;

import dev.otpengine.phone.NumberType;
import dev.otpengine.phone.PhoneNumber;
import dev.otpengine.phone.PhoneReader;
import dev.otpengine.phone.PhoneReading;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the number with the phone channels' one reading ({@link #NUMBERS}), makes the text (with the WebOTP line when configured), counts its segments
 * and hands it to the gateway, which is the {@link GatewayChain} of {@code sms.gateway}. The receipt's attributes say
 * {@code segments}, {@code encoding}, {@code country} and {@code gateway} (the name of the gateway that took it).
 *
 * <p><b>Thread-safety:</b> thread-safe, as every gateway is.
 */
final class SmsChannel implements Channel {

    static final String ID = "sms";

    /**
     * The numbers an SMS goes to: mobiles, and the numbers whose plan does not tell mobile from landline (every
     * {@code +1} number), which would otherwise be refused whole countries at a time. Not landlines, VoIP, pagers,
     * nor the numbers whose owner is paid or whose destination is unknown (premium rate, shared cost, toll free,
     * personal, UAN, voicemail): sending codes to those is how SMS pumping is paid.
     */
    static final PhoneReader NUMBERS = PhoneReader.taking("by SMS", NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE);

    private final SmsGateway gateway;
    private final String webOtpDomain;

    SmsChannel(SmsGateway gateway, String webOtpDomain) {
        this.gateway = gateway;
        this.webOtpDomain = webOtpDomain;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.phone().isPresent();
    }

    /**
     * Reads a phone with the phone channels' one reading: its E.164 form whatever the spelling
     * ({@code +44 (0)7911 223456}, {@code +1 1 202 555 0162} and {@code +447911223456} are each one handset), with its
     * region, calling code and type as facts; or a refusal for a number that is not valid for its country or is not
     * one of {@link #NUMBERS}'s types ({@code "is a landline, which does not get codes by SMS"}).
     *
     * @param kind the address kind; only {@code phone} is read
     * @param address the number as the engine normalized it
     * @return the reading
     */
    @Override
    public AddressReading readAddress(String kind, String address) {
        return NUMBERS.readAddress(kind, address);
    }

    /** @return whether the gateway's {@code send} returns at once (HTTP gateways and the console do; SMPP blocks) */
    @Override
    public boolean deliversAsynchronously() {
        return gateway.sendsAsynchronously();
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        PhoneNumber number;
        SmsText text;
        try {
            // the reading the engine was given, again: the number it counted is the one that is sent to
            PhoneReading reading = NUMBERS.read(message.recipient().phone()
                    .orElseThrow(() -> DeliveryException.permanent("the recipient has no phone")));
            number = reading.number().orElseThrow(() -> DeliveryException.permanent(reading.refusal().orElseThrow()));
            text = SmsText.of(text(message));
        } catch (DeliveryException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(DeliveryException.permanent(e.getMessage(), e)); // an empty text
        }
        return gateway.send(message.requestId(), number.e164(), text).thenApply(accepted -> new DeliveryReceipt(ID,
                accepted.messageId(), Instant.now(), Map.of("segments", Integer.toString(text.segments()),
                "encoding", text.encoding().name(), "country", number.region(), "gateway", accepted.gateway())));
    }

    /**
     * Refuses gateways in a chain whose {@code sms.timeout} each, added up, outlast the engine's delivery timeout.
     *
     * @param deliveryTimeout how long the engine waits for a delivery through this channel
     * @throws dev.otpengine.spi.ChannelConfigurationException keyed {@code sms.timeout} if they do not fit; the
     *     message names {@code sms.timeout} and the engine's {@code deliveryTimeout} and says how to fix either
     */
    @Override
    public void checkDeliveryTimeout(Duration deliveryTimeout) {
        gateway.checkDeliveryTimeout(deliveryTimeout);
    }

    /**
     * One entry per gateway: {@code circuit.<gateway>} (such as {@code circuit.twilio}) and its circuit breaker's
     * state, {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}, in the order of {@code sms.gateway}.
     *
     * @return the entries, unmodifiable
     */
    @Override
    public Map<String, String> health() {
        return gateway.health();
    }

    /** The engine's text, and as its last line {@code @domain #code} for WebOTP and Android's SMS Retriever. */
    String text(OtpMessage message) {
        return webOtpDomain == null ? message.text() : message.text() + "\n\n@" + webOtpDomain + " #" + message.code();
    }

    /** The gateway of that name in the chain; for tests. */
    SmsGateway gateway(String name) {
        return ((GatewayChain) gateway).gateway(name);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
