package dev.otpengine.spring.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser without JavaScript, over real HTTP: its own cookies, redirects not followed (so each can be looked at),
 * every page it was shown kept.
 */
final class Visitor {

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    final List<String> pages = new ArrayList<>();
    String language = "en";

    Visitor(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) throws Exception {
        return keep(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html")
                .header("Accept-Language", language).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return post(path, form, "X-Nothing", "");
    }

    HttpResponse<String> post(String path, Map<String, String> form, String header, String value) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return keep(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html")
                .header("Accept-Language", language).header("Content-Type", "application/x-www-form-urlencoded")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> postJson(String path, String json, String headerName, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            r.header(headerName, token);
        }
        return keep(http.send(r.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> keep(HttpResponse<String> response) {
        pages.add(response.body());
        return response;
    }

    /** The login page's form fields of the step it shows, with the CSRF token, ready to post. */
    Map<String, String> formOf(String html) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", field(html, "_csrf"));
        return form;
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name + " in " + html);
        return m.group(1);
    }

    /**
     * A GET whose {@code Host} header says {@code host}, as a proxy that passes the header on or a poisoned cache
     * delivers it (no browser sends one of its own choosing; Java's client will not either, hence a raw socket), in
     * this visitor's session, which the answer's session cookie becomes.
     *
     * @return the answer's status line and headers
     */
    String getWithHost(String path, String host) throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            String session = cookie("JSESSIONID");
            String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/html\r\n"
                    + (session == null ? "" : "Cookie: JSESSIONID=" + session + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            Matcher set = Pattern.compile("(?im)^Set-Cookie: JSESSIONID=([^;\r\n]+)").matcher(answer);
            if (set.find()) {
                HttpCookie cookie = new HttpCookie("JSESSIONID", set.group(1));
                cookie.setPath("/");
                cookie.setVersion(0);
                cookies.getCookieStore().add(uri, cookie);
            }
            return answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
        }
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Sends a code to a recipient through the page; returns the code step's page. */
    String sendCode(String recipient) throws Exception {
        String page = get("/login/otp").body();
        Map<String, String> form = formOf(page);
        form.put("recipient", recipient);
        HttpResponse<String> sent = post("/login/otp/send", form);
        assertTrue(sent.statusCode() == 302, "send: " + sent.statusCode() + " " + sent.body());
        return get("/login/otp").body();
    }

    /** Posts a code from the code step's page. */
    HttpResponse<String> postCode(String codePage, String code) throws Exception {
        Map<String, String> form = formOf(codePage);
        form.put("requestId", field(codePage, "requestId"));
        form.put("code", code);
        return post("/login/otp", form);
    }
}
