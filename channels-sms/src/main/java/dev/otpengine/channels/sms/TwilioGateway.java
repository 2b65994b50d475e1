package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages API: a form POST to {@code /2010-04-01/Accounts/{sid}/Messages.json} with basic auth and
 * {@code To}, {@code From} (or {@code MessagingServiceSid}) and {@code Body}; the answer's {@code sid} is the message id.
 */
final class TwilioGateway implements SmsGateway {

    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final String fromField;
    private final String from;
    private final Duration timeout;

    TwilioGateway(ChannelSettings s, HttpClient http, Duration timeout) {
        String accountSid = s.require("twilio.accountSid");
        if (!accountSid.matches("AC[0-9a-fA-F]{32}")) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.accountSid"), "setting "
                    + s.qualifiedKey("twilio.accountSid") + " must be AC followed by 32 hex digits");
        }
        String token = s.require("twilio.authToken");
        String sender = s.get("twilio.from").orElse(null);
        String service = s.get("twilio.messagingServiceSid").orElse(null);
        if ((sender == null) == (service == null)) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.from"), "set exactly one of "
                    + s.qualifiedKey("twilio.from") + " and " + s.qualifiedKey("twilio.messagingServiceSid"));
        }
        this.fromField = sender != null ? "From" : "MessagingServiceSid";
        this.from = sender != null ? sender : service;
        String base = s.get("twilio.baseUrl", DEFAULT_BASE_URL).replaceAll("/+$", "");
        try {
            this.uri = URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
        } catch (IllegalArgumentException e) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.baseUrl"),
                    "setting " + s.qualifiedKey("twilio.baseUrl") + " must be a URL");
        }
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + token)
                .getBytes(StandardCharsets.UTF_8));
        this.http = http;
        this.timeout = timeout;
    }

    /** @return {@code true}: the JDK's asynchronous HTTP client: send returns before the request goes out */
    @Override
    public boolean sendsAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<String> send(String to, SmsText text) {
        String form = "To=" + encode(to) + "&" + fromField + "=" + encode(from) + "&Body=" + encode(text.text());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        CompletableFuture<String> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw HttpAnswers.status("twilio", response.statusCode());
                    }
                    Matcher sid = SID.matcher(response.body());
                    return sid.find() ? sid.group(1) : null;
                });
        return sent.exceptionally(failure -> {
            throw HttpAnswers.failure("twilio", failure);
        });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
