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
