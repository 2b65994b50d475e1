package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpEvent;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta's WhatsApp webhook over real HTTP, in the application the REST tests share: signed status webhooks for
 * messages the engine sent reach its listeners, each status of a batch; forged, unsigned and SHA-1-signed ones are
 * refused without an event; the verification request echoes the challenge only for the right token and a short
 * alphanumeric challenge. Signatures are computed here with {@code javax.crypto} over the exact bytes posted, as
 * Meta documents, not with the class under test.
 */
@OtpWebApplicationTest
final class WhatsAppWebhookTest {

    /** A widget of the shared application that sends by WhatsApp and calls. */
    static final String WIDGET = "5b1f6a0e-7c2d-4e3f-8a9b-0c1d2e3f4a5b";
    static final String APP_SECRET = "meta-test-app-secret";
    static final String VERIFY_TOKEN = "meta-test-verify-token";

    private static final AtomicInteger PHONES = new AtomicInteger();

    @Value("${local.server.port}")
    int port;

    @Autowired
    OtpEngine engine;

    @Autowired
    OtpRestTest.Reports reports;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A WhatsApp message the engine sent through the capturing channel: its provider id. */
    private String sentMessage() {
        SendResult sent = engine.send(SendRequest.builder(UUID.fromString(WIDGET))
                .phone("+1202555" + String.format(Locale.ROOT, "%04d", 7000 + PHONES.incrementAndGet())).build());
        return sent.deliveries().stream().filter(d -> d.channelId().equals("whatsapp")).findFirst().orElseThrow()
                .providerMessageId();
    }

    /** Meta's documented signature: sha256= and the hex HMAC-SHA256 of the body's bytes with the app secret. */
    private static String signature(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** One status as Meta's status messages webhook reference shows it. */
    private static String status(String wamid, String status, String errorCode) {
        String errors = errorCode == null ? "" : ",\"errors\":[{\"code\":" + errorCode + ",\"title\":\"Message "
                + "undeliverable\",\"message\":\"Message undeliverable\",\"error_data\":{\"details\":\"Message "
                + "failed to send because there were one or more errors related to your payment method.\"},"
                + "\"href\":\"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/\"}]";
        return "{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"1749416383\","
                + "\"recipient_id\":\"16505551234\",\"recipient_user_id\":\"US.13491208655302741918\""
                + (status.equals("failed") ? "" : ",\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\","
                + "\"type\":\"regular\",\"category\":\"authentication\"}") + errors + "}";
    }

    /** A webhook of the messages field with statuses, pretty-printed with non-ASCII text as Meta may send it. */
    private static String webhook(String... statuses) {
        return "{\n  \"object\": \"whatsapp_business_account\",\n  \"entry\": [\n    {\n"
                + "      \"id\": \"102290129340398\",\n      \"changes\": [\n        {\n          \"value\": {\n"
                + "            \"messaging_product\": \"whatsapp\",\n            \"metadata\": {\n"
                + "              \"display_phone_number\": \"15550783881\",\n"
                + "              \"phone_number_id\": \"106540352242922\"\n            },\n"
                + "            \"contacts\": [{\"profile\": {\"name\": \"Zoë Ñúñez \\u00e9\"}, \"wa_id\": \"16505551234\"}],\n"
                + "            \"statuses\": [" + String.join(",", statuses) + "]\n          },\n"
                + "          \"field\": \"messages\"\n        }\n      ]\n    }\n  ]\n}";
    }

    private HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/otp/reports/whatsapp")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signed(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post(body, "X-Hub-Signature-256", signature(APP_SECRET, body));
    }

    private HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/otp/reports/whatsapp?"
                + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String verification(String mode, String token, String challenge) {
        return "hub.mode=" + mode + "&hub.challenge=" + URLEncoder.encode(challenge, StandardCharsets.UTF_8)
                + "&hub.verify_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void post_aGenuineSignedStatusForASentMessage_reachesTheListener_with200() throws Exception {
        String wamid = sentMessage();

        HttpResponse<String> r = signed(webhook(status(wamid, "delivered", null)));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("", r.body());
        List<OtpEvent.DeliveryReported> heard = reports.of(wamid);
        assertEquals(1, heard.size());
        assertEquals(new DeliveryReport("whatsapp", wamid, DeliveryReport.Status.DELIVERED, null, "meta"),
                heard.get(0).report());
        assertEquals(UUID.fromString(WIDGET), heard.get(0).widgetId());
    }

    @Test
    void post_severalStatusesInOneWebhook_areEachReported_andSentIsNot() throws Exception {
        String read = sentMessage();
        String failed = sentMessage();
        String sent = sentMessage();

        HttpResponse<String> r = signed(webhook(status(sent, "sent", null), status(read, "read", null),
                status(failed, "failed", "131026")));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(new DeliveryReport("whatsapp", read, DeliveryReport.Status.DELIVERED, null, "meta"),
                reports.of(read).get(0).report());
        assertEquals(new DeliveryReport("whatsapp", failed, DeliveryReport.Status.FAILED, "131026", "meta"),
                reports.of(failed).get(0).report());
        assertEquals(1, reports.of(failed).size());
        assertEquals(List.of(), reports.of(sent));
    }

