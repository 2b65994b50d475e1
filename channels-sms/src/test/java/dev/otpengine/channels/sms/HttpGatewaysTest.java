package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The twilio and http gateways against a real HTTP server: the exact request, and what each answer means. */
final class HttpGatewaysTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String PHONE = "+79991234567";

    private final RecordingHttpServer server = new RecordingHttpServer();
    private SmsChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.close();
        }
        server.close();
    }

    static OtpMessage message(String text) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme", Recipient.ofPhone(PHONE), "123456",
                Instant.now().plusSeconds(120), Duration.ofMinutes(2), Locale.ENGLISH, text);
    }

    private SmsChannel channel(Map<String, String> settings) {
        channel = (SmsChannel) new SmsChannelProvider().create(ChannelSettings.forChannel("sms", settings));
        return channel;
    }

    private Map<String, String> twilio() {
        Map<String, String> s = new HashMap<>();
        s.put("sms.gateway", "twilio");
        s.put("sms.twilio.accountSid", SID);
        s.put("sms.twilio.authToken", "token-xyz");
        s.put("sms.twilio.from", "+15005550006");
        s.put("sms.twilio.baseUrl", server.url());
        return s;
    }

    private static DeliveryReceipt deliver(SmsChannel channel, OtpMessage m) throws Exception {
        try {
            return channel.deliver(m).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return fields;
    }

    @Test
    void twilio_sendsTheMessagesApiRequest_andReadsTheSid() throws Exception {
        server.answering(201, "{\"sid\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"queued\"}");

        DeliveryReceipt receipt = deliver(channel(twilio()), message("123456 is your Acme code & more"));

        RecordingHttpServer.Request r = server.requests().get(0);
        assertEquals("POST", r.method());
        assertEquals("/2010-04-01/Accounts/" + SID + "/Messages.json", r.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":token-xyz").getBytes(StandardCharsets.UTF_8)),
                r.authorization());
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", r.contentType());
        assertEquals(Map.of("To", PHONE, "From", "+15005550006", "Body", "123456 is your Acme code & more"), form(r.body()));
        assertEquals("SM0123456789abcdef0123456789abcdef", receipt.providerMessageId());
        assertEquals(Map.of("segments", "1", "encoding", "GSM7", "country", "RU", "gateway", "twilio"), receipt.attributes());
    }

    @Test
    void twilio_messagingServiceSid_isSentInsteadOfFrom() throws Exception {
        Map<String, String> s = twilio();
        s.remove("sms.twilio.from");
        s.put("sms.twilio.messagingServiceSid", "MG0123");
        server.answering(201, "{\"sid\":\"SM1\"}");

        deliver(channel(s), message("123456"));

        assertEquals(Map.of("To", PHONE, "MessagingServiceSid", "MG0123", "Body", "123456"),
                form(server.requests().get(0).body()));
    }

    @Test
    void twilio_statusCallbackUrl_isSentAsStatusCallback() throws Exception {
        Map<String, String> s = twilio();
        s.put("sms.twilio.statusCallbackUrl", "https://login.example.com/otp/reports/twilio");
        server.answering(201, "{\"sid\":\"SM1\"}");

        deliver(channel(s), message("123456"));

        assertEquals(Map.of("To", PHONE, "From", "+15005550006", "Body", "123456",
                "StatusCallback", "https://login.example.com/otp/reports/twilio"), form(server.requests().get(0).body()));
    }

    /** 429 and 5xx are the gateway's whatever the body says; a 4xx code decides; the vendor's message is never quoted. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "429 | true  | twilio answered HTTP 429 with error 21211 (invalid 'To' number)",
            "500 | true  | twilio answered HTTP 500 with error 21211 (invalid 'To' number)",
            "503 | true  | twilio answered HTTP 503 with error 21211 (invalid 'To' number)",
            "400 | false | twilio answered HTTP 400 with error 21211 (invalid 'To' number)",
            "401 | false | twilio answered HTTP 401 with error 21211 (invalid 'To' number)",
            "404 | false | twilio answered HTTP 404 with error 21211 (invalid 'To' number)"})
    void twilio_errorStatus_isRetryableOnlyFor429And5xx(int status, boolean retryable, String message) {
        server.answering(status, "{\"code\": 21211, \"message\": \"The 'To' number +79991234567 is not valid.\"}");
        channel(twilio());

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message("123456")));

        assertEquals(retryable, e.isRetryable());
        assertEquals(message, e.getMessage());
    }

    @Test
    void twilio_serverThatHangs_failsRetryablyWithinTheTimeout() {
        server.hanging();
        Map<String, String> s = twilio();
        s.put("sms.timeout", "300ms");
        channel(s);

        DeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DeliveryException.class, () -> deliver(channel, message("123456"))));

        assertEquals("twilio did not answer in time", e.getMessage());
        assertEquals(true, e.isRetryable());
    }

    @Test
    void twilio_serverDown_isRetryable() {
        Map<String, String> s = twilio();
        s.put("sms.twilio.baseUrl", "http://127.0.0.1:1");
        channel(s);

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message("123456")));

        assertEquals(true, e.isRetryable());
        assertEquals("could not reach twilio: ConnectException", e.getMessage());
    }

    @Test
    void http_jsonBodyTemplate_getsEscapedValues_headersAndMethod() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sms.gateway", "http");
        s.put("sms.http.url", server.url() + "/v1/sms");
        s.put("sms.http.method", "PUT");
        s.put("sms.http.body", "{\"to\":\"{to}\",\"text\":\"{text}\",\"sender\":\"Acme\"}");
        s.put("sms.http.header.X-Api-Key", "key-123");
        s.put("sms.http.successStatus", "202");
        server.answering(202, "");

        DeliveryReceipt receipt = deliver(channel(s), message("say \"123456\"\\\nnow"));

        RecordingHttpServer.Request r = server.requests().get(0);
        assertEquals("PUT", r.method());
        assertEquals("/v1/sms", r.path());
        assertEquals("key-123", r.apiKey());
        assertEquals("application/json", r.contentType());
        assertEquals("{\"to\":\"+79991234567\",\"text\":\"say \\\"123456\\\"\\\\\\nnow\",\"sender\":\"Acme\"}", r.body());
        assertEquals(null, receipt.providerMessageId());
    }

    @Test
    void http_formBodyTemplate_isUrlEncoded_andAStatusOutsideTheRangeFails() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("sms.gateway", "http");
        s.put("sms.http.url", server.url() + "/send");
        s.put("sms.http.contentType", "application/x-www-form-urlencoded");
        s.put("sms.http.body", "phone={to}&message={text}");
        server.answering(200, "ok");

        deliver(channel(s), message("код 123456 & co"));

        assertEquals(Map.of("phone", PHONE, "message", "код 123456 & co"), form(server.requests().get(0).body()));
        server.answering(302, "");
        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message("123456")));
        assertEquals("the sms gateway answered HTTP 302", e.getMessage());
        assertEquals(false, e.isRetryable());
    }

    @Test
    void badSettings_areRefusedNamingTheKey() {
        Map<String, String> s = twilio();
        s.put("sms.twilio.accountSid", "nope");
        assertEquals("setting sms.twilio.accountSid must be AC followed by 32 hex digits",
                assertThrows(ChannelConfigurationException.class, () -> channel(s)).getMessage());
        Map<String, String> noSender = twilio();
        noSender.remove("sms.twilio.from");
        assertEquals("sms.twilio.from", assertThrows(ChannelConfigurationException.class, () -> channel(noSender)).key());
        Map<String, String> noToken = twilio();
        noToken.remove("sms.twilio.authToken");
        assertEquals("missing required setting sms.twilio.authToken for channel sms",
                assertThrows(ChannelConfigurationException.class, () -> channel(noToken)).getMessage());
        Map<String, String> http = Map.of("sms.gateway", "http", "sms.http.url", "ftp://x", "sms.http.body", "{to}{text}");
        assertEquals("setting sms.http.url must be an http or https URL",
                assertThrows(ChannelConfigurationException.class, () -> channel(http)).getMessage());
        Map<String, String> noText = Map.of("sms.gateway", "http", "sms.http.url", "http://x", "sms.http.body", "{to}");
        assertEquals("setting sms.http.body must hold both {to} and {text}",
                assertThrows(ChannelConfigurationException.class, () -> channel(noText)).getMessage());
        Map<String, String> range = Map.of("sms.gateway", "http", "sms.http.url", "http://x", "sms.http.body", "{to}{text}",
                "sms.http.successStatus", "2xx");
        assertEquals("setting sms.http.successStatus must be a status or a range such as 200-299: 2xx",
                assertThrows(ChannelConfigurationException.class, () -> channel(range)).getMessage());
    }
}
