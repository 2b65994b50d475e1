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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vendors' delivery-report webhooks over real HTTP, in the application {@link OtpRestTest} starts: Twilio's
 * status callbacks and Vonage's receipts for messages the engine sent reach its listeners; forged, unsigned,
 * re-addressed, stale and malformed ones are refused without a 500 and without an echo. Signatures are computed here
 * with {@code javax.crypto}, from the vendors' documented algorithms, not with the classes under test.
 */
@OtpWebApplicationTest
final class DeliveryReportWebhookTest {

    static final String TWILIO_TOKEN = "twilio-test-auth-token";
    static final String CALLBACK_URL = "https://hooks.example.com/otp/reports/twilio";
    static final String PUBLIC_URL = "https://public.example.com";
    static final String VONAGE_SECRET = "vonage-test-signature-secret";
    /** The voice channel's own Twilio account. */
    static final String VOICE_TOKEN = "twilio-voice-account-auth-token";
    static final String VOICE_CALLBACK_URL = "https://hooks.example.com/otp/reports/twilio?channel=voice";

    private static final AtomicInteger PHONES = new AtomicInteger();

    @Value("${local.server.port}")
    int port;

    @Autowired
    OtpEngine engine;

    @Autowired
    OtpRestTest.Reports reports;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A message the engine sent through the capturing SMS channel: its provider id. */
    private String sentMessage() {
        SendResult sent = sent();
        return sent.deliveries().get(0).providerMessageId();
    }

    private SendResult sent() {
        return engine.send(SendRequest.builder(UUID.fromString(OtpRestTest.WIDGET))
                .phone("+1202555" + String.format(Locale.ROOT, "%04d", 3000 + PHONES.incrementAndGet())).build());
    }

    private static String form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** Twilio's documented signature: the URL, then each field sorted by name as name and value; HMAC-SHA1. */
    private static String twilioSignature(String token, String url, Map<String, String> fields) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(fields).forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A call the engine made through the capturing voice channel (the widget also sends by WhatsApp): its sid. */
    private String madeCall() {
        SendResult sent = engine.send(SendRequest.builder(UUID.fromString(WhatsAppWebhookTest.WIDGET))
                .phone("+1202555" + String.format(Locale.ROOT, "%04d", 5000 + PHONES.incrementAndGet())).build());
        return sent.deliveries().stream().filter(d -> d.channelId().equals("voice")).findFirst().orElseThrow()
                .providerMessageId();
    }