    @Test
    void post_aForgedMissingOrSha1Signature_is403_withNoBody_andNoEvent() throws Exception {
        String wamid = sentMessage();
        byte[] body = webhook(status(wamid, "failed", "131026")).getBytes(StandardCharsets.UTF_8);
        String genuine = signature(APP_SECRET, body);
        Mac sha1 = Mac.getInstance("HmacSHA1");
        sha1.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String sha1Signature = "sha1=" + HexFormat.of().formatHex(sha1.doFinal(body));
        byte[] tampered = webhook(status(wamid, "read", null)).getBytes(StandardCharsets.UTF_8);

        List<HttpResponse<String>> answers = List.of(
                post(body, "X-Hub-Signature-256", signature("another-app-secret", body)),
                post(body),
                post(body, "X-Hub-Signature-256", " "),
                post(body, "X-Hub-Signature-256", sha1Signature),
                post(body, "X-Hub-Signature", sha1Signature),
                post(body, "X-Hub-Signature-256", genuine.substring("sha256=".length())),
                post(body, "X-Hub-Signature-256", "SHA256=" + genuine.substring("sha256=".length())),
                post(tampered, "X-Hub-Signature-256", genuine),
                post((new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8),
                        "X-Hub-Signature-256", genuine));
        for (HttpResponse<String> r : answers) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("", r.body());
        }
        assertEquals(List.of(), reports.of(wamid));
    }

    @Test
    void post_garbageSignedOrNot_isNeverA500_andNeverEchoed() throws Exception {
        String marker = "<script>echo-me</script>";
        List<String> garbage = List.of("{\"entry\":" + marker, "[\"" + marker + "\"]", marker, "",
                "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":{\"x\":\"" + marker + "\"},"
                        + "\"status\":[\"failed\"]}]}}]}]}",
                "{\"entry\":\"" + marker + "\"}", "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"" + "w".repeat(200)
                        + "\",\"status\":\"failed\"}]}}]}]}");
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (String g : garbage) {
            HttpResponse<String> unsigned = post(g.getBytes(StandardCharsets.UTF_8), "X-Hub-Signature-256", "sha256="
                    + "0".repeat(64));
            assertEquals(403, unsigned.statusCode(), g);
            HttpResponse<String> signedGarbage = signed(g);
            assertEquals(200, signedGarbage.statusCode(), g);
            answers.add(unsigned);
            answers.add(signedGarbage);
        }
        String huge = webhook(status("wamid.x", "read", null)) + " ".repeat(20_000);
        HttpResponse<String> declared = signed(huge);
        assertEquals(400, declared.statusCode(), declared.body());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/otp/reports/whatsapp")).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature(APP_SECRET, huge.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        huge.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, chunked.statusCode(), chunked.body());
        answers.add(chunked);
        for (HttpResponse<String> r : answers) {
            assertEquals("", r.body());
        }
        assertFalse(declared.body().contains("echo-me"), declared.body());
        assertEquals(List.of(), reports.of("wamid.x"));
    }

    @Test
    void get_theRightVerifyToken_echoesTheChallenge_asPlainText() throws Exception {
        HttpResponse<String> r = get(verification("subscribe", VERIFY_TOKEN, "1158201444"));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("1158201444", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"),
                r.headers().toString());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("a1B2c3" + "9".repeat(58),
                get(verification("subscribe", VERIFY_TOKEN, "a1B2c3" + "9".repeat(58))).body());
    }

    @Test
    void get_aWrongTokenOrMode_orAChallengeThatIsNotAShortAlphanumericToken_is403_withNoBody() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(get(verification("subscribe", "meta-test-verify-tokeN", "1158201444")));
        answers.add(get(verification("subscribe", VERIFY_TOKEN + "x", "1158201444")));
        answers.add(get(verification("subscribe", "", "1158201444")));
        answers.add(get("hub.mode=subscribe&hub.challenge=1158201444"));
        answers.add(get(verification("unsubscribe", VERIFY_TOKEN, "1158201444")));
        answers.add(get("hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN));
        for (String challenge : List.of("<script>echo-me</script>", "1158201444 ", "-1", "1.5e3", "1158201444\n",
                "12345678901234567890123456789012345678901234567890123456789012345", "")) {
            answers.add(get(verification("subscribe", VERIFY_TOKEN, challenge)));
        }
        answers.add(get("hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN));
        answers.add(get("hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=%25zz"));
        for (HttpResponse<String> r : answers) {
            assertEquals(403, r.statusCode(), r.uri() + ": " + r.body());
            assertEquals("", r.body());
        }
    }
}
