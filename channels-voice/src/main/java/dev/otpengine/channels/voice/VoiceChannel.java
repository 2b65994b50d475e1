package dev.otpengine.channels.voice;

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

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls the recipient through Twilio's Calls API and has the code read out by inline TwiML: a form POST to
 * {@code {baseUrl}/2010-04-01/Accounts/{accountSid}/Calls.json} with basic auth and {@code To}, {@code From},
 * {@code Twiml} and, when {@code voice.twilio.statusCallbackUrl} is set, {@code StatusCallback} with
 * {@code StatusCallbackEvent=completed} and {@code StatusCallbackMethod=POST}, so that Twilio posts the call's final
 * status ({@code completed}, {@code busy}, {@code no-answer}, {@code failed}, {@code canceled}) once
 * (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource). The answer's {@code sid}
 * ({@code CA...}) is the receipt's provider message id; errors are read by {@link TwilioCallErrors}.
 *
 * <p><b>Thread-safety:</b> thread-safe; the JDK's HTTP client is shared by all calls.
 */
final class VoiceChannel implements Channel {

    static final String ID = "voice";

    /**
     * The numbers a call goes to: mobiles, landlines, the numbers whose plan does not tell them apart (every
     * {@code +1} number), and VoIP numbers, which ring as a landline does and are called at ordinary rates (a desk
     * phone on a company's VoIP system is often the only line a person has). Not the numbers whose owner is paid or
     * whose destination is unknown (premium rate, shared cost, toll free, personal numbers that forward anywhere,
     * universal access numbers) nor pagers and voicemail: calling those is how call pumping is paid, and a voice
     * call costs more than an SMS.
     */
    static final PhoneReader NUMBERS = PhoneReader.taking("by a phone call", NumberType.MOBILE, NumberType.FIXED_LINE,
            NumberType.FIXED_LINE_OR_MOBILE, NumberType.VOIP);

    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"");

    private final VoiceSettings settings;
    private final SpokenTexts texts;
    private final HttpClient http;
    private final Clock clock;
    private final String authorization;
    private final TwilioCallErrors errors = new TwilioCallErrors();

    VoiceChannel(VoiceSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.texts = new SpokenTexts(settings.voices());
        this.http = http;
        this.clock = clock;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((settings.accountSid() + ":"
                + settings.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String id() {
        return ID;
    }

    /** @return whether the recipient has a phone; a call reaches mobiles and landlines alike */
    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.phone().isPresent();
    }

    /**
     * Reads a phone with the phone channels' one reading ({@code otpengine-phone}): its E.164 form whatever the
     * spelling, with its region, calling code and type as facts; or a refusal for a number that is not valid for its
     * country or is not one of {@link #NUMBERS}'s types ({@code "is a premium-rate number, which does not get codes by
     * a phone call"}).
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
     * Refuses an engine whose delivery timeout is shorter than {@code voice.timeout}, which could then never be
     * reached.
     *
     * @param deliveryTimeout how long the engine waits for this channel
     * @throws ChannelConfigurationException if {@code voice.timeout} is longer
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
        // the reading the engine was given, again: the number it counted is the one that is called
        PhoneReading reading = NUMBERS.read(phone);
        if (reading.number().isEmpty()) {
            return CompletableFuture.failedFuture(DeliveryException.permanent(reading.refusal().orElseThrow()));
        }
        String to = reading.number().map(PhoneNumber::e164).orElseThrow();
        SpokenTexts.Choice choice = texts.choose(message.locale());
        String twiml = SpokenTexts.twiml(choice, message.widgetName(), message.code(), settings.repeat());
        if (twiml.length() > SpokenTexts.MAX_TWIML_LENGTH) { // cannot happen within the engine's limits; never a 400 loop
            return CompletableFuture.failedFuture(DeliveryException.permanent("the call's TwiML has " + twiml.length()
                    + " characters, more than Twilio's " + SpokenTexts.MAX_TWIML_LENGTH));
        }
        HttpRequest request = HttpRequest.newBuilder(settings.callsUri()).timeout(settings.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(to, twiml), StandardCharsets.UTF_8)).build();
        CompletableFuture<DeliveryReceipt> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .thenApply(response -> {
                        if (response.statusCode() / 100 != 2) {
                            throw errors.of(response.statusCode(), response.body());
                        }
                        Matcher sid = SID.matcher(response.body());
                        return new DeliveryReceipt(ID, sid.find() ? sid.group(1) : null, clock.instant(),
                                Map.of("language", choice.say().language(), "gateway", "twilio"));
                    });
        } catch (RuntimeException e) { // the client refused the request before sending it
            return CompletableFuture.failedFuture(failure(e));
        }
        return sent.exceptionally(failure -> {
            throw failure(failure);
        });
    }

    /** The form: {@code To}, {@code From}, {@code Twiml} and the status callback's fields, URL-encoded. */
    String form(String to, String twiml) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("To", to);
        fields.put("From", settings.from());
        fields.put("Twiml", twiml);
        if (settings.statusCallbackUrl() != null) {
            fields.put("StatusCallback", settings.statusCallbackUrl().toString());
            fields.put("StatusCallbackEvent", "completed");
            fields.put("StatusCallbackMethod", "POST");
        }
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }

    private static DeliveryException failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof DeliveryException) {
            return (DeliveryException) cause;
        }
        if (cause instanceof HttpTimeoutException) {
            return DeliveryException.retryable("twilio did not answer in time", cause);
        }
        if (cause instanceof IOException) {
            return DeliveryException.retryable("could not reach twilio: " + cause.getClass().getSimpleName(), cause);
        }
        return DeliveryException.retryable("twilio failed: " + cause.getClass().getSimpleName(), cause);
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
    VoiceSettings settings() {
        return settings;
    }
}
