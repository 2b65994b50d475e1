package dev.otpengine.spring.boot;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole flow over real HTTP with a real channel: the email channel, configured by {@code otpengine.channels.*}
 * properties and found by discovery, sends to a GreenMail SMTP server; the code is read from the mail that arrived.
 */
@SpringBootTest(classes = EmailFlowTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"otpengine.web.enabled=true", "otpengine.widgets[0].id=" + EmailFlowTest.WIDGET,
                "otpengine.widgets[0].name=Acme"})
final class EmailFlowTest {

    static final String WIDGET = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        SMTP.start();
    }

    /** The application: only the auto-configuration; its channel comes from properties. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry properties) {
        properties.add("otpengine.channels[email.smtp.host]", () -> "127.0.0.1");
        properties.add("otpengine.channels[email.smtp.port]", () -> Integer.toString(SMTP.getSmtp().getPort()));
        properties.add("otpengine.channels[email.smtp.security]", () -> "none");
        properties.add("otpengine.channels[email.from]", () -> "no-reply@acme.test");
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
    }

    @Value("${local.server.port}")
    int port;

    private HttpResponse<String> post(String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void send_wrongCode_429_andTheRightCode_byEmail() throws Exception {
        HttpResponse<String> sent = post("/otp", "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"ann@example.com\"}");
        assertEquals(201, sent.statusCode(), sent.body());
        Matcher id = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"").matcher(sent.body());
        assertTrue(id.find(), sent.body());
        assertTrue(SMTP.waitForIncomingEmail(5_000, 1), "the mail arrived");
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        Matcher digits = Pattern.compile("\\b(\\d{6})\\b").matcher(GreenMailUtil.getBody(mail));
        assertTrue(digits.find(), GreenMailUtil.getBody(mail));
        String code = digits.group(1);
        String wrong = code.equals("000000") ? "111111" : "000000";

        HttpResponse<String> bad = post("/otp/verify", "{\"requestId\":\"" + id.group(1) + "\",\"code\":\"" + wrong + "\"}");
        assertTrue(bad.body().contains("\"status\":\"INVALID_CODE\""), bad.body());
        HttpResponse<String> again = post("/otp", "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"ann@example.com\"}");
        assertEquals(429, again.statusCode(), again.body());
        assertTrue(again.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> good = post("/otp/verify", "{\"requestId\":\"" + id.group(1) + "\",\"code\":\"" + code + "\"}");
        assertTrue(good.body().contains("\"status\":\"VERIFIED\""), good.body());
    }
}
