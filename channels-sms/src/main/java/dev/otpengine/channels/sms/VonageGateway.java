package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vonage's SMS API, "Send an SMS" (https://developer.vonage.com/en/api/sms#send-an-sms): a form POST to
 * {@code {baseUrl}/sms/json} with {@code api_key}, {@code api_secret}, {@code from}, {@code to} (E.164 digits without
 * {@code +}), {@code text}, {@code type=unicode} when the text is not GSM-7 (the API's default type is {@code text},
 * GSM-7), {@code client-ref} (the engine's request id, which Vonage returns in the delivery receipt) and, when
 * {@code sms.vonage.callbackUrl} is set, {@code callback} (the receipt's webhook for this message). All statuses 0:
 * accepted, the first part's {@code message-id} is the message id; else {@link VonageStatuses} reads the first
 * non-zero status. The SMS API reports refusals in a 200 answer, so any other HTTP status is the gateway's fault.
 */
final class VonageGateway implements SmsGateway {

    static final String NAME = "vonage";
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"?(\\d+)\"?");
    private static final Pattern MESSAGE_ID = Pattern.compile("\"message-id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final VonageSettings settings;
    private final Duration timeout;

    VonageGateway(VonageSettings settings, HttpClient http, Duration timeout) {
        this.settings = settings;
        this.http = http;
        this.timeout = timeout;
    }

    /** @return {@code true}: the JDK's asynchronous HTTP client: send returns before the request goes out */
    @Override
    public boolean sendsAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("api_key", settings.apiKey());
        fields.put("api_secret", settings.apiSecret());
        fields.put("from", settings.from());
        fields.put("to", to.substring(1));
        fields.put("text", text.text());
        if (text.encoding() == SmsText.Encoding.UCS2) {
            fields.put("type", "unicode");
        }
        fields.put("client-ref", requestId.toString());
        if (settings.callbackUrl() != null) {
            fields.put("callback", settings.callbackUrl().toString());
        }
        HttpRequest request = HttpRequest.newBuilder(settings.smsUri()).timeout(timeout)
                .header("Content-Type", FormEncoding.CONTENT_TYPE)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FormEncoding.of(fields), StandardCharsets.UTF_8)).build();
        CompletableFuture<Accepted> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw DeliveryException.retryable("vonage answered HTTP " + response.statusCode());
                    }
                    return accepted(response.body());
                });
        return sent.exceptionally(failure -> {
            throw HttpAnswers.failure(NAME, failure);
        });
    }

    /** Every part's status must be 0; a text of several parts is accepted only whole. */
    static Accepted accepted(String body) {
        Matcher status = STATUS.matcher(body);
        boolean any = false;
        while (status.find()) {
            any = true;
            int value;
            try {
                value = Integer.parseInt(status.group(1));
            } catch (NumberFormatException e) {
                value = Integer.MAX_VALUE; // not a documented status
            }
            if (value != 0) {
                throw VonageStatuses.of(value);
            }
        }
        if (!any) {
            throw DeliveryException.retryable("vonage answered without a status");
        }
        Matcher id = MESSAGE_ID.matcher(body);
        return new Accepted(NAME, id.find() ? id.group(1) : null);
    }
}
