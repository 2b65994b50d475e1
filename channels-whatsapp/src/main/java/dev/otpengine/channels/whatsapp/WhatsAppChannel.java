package dev.otpengine.channels.whatsapp;

import dev.otpengine.phone.NumberType;
import dev.otpengine.phone.PhoneNumber;
import dev.otpengine.phone.PhoneReader;
import dev.otpengine.phone.PhoneReading;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Sends each code as the authentication template {@code whatsapp.template}, with the code as the body's parameter
 * and as the copy-code button's, through the Cloud API's messages endpoint. The request is the one Meta documents for
 * authentication templates with a one-time password button
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates/copy-code-button-authentication-templates
 * and https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates/auth-otp-template-messages):
 *
 * <pre>{@code
 * POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages
 * Authorization: Bearer {accessToken}
 * {"messaging_product":"whatsapp","recipient_type":"individual","to":"+5511987654321","type":"template",
 *  "template":{"name":"{template}","language":{"code":"pt_BR"},"components":[
 *    {"type":"body","parameters":[{"type":"text","text":"123456"}]},
 *    {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"123456"}]}]}}
 * }</pre>
 *
 * <p>{@code to} is the E.164 number with its {@code +}: Meta recommends the plus sign and the country calling code, as
 * a number without them is read in the sender's country
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers#phone-number-formats). The answer's
 * {@code messages[0].id} ({@code wamid....}) is the receipt's provider message id; errors are read by
 * {@link GraphErrors}.
 *
 * <p><b>Thread-safety:</b> thread-safe; the JDK's HTTP client is shared by all sends.
 */
final class WhatsAppChannel implements Channel {

    static final String ID = "whatsapp";

    /**
     * The numbers a WhatsApp message goes to: mobiles, and the numbers whose plan does not tell mobile from landline
     * (every {@code +1} number). Not landlines (rarely on WhatsApp: a widget that also calls reaches them by voice
     * instead), nor VoIP, premium-rate, shared-cost and the like.
     */
    static final PhoneReader NUMBERS = PhoneReader.taking("on WhatsApp", NumberType.MOBILE,
            NumberType.FIXED_LINE_OR_MOBILE);

    /** The longest one-time password an authentication template takes: {@value} characters (Meta, cited above). */
    static final int MAX_CODE_LENGTH = 15;

    private final WhatsAppSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final String authorization;
    private final GraphErrors errors;

    WhatsAppChannel(WhatsAppSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.authorization = "Bearer " + settings.accessToken();
        this.errors = new GraphErrors(settings.template());
    }

    @Override
    public String id() {
        return ID;
    }

