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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any HTTP SMS API: a request to {@code sms.http.url} whose body is {@code sms.http.body} with {@code {to}} and
 * {@code {text}} filled in, escaped for the content type (JSON string escapes for {@code application/json}, URL
 * encoding for a form), headers from {@code sms.http.header.<Name>}, and a success status range.
 */
final class HttpGateway implements SmsGateway {

    static final String NAME = "http";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(to|text)}");
    private static final Pattern RANGE = Pattern.compile("([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?");

    private final HttpClient http;
    private final URI uri;
    private final String method;
    private final String body;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final int successFrom;
    private final int successTo;
    private final Duration timeout;

    HttpGateway(ChannelSettings s, HttpClient http, Duration timeout) {
        s.require("http.url");
        this.uri = HttpUrls.read(s, "http.url").orElseThrow();
        this.method = s.get("http.method", "POST").toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new ChannelConfigurationException(s.qualifiedKey("http.method"),
                    "setting " + s.qualifiedKey("http.method") + " must be POST or PUT: " + method);
        }
        this.body = s.require("http.body");
        if (!body.contains("{to}") || !body.contains("{text}")) {
            throw new ChannelConfigurationException(s.qualifiedKey("http.body"),
                    "setting " + s.qualifiedKey("http.body") + " must hold both {to} and {text}");
        }
        this.contentType = s.get("http.contentType", "application/json");
        String prefix = "http.header.";
        for (String key : s.keys()) {
            if (key.startsWith(prefix)) {
                String value = s.require(key);
                if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                    throw new ChannelConfigurationException(s.qualifiedKey(key),
                            "setting " + s.qualifiedKey(key) + " must not hold a line break");
                }
                headers.put(key.substring(prefix.length()), value);
            }
        }
        String range = s.get("http.successStatus", "200-299");
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            throw new ChannelConfigurationException(s.qualifiedKey("http.successStatus"), "setting "
                    + s.qualifiedKey("http.successStatus") + " must be a status or a range such as 200-299: " + range);
        }
        this.successFrom = Integer.parseInt(m.group(1));
        this.successTo = m.group(2) == null ? successFrom : Integer.parseInt(m.group(2));
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
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(fill(to, text.text()), StandardCharsets.UTF_8));
        headers.forEach(request::header);
        CompletableFuture<Accepted> sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> {
                    if (response.statusCode() < successFrom || response.statusCode() > successTo) {
                        throw HttpAnswers.status("the sms gateway", response.statusCode());
                    }
                    return new Accepted(NAME, null);
                });
        return sent.exceptionally(failure -> {
            throw HttpAnswers.failure("the sms gateway", failure);
        });
    }

    String fill(String to, String text) {
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(escape(m.group(1).equals("to") ? to : text)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String escape(String value) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        if (type.contains("json")) {
            StringBuilder out = new StringBuilder(value.length() + 8);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return value;
    }
}
