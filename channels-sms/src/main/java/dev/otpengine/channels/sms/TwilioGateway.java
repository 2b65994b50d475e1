package dev.otpengine.channels.sms;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages API (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource): a form
 * POST to {@code /2010-04-01/Accounts/{sid}/Messages.json} with basic auth and {@code To}, {@code From} (or
 * {@code MessagingServiceSid}), {@code Body} and, when {@code sms.twilio.statusCallbackUrl} is set,
 * {@code StatusCallback}; the answer's {@code sid} is the message id. Errors are read by {@link TwilioErrors}.
 */
final class TwilioGateway implements SmsGateway {

    static final String NAME = "twilio";
    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final TwilioSettings settings;
    private final String authorization;
    private final Duration timeout;

    TwilioGateway(TwilioSettings settings, HttpClient http, Duration timeout) {
        this.settings = settings;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((settings.accountSid() + ":"
                + settings.authToken()).getBytes(StandardCharsets.UTF_8));
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
        fields.put("To", to);
        fields.put(settings.senderField(), settings.sender());
        fields.put("Body", text.text());
        if (settings.statusCallbackUrl() != null) {
            fields.put("StatusCallback", settings.statusCallbackUrl().toString());
        }
        HttpRequest request = HttpRequest.newBuilder(settings.messagesUri()).timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", FormEncoding.CONTENT_TYPE)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FormEncoding.of(fields), StandardCharsets.UTF_8)).build();
        CompletableFuture<Accepted> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw TwilioErrors.of(response.statusCode(), response.body());
                    }
                    Matcher sid = SID.matcher(response.body());
                    return new Accepted(NAME, sid.find() ? sid.group(1) : null);
                });
        return sent.exceptionally(failure -> {
            throw HttpAnswers.failure(NAME, failure);
        });
    }
}
