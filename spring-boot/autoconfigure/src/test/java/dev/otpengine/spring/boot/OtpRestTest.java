package dev.otpengine.spring.boot;

import dev.otpengine.spi.Channel;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spring Boot application on a real port, called over real HTTP with the JDK's client: send, a wrong code,
 * a resend refused with 429 and {@code Retry-After}, the right code, an unknown widget, a malformed body.
 */
@OtpWebApplicationTest
final class OtpRestTest {

    static final String WIDGET = "123634df-ddfe-4dda-b31d-f3b4e75fc5dc";

    /** The application: auto-configuration, one channel, and a listener that keeps the delivery reports. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Channel sms() {
            return CapturingChannel.sms();
        }

        /** Stands in for otpengine-channels-voice: its id, and a provider id for each call. */
        @Bean
        Channel voice() {
            return CapturingChannel.reaching("voice", r -> r.phone().isPresent());
        }

        /** Stands in for otpengine-channels-whatsapp. */
        @Bean
        Channel whatsapp() {
            return CapturingChannel.reaching("whatsapp", r -> r.phone().isPresent());
        }

        @Bean
        Reports reports() {
            return new Reports();
        }
    }

    /** The delivery reports the engine's listeners heard. */
    static final class Reports implements dev.otpengine.OtpListener {
        final java.util.List<dev.otpengine.OtpEvent.DeliveryReported> heard =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onDeliveryReported(dev.otpengine.OtpEvent.DeliveryReported event) {
            heard.add(event);
        }

        java.util.List<dev.otpengine.OtpEvent.DeliveryReported> of(String providerMessageId) {
            return heard.stream().filter(e -> e.report().providerMessageId().equals(providerMessageId)).toList();
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Channel sms;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    @Test
    void theWholeFlow_overHttp() throws Exception {
        HttpResponse<String> sent = post("/otp", "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"+12025550199\"}");
        assertEquals(201, sent.statusCode(), sent.body());
        String requestId = field(sent.body(), "requestId");
        String code = ((CapturingChannel) sms).lastCode("+12025550199").orElseThrow();
        String wrong = code.equals("000000") ? "111111" : "000000";

        HttpResponse<String> bad = post("/otp/verify", "{\"requestId\":\"" + requestId + "\",\"code\":\"" + wrong + "\"}");
        assertEquals(200, bad.statusCode(), bad.body());
        assertEquals("INVALID_CODE", field(bad.body(), "status"));

        HttpResponse<String> again = post("/otp", "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"+12025550199\"}");
        assertEquals(429, again.statusCode(), again.body());
        assertEquals("RateLimitException", field(again.body(), "type"));
        int retryAfter = Integer.parseInt(again.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "what is left of the 30 s resend cooldown: " + retryAfter);

        HttpResponse<String> good = post("/otp/verify", "{\"requestId\":\"" + requestId + "\",\"code\":\"" + code + "\"}");
        assertEquals("VERIFIED", field(good.body(), "status"), good.body());
    }

    @Test
    void anUnknownWidget_is404_inTheEnginesShape() throws Exception {
        HttpResponse<String> r = post("/otp", "{\"widgetId\":\"00000000-0000-4000-8000-000000000000\","
                + "\"recipient\":\"ann@example.com\"}");
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("WidgetNotFoundException", field(r.body(), "type"));
        assertEquals("404", field(r.body(), "httpStatus"));
    }

    @Test
    void aMalformedBody_orAMissingField_is400_inTheSameShape() throws Exception {
        HttpResponse<String> broken = post("/otp", "{not json");
        assertEquals(400, broken.statusCode(), broken.body());
        assertEquals("InvalidRequestException", field(broken.body(), "type"));
        HttpResponse<String> missing = post("/otp", "{\"widgetId\":\"" + WIDGET + "\"}");
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("recipient is required"), missing.body());
    }

    @Test
    void theHealthEndpoint_reportsTheEngine() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("otpEngine"), r.body());
        assertEquals("UP", field(r.body(), "status"));
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void theActuatorsRegistry_getsTheMeters_andTheGaugeOfPendingCodes() throws Exception {
        post("/otp", "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"+12025550198\"}");
        assertTrue(registry.get(dev.otpengine.micrometer.OtpMeters.SENDS).counter().count() >= 1);
        assertTrue(registry.get(dev.otpengine.micrometer.OtpMeters.PENDING_CODES).gauge().value() >= 1);
    }

    @Test
    void anOversizedBody_orAnotherContentType_is400_inTheEnginesShape_beforeAnyParserHoldsIt() throws Exception {
        String huge = "{\"widgetId\":\"" + WIDGET + "\",\"recipient\":\"+1" + "2".repeat(100_000) + "\"}";
        HttpResponse<String> declared = post("/otp", huge);
        assertEquals(400, declared.statusCode(), declared.body());
        assertTrue(declared.body().contains("body must be at most 16384 bytes"), declared.body());

        // chunked: no length said, so the cap is met while reading
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/otp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        huge.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("body must be at most 16384 bytes"), chunked.body());

        HttpResponse<String> text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/otp/verify")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("requestId=x&code=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, text.statusCode(), text.body());
        assertEquals("InvalidRequestException", field(text.body(), "type"));
        assertTrue(text.body().contains("requestId"), "the example is the verify endpoint's: " + text.body());
    }
}