    /** A call status callback as Twilio posts it for the completed event, in Twilio's own order. */
    private static Map<String, String> callCallback(String callSid, String status, String errorCode) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Called", "+12025555001");
        f.put("ToState", "DC");
        f.put("CallerCountry", "US");
        f.put("Direction", "outbound-api");
        f.put("Timestamp", "Mon, 07 Dec 2026 10:00:00 +0000");
        f.put("CallbackSource", "call-progress-events");
        f.put("SequenceNumber", "0");
        f.put("CallSid", callSid);
        f.put("To", "+12025555001");
        f.put("From", "+15005550006");
        f.put("CallStatus", status);
        f.put("CallDuration", "14");
        f.put("AccountSid", "AC1111111111111111111111111111111f");
        f.put("ApiVersion", "2010-04-01");
        if (errorCode != null) {
            f.put("ErrorCode", errorCode);
        }
        return f;
    }

    /** A status callback as Twilio posts it, with more fields than the webhook reads, in Twilio's own order. */
    private static Map<String, String> callback(String messageSid, String status, String errorCode) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("SmsSid", messageSid);
        f.put("SmsStatus", status);
        f.put("MessageStatus", status);
        f.put("To", "+12025553001");
        f.put("MessageSid", messageSid);
        f.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        f.put("From", "+15005550006");
        f.put("ApiVersion", "2010-04-01");
        if (errorCode != null) {
            f.put("ErrorCode", errorCode);
        }
        return f;
    }

    private HttpResponse<String> post(String pathAndQuery, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> twilio(Map<String, String> fields, String signature) throws Exception {
        return post("/otp/reports/twilio", "application/x-www-form-urlencoded", form(fields),
                "X-Twilio-Signature", signature);
    }

    @Test
    void twilio_aGenuineCallbackForASentMessage_reachesTheListener_with204() throws Exception {
        SendResult sent = sent();
        String sid = sent.deliveries().get(0).providerMessageId();
        Map<String, String> fields = callback(sid, "undelivered", "30003");

        HttpResponse<String> r = twilio(fields, twilioSignature(TWILIO_TOKEN, CALLBACK_URL, fields));

        assertEquals(204, r.statusCode(), r.body());
        assertEquals("", r.body());
        List<OtpEvent.DeliveryReported> heard = reports.of(sid);
        assertEquals(1, heard.size());
        assertEquals(new DeliveryReport("sms", sid, DeliveryReport.Status.FAILED, "30003", "twilio"), heard.get(0).report());
        assertEquals(sent.requestId(), heard.get(0).requestId());
    }

    @Test
    void twilio_signedOverThePublicUrl_withTheQueryAsReceived_isTaken() throws Exception {
        String sid = sentMessage();
        Map<String, String> fields = callback(sid, "delivered", null);
        String query = "attempt=1%202&x=%2B";
        String signature = twilioSignature(TWILIO_TOKEN, PUBLIC_URL + "/otp/reports/twilio?" + query, fields);

        HttpResponse<String> r = post("/otp/reports/twilio?" + query, "application/x-www-form-urlencoded",
                form(fields), "X-Twilio-Signature", signature);

        assertEquals(204, r.statusCode(), r.body());
        assertEquals(DeliveryReport.Status.DELIVERED, reports.of(sid).get(0).report().status());
    }

    @Test
    void twilio_aForgedOrMissingSignature_is403_withNoBody_andNoEvent() throws Exception {
        String sid = sentMessage();
        Map<String, String> fields = callback(sid, "delivered", null);
        String genuine = twilioSignature(TWILIO_TOKEN, CALLBACK_URL, fields);

        HttpResponse<String> wrongToken = twilio(fields, twilioSignature("another-token", CALLBACK_URL, fields));
        HttpResponse<String> tampered = twilio(callback(sid, "failed", null), genuine);
        HttpResponse<String> missing = post("/otp/reports/twilio", "application/x-www-form-urlencoded", form(fields));
        HttpResponse<String> empty = twilio(fields, " ");

        for (HttpResponse<String> r : List.of(wrongToken, tampered, missing, empty)) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("", r.body());
        }
        assertEquals(List.of(), reports.of(sid));
    }

    /** A request over a plain socket, so that the Host header is the attacker's (the JDK's client will not). */
    private int raw(String path, String body, String... headerLines) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(bytes.length)
                    .append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void twilio_hostAndForwardedHeaders_doNotChangeTheUrlThatIsChecked() throws Exception {
        String sid = sentMessage();
        Map<String, String> fields = callback(sid, "delivered", null);
        String[] attacker = {"Host: attacker.example", "X-Forwarded-Host: attacker.example",
                "X-Forwarded-Proto: https", "X-Forwarded-Port: 443", "X-Forwarded-Prefix: /evil"};
        String signature = twilioSignature(TWILIO_TOKEN, "https://attacker.example/otp/reports/twilio", fields);
        String withPrefix = twilioSignature(TWILIO_TOKEN, "https://attacker.example/evil/otp/reports/twilio", fields);

        assertEquals(403, raw("/otp/reports/twilio", form(fields), join(attacker, "X-Twilio-Signature: " + signature)));
        assertEquals(403, raw("/otp/reports/twilio", form(fields), join(attacker, "X-Twilio-Signature: " + withPrefix)));
        assertEquals(List.of(), reports.of(sid));

        String genuine = twilioSignature(TWILIO_TOKEN, CALLBACK_URL, fields);
        assertEquals(204, raw("/otp/reports/twilio", form(fields), join(attacker, "X-Twilio-Signature: " + genuine)),
                "the configured URL is checked whatever the headers say");
        assertEquals(1, reports.of(sid).size());
    }

    private static String[] join(String[] lines, String more) {
        String[] all = java.util.Arrays.copyOf(lines, lines.length + 1);
        all[lines.length] = more;
        return all;
    }

    @Test
    void twilio_anUnknownMessage_orAStatusThatIsNotFinal_is204_andNoEvent() throws Exception {
        Map<String, String> unknown = callback("SM00000000000000000000000000000000", "delivered", null);
        assertEquals(204, twilio(unknown, twilioSignature(TWILIO_TOKEN, CALLBACK_URL, unknown)).statusCode());
        assertEquals(List.of(), reports.of("SM00000000000000000000000000000000"));

        String sid = sentMessage();
        for (String status : List.of("queued", "sending", "sent")) {
            Map<String, String> f = callback(sid, status, null);
            assertEquals(204, twilio(f, twilioSignature(TWILIO_TOKEN, CALLBACK_URL, f)).statusCode(), status);
        }
        assertEquals(List.of(), reports.of(sid));
    }

    @Test
    void twilio_aGenuineCallStatusForACallTheEngineMade_reachesTheListener_asTheVoiceChannels() throws Exception {
        String sid = madeCall();
        Map<String, String> fields = callCallback(sid, "completed", null);

        HttpResponse<String> r = twilio(fields, twilioSignature(VOICE_TOKEN, VOICE_CALLBACK_URL, fields));

        assertEquals(204, r.statusCode(), r.body());
        assertEquals("", r.body());
        List<OtpEvent.DeliveryReported> heard = reports.of(sid);
        assertEquals(1, heard.size());
        assertEquals(new DeliveryReport("voice", sid, DeliveryReport.Status.DELIVERED, null, "twilio"), heard.get(0).report());
        assertEquals(UUID.fromString(WhatsAppWebhookTest.WIDGET), heard.get(0).widgetId());
    }

    @Test
    void twilio_aFailedCall_signedWithEitherToken_overEitherCallbackUrlOrThePublicUrl_isFailed() throws Exception {
        String busy = madeCall();
        Map<String, String> busyFields = callCallback(busy, "busy", null);
        assertEquals(204, twilio(busyFields, twilioSignature(TWILIO_TOKEN, VOICE_CALLBACK_URL, busyFields))
                .statusCode());
        String failed = madeCall();
        Map<String, String> failedFields = callCallback(failed, "failed", "32009");
        assertEquals(204, twilio(failedFields, twilioSignature(VOICE_TOKEN, CALLBACK_URL, failedFields)).statusCode());
        String unanswered = madeCall();
        Map<String, String> unansweredFields = callCallback(unanswered, "no-answer", null);
        assertEquals(204, twilio(unansweredFields, twilioSignature(VOICE_TOKEN, PUBLIC_URL + "/otp/reports/twilio",
                unansweredFields)).statusCode());

        assertEquals(new DeliveryReport("voice", busy, DeliveryReport.Status.FAILED, "busy", "twilio"),
                reports.of(busy).get(0).report());
        assertEquals(new DeliveryReport("voice", failed, DeliveryReport.Status.FAILED, "32009", "twilio"),
                reports.of(failed).get(0).report());
        assertEquals(new DeliveryReport("voice", unanswered, DeliveryReport.Status.FAILED, "no-answer", "twilio"),
                reports.of(unanswered).get(0).report());
    }

    @Test
    void twilio_aCallCallbackForgedOrSignedWithAnotherToken_is403_andAStatusNotFinal_is204_bothWithNoEvent()
            throws Exception {
        String sid = madeCall();
        Map<String, String> fields = callCallback(sid, "completed", null);
        String genuine = twilioSignature(VOICE_TOKEN, VOICE_CALLBACK_URL, fields);

        HttpResponse<String> otherToken = twilio(fields, twilioSignature("another-token", VOICE_CALLBACK_URL, fields));
        HttpResponse<String> otherUrl = twilio(fields, twilioSignature(VOICE_TOKEN,
                "https://hooks.example.com/otp/reports/twilio?channel=sms", fields));
        HttpResponse<String> tampered = twilio(callCallback(sid, "busy", null), genuine);
        for (HttpResponse<String> r : List.of(otherToken, otherUrl, tampered)) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("", r.body());
        }
        for (String status : List.of("queued", "initiated", "ringing", "in-progress")) {
            Map<String, String> f = callCallback(sid, status, null);
            assertEquals(204, twilio(f, twilioSignature(VOICE_TOKEN, VOICE_CALLBACK_URL, f)).statusCode(), status);
        }
        assertEquals(List.of(), reports.of(sid));
    }

    /** Vonage's documented signature with the HMAC-SHA256 method: sorted {@code &name=value}, upper-case hex. */
    private static String vonageSignature(Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> data.append('&').append(k.replaceAll("[&=]", "_")).append('=')
                .append(v.replaceAll("[&=]", "_")));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(VONAGE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)))
                .toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> receipt(String messageId, String status, long timestamp) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("msisdn", "12025553001");
        p.put("to", "Acme");
        p.put("network-code", "310004");
        p.put("messageId", messageId);
        p.put("price", "0.00750000");
        p.put("status", status);
        p.put("scts", "2612071000");
        p.put("err-code", status.equals("delivered") ? "0" : "6");
        p.put("message-timestamp", "2026-12-07 10:00:00");
        p.put("timestamp", Long.toString(timestamp));
        p.put("nonce", UUID.randomUUID().toString());
        p.put("sig", vonageSignature(p));
        return p;
    }

    private static String json(Map<String, String> params) {
        StringBuilder json = new StringBuilder("{");
        params.forEach((k, v) -> json.append(json.length() == 1 ? "" : ",").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        return json.append('}').toString();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void vonage_aSignedReceipt_asAFormOrAsJson_reachesTheListener() throws Exception {
        String formId = sentMessage();
        HttpResponse<String> asForm = post("/otp/reports/vonage", "application/x-www-form-urlencoded",
                form(receipt(formId, "delivered", now())));
        assertEquals(204, asForm.statusCode(), asForm.body());
        assertEquals(new DeliveryReport("sms", formId, DeliveryReport.Status.DELIVERED, null, "vonage"),
                reports.of(formId).get(0).report());

        String jsonId = sentMessage();
        HttpResponse<String> asJson = post("/otp/reports/vonage", "application/json",
                json(receipt(jsonId, "rejected", now())));
        assertEquals(204, asJson.statusCode(), asJson.body());
        assertEquals(new DeliveryReport("sms", jsonId, DeliveryReport.Status.FAILED, "6", "vonage"),
                reports.of(jsonId).get(0).report());
    }

    @Test
    void vonage_aForgedSig_noSig_orATimestampTooOld_is403_withNoBody_andNoEvent() throws Exception {
        String id = sentMessage();
        Map<String, String> forged = receipt(id, "delivered", now());
        forged.put("status", "failed");
        Map<String, String> unsigned = receipt(id, "delivered", now());
        unsigned.remove("sig");
        Map<String, String> old = receipt(id, "delivered", now() - 6 * 60);

        for (Map<String, String> p : List.of(forged, unsigned, old)) {
            HttpResponse<String> r = post("/otp/reports/vonage", "application/x-www-form-urlencoded", form(p));
            assertEquals(403, r.statusCode(), p.toString());
            assertEquals("", r.body());
        }
        assertEquals(List.of(), reports.of(id));
    }

    @Test
    void vonage_anUnknownMessage_is204() throws Exception {
        assertEquals(204, post("/otp/reports/vonage", "application/json",
                json(receipt("0A00000000000000", "delivered", now()))).statusCode());
        assertEquals(List.of(), reports.of("0A00000000000000"));
    }

    @Test
    void garbageBodies_oversizedBodies_andOtherContentTypes_areNeverA500_andNeverEchoed() throws Exception {
        String marker = "<script>echo-me</script>";
        String signature = "X-Twilio-Signature";
        List<HttpResponse<String>> answers = new java.util.ArrayList<>();
        answers.add(post("/otp/reports/twilio", "application/x-www-form-urlencoded", "a=%zz" + marker, signature, "x"));
        answers.add(post("/otp/reports/twilio", "application/json", "{\"MessageSid\":\"" + marker + "\"}", signature,
                "x"));
        answers.add(post("/otp/reports/twilio", "text/plain", marker, signature, "x"));
        answers.add(post("/otp/reports/twilio", null, marker, signature, "x"));
        answers.add(post("/otp/reports/twilio", "not a media type", marker, signature, "x"));
        answers.add(post("/otp/reports/vonage", "application/json", "{\"messageId\":" + marker));
        answers.add(post("/otp/reports/vonage", "application/json", "[\"" + marker + "\"]"));
        answers.add(post("/otp/reports/vonage", "application/x-www-form-urlencoded", "%" + marker));
        answers.add(post("/otp/reports/vonage", "text/xml", marker));
        answers.add(post("/otp/reports/vonage", "application/json", "{\"messageId\":\"" + "9".repeat(5000) + "\","
                + "\"status\":\"delivered\",\"sig\":\"" + marker + "\",\"timestamp\":\"" + now() + "\"}"));
        for (HttpResponse<String> r : answers) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("", r.body());
        }

        String huge = "MessageSid=" + marker + "&x=" + "y".repeat(20_000);
        HttpResponse<String> declared = post("/otp/reports/twilio", "application/x-www-form-urlencoded", huge,
                signature, "x");
        assertEquals(400, declared.statusCode(), declared.body());
        assertTrue(declared.body().contains("body must be at most 16384 bytes"), declared.body());
        for (String path : List.of("/otp/reports/twilio", "/otp/reports/vonage")) {
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header(signature, "x")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                            huge.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, chunked.statusCode(), path + ": " + chunked.body());
            answers.add(chunked);
        }
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/otp/reports/twilio?MessageSid=" + URLEncoder.encode(marker, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode(), get.body());
        answers.add(get);
        answers.add(declared);
        for (HttpResponse<String> r : answers) {
            assertFalse(r.body().contains("echo-me"), r.body());
        }
    }
}
