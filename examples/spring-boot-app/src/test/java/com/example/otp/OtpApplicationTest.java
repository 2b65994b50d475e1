package com.example.otp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's promises: the site's home page needs a sign-in, and a visitor signs in with the code the console
 * gateway printed, over real HTTP with cookies and CSRF tokens as a browser without JavaScript does; the REST
 * endpoints answer a send with 201 and a request id, and a wrong widget id with 404 in the engine's shape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
final class OtpApplicationTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> post(String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/otp"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String... fields) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.length() == 0 ? "" : "&").append(fields[i]).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    @Test
    void theHomePage_needsASignIn_andTheCodeThatWasPrinted_signsIn(CapturedOutput output) throws Exception {
        HttpResponse<String> home = get("/");
        assertEquals(302, home.statusCode());
        assertEquals("http://127.0.0.1:" + port + "/login/otp", home.headers().firstValue("Location").orElseThrow());
        String page = get("/login/otp").body();
        assertTrue(page.contains("autocomplete=\"tel\""), page);
        assertEquals(302, postForm("/login/otp/send", "recipient", "+12025550163", "_csrf", field(page, "_csrf"))
                .statusCode());
        String codePage = get("/login/otp").body();
        Matcher printed = Pattern.compile("\\[otpengine SMS to \\+12025550163[^\\n]*\\n[^\\n]*?(\\d{6})")
                .matcher(output.getOut());
        assertTrue(printed.find(), output.getOut());

        HttpResponse<String> signedIn = postForm("/login/otp", "requestId", field(codePage, "requestId"),
                "code", printed.group(1), "_csrf", field(codePage, "_csrf"));

        assertEquals(302, signedIn.statusCode(), signedIn.body());
        assertEquals("http://127.0.0.1:" + port + "/?continue", signedIn.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> welcome = get("/?continue");
        assertEquals(200, welcome.statusCode());
        assertTrue(welcome.body().contains("<h1>Welcome to Acme</h1>"), welcome.body());
        HttpResponse<String> out = postForm("/logout", "_csrf", field(welcome.body(), "_csrf"));
        assertEquals("http://127.0.0.1:" + port + "/login/otp?logout", out.headers().firstValue("Location").orElseThrow());
        assertEquals(302, get("/").statusCode());
    }

    private static String printedCode(CapturedOutput output, String phone) {
        Matcher printed = Pattern.compile("\\[otpengine SMS to " + Pattern.quote(phone) + "[^\\n]*\\n[^\\n]*?(\\d{6})")
                .matcher(output.getOut());
        String code = null;
        while (printed.find()) {
            code = printed.group(1);
        }
        assertTrue(code != null, output.getOut());
        return code;
    }

    private void signIn(CapturedOutput output, String phone) throws Exception {
        String page = get("/login/otp").body();
        postForm("/login/otp/send", "recipient", phone, "_csrf", field(page, "_csrf"));
        String codePage = get("/login/otp").body();
        assertEquals(302, postForm("/login/otp", "requestId", field(codePage, "requestId"),
                "code", printedCode(output, phone), "_csrf", field(codePage, "_csrf")).statusCode());
    }

    private HttpResponse<String> postJson(String path, String json, String csrf) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrf != null) {
            r.header("X-CSRF-TOKEN", csrf);
        }
        return browser.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String requestIdOf(HttpResponse<String> sent) {
        Matcher id = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"").matcher(sent.body());
        assertTrue(id.find(), sent.body());
        return id.group(1);
    }

    @Test
    void theComponentWithoutOtpLogin_provesAPhone_onlyThroughTheServersOwnVerify(CapturedOutput output)
            throws Exception {
        signIn(output, "+12025550164");
        String page = get(RecoveryPhone.PATH).body();
        Matcher meta = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\">").matcher(page);
        assertTrue(meta.find() && page.contains("login=\"" + RecoveryPhone.PATH + "\""), page);
        String csrf = meta.group(1);
        String requestId = requestIdOf(post("{\"widgetId\":\"" + OtpApplication.WIDGET
                + "\",\"recipient\":\"+12025550165\"}"));
        String code = printedCode(output, "+12025550165");
        String wrong = code.equals("000000") ? "111111" : "000000";

        assertEquals(403, postJson(RecoveryPhone.PATH, "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code
                + "\"}", null).statusCode(), "a post without the CSRF token");
        HttpResponse<String> bad = postJson(RecoveryPhone.PATH, "{\"requestId\":\"" + requestId + "\",\"code\":\""
                + wrong + "\"}", csrf);
        assertEquals(401, bad.statusCode());
        assertEquals("{\"status\":\"INVALID_CODE\",\"attemptsLeft\":4}", bad.body());
        HttpResponse<String> good = postJson(RecoveryPhone.PATH, "{\"requestId\":\"" + requestId + "\",\"code\":\""
                + code + "\"}", csrf);

        assertEquals(200, good.statusCode(), good.body());
        assertEquals("{\"status\":\"VERIFIED\",\"redirectUrl\":\"" + RecoveryPhone.PATH + "\"}", good.body());
        assertTrue(get(RecoveryPhone.PATH).body().contains("<p id=\"proved\">Recovery phone: +12025550165</p>"));
        assertEquals(401, postJson(RecoveryPhone.PATH, "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code
                + "\"}", csrf).statusCode(), "a code proves once");

        // a code the browser verified itself, through the open REST endpoint, proves nothing to the server
        String other = requestIdOf(post("{\"widgetId\":\"" + OtpApplication.WIDGET
                + "\",\"recipient\":\"+12025550166\"}"));
        String otherCode = printedCode(output, "+12025550166");
        HttpResponse<String> selfVerified = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/otp/verify")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"" + other + "\",\"code\":\"" + otherCode
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(selfVerified.body().startsWith("{\"status\":\"VERIFIED\""), selfVerified.body());
        HttpResponse<String> claimed = postJson(RecoveryPhone.PATH, "{\"requestId\":\"" + other + "\",\"code\":\""
                + otherCode + "\"}", csrf);
        assertEquals("{\"status\":\"NOT_FOUND\",\"attemptsLeft\":0}", claimed.body());
        assertTrue(get(RecoveryPhone.PATH).body().contains("Recovery phone: +12025550165</p>"));
    }

    @Test
    void aFormPostedWithoutItsCsrfToken_is403_andSendsNothing(CapturedOutput output) throws Exception {
        assertEquals(403, postForm("/login/otp/send", "recipient", "+12025550188").statusCode());
        assertEquals(false, output.getAll().contains("+12025550188"), "nothing was sent");
        assertEquals(302, get("/").statusCode(), "and the next page still asks for a sign-in, not /error");
    }

    @Test
    void aSend_is201WithARequestId_andAWrongWidget404() throws Exception {
        HttpResponse<String> sent = post("{\"widgetId\":\"123634df-ddfe-4dda-b31d-f3b4e75fc5dc\","
                + "\"recipient\":\"+12025550162\"}");
        assertEquals(201, sent.statusCode(), sent.body());
        assertTrue(sent.body().matches("\\{\"requestId\":\"[0-9a-f-]{36}\",\"expiresAt\":\"[^\"]+\"}"), sent.body());

        HttpResponse<String> unknown = post("{\"widgetId\":\"00000000-0000-4000-8000-000000000000\","
                + "\"recipient\":\"+12025550162\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().startsWith("{\"type\":\"WidgetNotFoundException\""), unknown.body());
    }
}
