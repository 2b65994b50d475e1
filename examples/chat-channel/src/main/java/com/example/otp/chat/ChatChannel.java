package com.example.otp.chat;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Posts {@code {"chatId":"…","text":"…"}} to the webhook for each code, to recipients with a {@code chat} address
 * ({@code SendRequest.builder(widget).address("chat", "42")}). A 2xx answer is a delivery, its
 * {@code X-Message-Id} header the provider's id; 429, 5xx and network errors are retryable, other statuses
 * permanent. Failures come back in the returned stage, as the engine expects, and never hold the code.
 *
 * <p><b>Thread-safety:</b> thread-safe; one {@link HttpClient} serves every delivery.
 */
final class ChatChannel implements Channel {

    private static final String KIND = "chat";

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    ChatChannel(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String id() {
        return ChatChannelProvider.ID;
    }

    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.address(KIND).isPresent();
    }

    /** The post is started with {@code sendAsync} and {@code deliver} returns at once: no delivery thread needed. */
    @Override
    public boolean deliversAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        String chatId = message.recipient().address(KIND).orElseThrow();
        String body = "{\"chatId\":\"" + json(chatId) + "\",\"text\":\"" + json(message.text()) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        throw DeliveryException.retryable("chat webhook unreachable: " + cause.getClass().getSimpleName());
                    }
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return new DeliveryReceipt(id(), response.headers().firstValue("X-Message-Id").orElse(null),
                                Instant.now());
                    }
                    String why = "chat webhook answered " + status;
                    throw status == 429 || status >= 500 ? DeliveryException.retryable(why) : DeliveryException.permanent(why);
                });
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