    /** @return whether the recipient has a phone: WhatsApp accounts are phone numbers */
    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.phone().isPresent();
    }

    /**
     * Reads a phone with the phone channels' one reading ({@code otpengine-phone}): its E.164 form whatever the
     * spelling, with its region, calling code and type as facts; or a refusal for a number that is not valid for its
     * country or is not one of {@link #NUMBERS}'s types ({@code "is a landline, which does not get codes on
     * WhatsApp"}).
     *
     * @param kind the address kind; only {@code phone} is read
     * @param address the number as the engine normalized it
     * @return the reading
     */
    @Override
    public AddressReading readAddress(String kind, String address) {
        return NUMBERS.readAddress(kind, address);
    }

    /** @return {@code true}: the JDK's asynchronous HTTP client, so {@code deliver} returns before the request goes out */
    @Override
    public boolean deliversAsynchronously() {
        return true;
    }

    /**
     * Refuses an engine whose delivery timeout is shorter than {@code whatsapp.timeout}, which could then never be
     * reached.
     *
     * @param deliveryTimeout how long the engine waits for this channel
     * @throws ChannelConfigurationException if {@code whatsapp.timeout} is longer
     */
    @Override
    public void checkDeliveryTimeout(Duration deliveryTimeout) {
        if (settings.timeout().compareTo(deliveryTimeout) > 0) {
            throw new ChannelConfigurationException(ID + ".timeout", "setting " + ID + ".timeout (" + settings.timeout()
                    + ") does not fit the engine's deliveryTimeout for channel " + ID + " (" + deliveryTimeout
                    + "): set " + ID + ".timeout to at most " + deliveryTimeout
                    + ", or raise the engine's deliveryTimeout to at least " + settings.timeout());
        }
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        String phone = message.recipient().phone().orElse(null);
        if (phone == null) {
            return CompletableFuture.failedFuture(DeliveryException.permanent("the recipient has no phone"));
        }
        // the reading the engine was given, again: the number it counted is the one that is messaged
        PhoneReading reading = NUMBERS.read(phone);
        if (reading.number().isEmpty()) {
            return CompletableFuture.failedFuture(DeliveryException.permanent(reading.refusal().orElseThrow()));
        }
        String to = reading.number().map(PhoneNumber::e164).orElseThrow();
        if (message.code().length() > MAX_CODE_LENGTH) {
            return CompletableFuture.failedFuture(DeliveryException.permanent("a whatsapp authentication template takes "
                    + "codes of at most " + MAX_CODE_LENGTH + " characters, this one has " + message.code().length()));
        }
        String language = settings.languages().codeFor(message.locale());
        HttpRequest request = HttpRequest.newBuilder(settings.messagesUri()).timeout(settings.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(to, language, message.code()), StandardCharsets.UTF_8))
                .build();
        CompletableFuture<DeliveryReceipt> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .thenApply(response -> {
                        if (response.statusCode() / 100 != 2) {
                            throw errors.of(response.statusCode(), response.body(), language);
                        }
                        return new DeliveryReceipt(ID, messageId(response.body()), clock.instant(),
                                Map.of("language", language, "gateway", "meta"));
                    });
        } catch (RuntimeException e) { // the client refused the request before sending it
            return CompletableFuture.failedFuture(failure(e));
        }
        return sent.exceptionally(failure -> {
            throw failure(failure);
        });
    }

    /** The request body, every value escaped as a JSON string. */
    String body(String to, String language, String code) {
        String text = "[{\"type\":\"text\",\"text\":" + Json.quote(code) + "}]";
        return "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":" + Json.quote(to)
                + ",\"type\":\"template\",\"template\":{\"name\":" + Json.quote(settings.template())
                + ",\"language\":{\"code\":" + Json.quote(language) + "},\"components\":["
                + "{\"type\":\"body\",\"parameters\":" + text + "},"
                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":" + text + "}]}}";
    }

    /** {@code messages[0].id} of an accepted message, or {@code null} if the answer does not hold one. */
    static String messageId(String body) {
        try {
            Object id = Json.at(Json.parse(body), "messages", 0, "id");
            return id instanceof String && !((String) id).isBlank() ? (String) id : null;
        } catch (IllegalArgumentException e) {
            return null; // accepted all the same: the status says so
        }
    }

    private static DeliveryException failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DeliveryException) {
            return (DeliveryException) cause;
        }
        if (cause instanceof HttpTimeoutException) {
            return DeliveryException.retryable("whatsapp did not answer in time", cause);
        }
        if (cause instanceof IOException) {
            return DeliveryException.retryable("could not reach whatsapp: " + cause.getClass().getSimpleName(), cause);
        }
        return DeliveryException.retryable("whatsapp failed: " + cause.getClass().getSimpleName(), cause);
    }

    /**
     * Closes the HTTP client where the JDK can (from Java 21, {@code HttpClient} is {@code AutoCloseable}), which
     * stops its selector thread; on Java 17 the client stops once it is no longer referenced.
     */
    @Override
    public void close() {
        if (http instanceof AutoCloseable) {
            try {
                ((AutoCloseable) http).close();
            } catch (Exception e) {
                // nothing is left to release: the engine's close goes on with the other channels
            }
        }
    }

    /** The settings this channel was made with; for tests. */
    WhatsAppSettings settings() {
        return settings;
    }
}
