package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.store.SentMessage;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The webhooks' settings and answers that the shared HTTP application does not cover, each with its own settings,
 * called in process: Vonage without a signature secret, every signature method named in the settings, the
 * endpoints that are off, the store down, and the URL rebuilt with a context path.
 */
final class DeliveryReportControllerTest {

    private static final UUID WIDGET = UUID.fromString("0b1c2d3e-4f50-4617-8899-aabbccddeeff");

    private final CapturingChannel sms = CapturingChannel.sms();
    private final List<OtpEvent.DeliveryReported> heard = new CopyOnWriteArrayList<>();
    private final OtpEngine engine = OtpEngine.builder().channel(sms).widget(Widget.builder(WIDGET).name("Acme").build())
            .listener(new OtpListener() {
                @Override
                public void onDeliveryReported(OtpEvent.DeliveryReported event) {
                    heard.add(event);
                }
            }).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private static ReportWebhooks webhooks(Map<String, String> channels, String publicUrl, String contextPath) {
        OtpEngineProperties properties = new OtpEngineProperties();
        properties.setChannels(channels);
        properties.getWeb().setPublicUrl(publicUrl);
        return ReportWebhooks.from(properties, contextPath, Clock.systemUTC());
    }

    private String sentMessage() {
        return engine.send(SendRequest.builder(WIDGET).phone("+12025550140").build()).deliveries().get(0)
                .providerMessageId();
    }

    private static MockHttpServletRequest request(String method, String contentType, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/otp/reports/vonage");
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (body != null) {
            request.setContent(body.getBytes(StandardCharsets.UTF_8));
        }
        return request;
    }

    @Test
    void vonage_withoutASignatureSecret_butAskedTo_takesUnsignedReceipts_asAFormJsonOrQuery() {
        DeliveryReportController controller = new DeliveryReportController(engine,
                webhooks(Map.of("sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "accept"), null, ""));
        String first = sentMessage();
        assertEquals(204, controller.vonage(request("POST", "application/x-www-form-urlencoded",
                "messageId=" + first + "&status=delivered&err-code=0")).getStatusCode().value());
        sms.clear();
        String second = engine.send(SendRequest.builder(WIDGET).phone("+12025550141").build()).deliveries().get(0)
                .providerMessageId();
        assertEquals(204, controller.vonage(request("POST", "application/json; charset=UTF-8",
                "{\"messageId\":\"" + second + "\",\"status\":\"expired\",\"err-code\":\"5\"}")).getStatusCode().value());
        String third = engine.send(SendRequest.builder(WIDGET).phone("+12025550142").build()).deliveries().get(0)
                .providerMessageId();
        MockHttpServletRequest get = request("GET", null, null);
        get.setQueryString("messageId=" + third + "&status=failed&err-code=1");
        assertEquals(204, controller.vonage(get).getStatusCode().value());

        assertEquals(List.of(new DeliveryReport("sms", first, DeliveryReport.Status.DELIVERED, null, "vonage"),
                new DeliveryReport("sms", second, DeliveryReport.Status.FAILED, "5", "vonage"),
                new DeliveryReport("sms", third, DeliveryReport.Status.FAILED, "1", "vonage")),
                heard.stream().map(OtpEvent.DeliveryReported::report).toList());
    }

    @Test
    void vonage_withoutASignatureSecret_refusesUnsignedReceipts_unlessAskedTo() {
        String sent = sentMessage();
        for (Map<String, String> settings : List.of(Map.of("sms.vonage.apiKey", "key"),
                Map.of("sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "refuse"))) {
            DeliveryReportController controller = new DeliveryReportController(engine, webhooks(settings, null, ""));
            assertEquals(404, controller.vonage(request("POST", "application/x-www-form-urlencoded",
                    "messageId=" + sent + "&status=failed&err-code=1")).getStatusCode().value(), settings.toString());
        }
        assertEquals(List.of(), heard);
        OtpEnginePropertyException bad = assertThrows(OtpEnginePropertyException.class, () -> webhooks(Map.of(
                "sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "yes"), null, ""));
        assertEquals("otpengine.channels[sms.vonage.unsignedReceipts]: must be accept or refuse: yes", bad.getMessage());
    }

    @Test
    void vonage_withoutASignatureSecret_anUnreadableReceipt_is400_notA403() {
        DeliveryReportController controller = new DeliveryReportController(engine,
                webhooks(Map.of("sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "accept"), null, ""));
        assertEquals(400, controller.vonage(request("POST", "application/json", "{")).getStatusCode().value());
        assertEquals(400, controller.vonage(request("POST", "text/plain", "x")).getStatusCode().value());
        assertNull(controller.vonage(request("POST", "text/plain", "x")).getBody());
    }

    private static String vonageSig(String method, String secret, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> data.append('&').append(k).append('=').append(v));
        if (method.equals("md5hash")) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest((data + secret).getBytes(StandardCharsets.UTF_8)));
        }
        String algorithm = Map.of("md5", "HmacMD5", "sha1", "HmacSHA1", "sha256", "HmacSHA256", "sha512", "HmacSHA512")
                .get(method);
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return HexFormat.of().formatHex(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5hash", "md5", "sha1", "sha256", "sha512"})
    void vonage_eachSignatureMethodInTheSettings_takesItsOwnSignatures_andRefusesTheOthers(String method)
            throws Exception {
        DeliveryReportController controller = new DeliveryReportController(engine, webhooks(Map.of(
                "sms.vonage.signatureSecret", "s3cret", "sms.vonage.signatureMethod", method), null, ""));
        String id = sentMessage();
        Map<String, String> p = new java.util.LinkedHashMap<>(Map.of("messageId", id, "status", "delivered",
                "timestamp", Long.toString(Instant.now().getEpochSecond())));
        String other = method.equals("sha1") ? "sha256" : "sha1";
        String forged = "messageId=" + id + "&status=delivered&timestamp=" + p.get("timestamp") + "&sig="
                + vonageSig(other, "s3cret", p);
        assertEquals(403, controller.vonage(request("POST", "application/x-www-form-urlencoded", forged))
                .getStatusCode().value());
        assertEquals(List.of(), heard);

        String genuine = "messageId=" + id + "&status=delivered&timestamp=" + p.get("timestamp") + "&sig="
                + vonageSig(method, "s3cret", p);
        assertEquals(204, controller.vonage(request("POST", "application/x-www-form-urlencoded", genuine))
                .getStatusCode().value());
        assertEquals(1, heard.size());
    }

    @Test
    void endpoints_ofVendorsNotConfigured_are404() {
        DeliveryReportController none = new DeliveryReportController(engine, webhooks(Map.of(), null, ""));
        MockHttpServletRequest twilio = new MockHttpServletRequest("POST", "/otp/reports/twilio");
        twilio.addHeader("X-Twilio-Signature", "x");
        assertEquals(404, none.twilio(twilio).getStatusCode().value());
        assertEquals(404, none.vonage(request("POST", "application/x-www-form-urlencoded", "messageId=1"))
                .getStatusCode().value());
        DeliveryReportController tokenWithoutUrl = new DeliveryReportController(engine,
                webhooks(Map.of("sms.twilio.authToken", "t"), null, ""));
        assertEquals(404, tokenWithoutUrl.twilio(twilio).getStatusCode().value(), "no URL to check the signature over");
        DeliveryReportController urlWithoutToken = new DeliveryReportController(engine,
                webhooks(Map.of("sms.twilio.statusCallbackUrl", "https://example.com/otp/reports/twilio"), null, ""));
        assertEquals(404, urlWithoutToken.twilio(twilio).getStatusCode().value(), "unsigned callbacks are never taken");

        MockHttpServletRequest whatsApp = request("POST", "application/json", "{}");
        whatsApp.addHeader("X-Hub-Signature-256", "sha256=" + "0".repeat(64));
        MockHttpServletRequest verification = request("GET", null, null);
        verification.setQueryString("hub.mode=subscribe&hub.verify_token=t&hub.challenge=1");
        assertEquals(404, none.whatsApp(whatsApp).getStatusCode().value());
        assertEquals(404, none.whatsAppVerification(verification).getStatusCode().value());
        DeliveryReportController tokenWithoutSecret = new DeliveryReportController(engine, webhooks(Map.of(
                "whatsapp.verifyToken", "t", "whatsapp.accessToken", "EAAJB"), null, ""));
        assertEquals(404, tokenWithoutSecret.whatsApp(whatsApp).getStatusCode().value(), "never taken unsigned");
        assertEquals(404, tokenWithoutSecret.whatsAppVerification(verification).getStatusCode().value());
        DeliveryReportController secretWithoutToken = new DeliveryReportController(engine,
                webhooks(Map.of("whatsapp.appSecret", "s"), null, ""));
        assertEquals(404, secretWithoutToken.whatsAppVerification(verification).getStatusCode().value(),
                "no verify token to check the handshake against");
        assertEquals(403, secretWithoutToken.whatsApp(whatsApp).getStatusCode().value());
    }

    @Test
    void twilio_withOnlyTheVoiceChannelsAccount_takesCallbacksSignedWithItsToken_overItsUrl() throws Exception {
        CapturingChannel voice = CapturingChannel.reaching("voice", r -> r.phone().isPresent());
        try (OtpEngine calling = OtpEngine.builder().channel(voice).widget(Widget.builder(WIDGET).name("Acme").build())
                .listener(new OtpListener() {
                    @Override
                    public void onDeliveryReported(OtpEvent.DeliveryReported event) {
                        heard.add(event);
                    }
                }).build()) {
            String sid = calling.send(SendRequest.builder(WIDGET).phone("+12025550143").build()).deliveries().get(0)
                    .providerMessageId();
            DeliveryReportController controller = new DeliveryReportController(calling, webhooks(Map.of(
                    "voice.twilio.authToken", "voice-token", "voice.twilio.statusCallbackUrl",
                    "https://example.com/otp/reports/twilio"), null, ""));
            String body = "CallSid=" + sid + "&CallStatus=canceled";
            String signature = new TwilioSignature("voice-token").sign("https://example.com/otp/reports/twilio",
                    FormFields.parse(body).sorted());
            MockHttpServletRequest callback = request("POST", "application/x-www-form-urlencoded", body);
            callback.addHeader("X-Twilio-Signature", signature);

            assertEquals(204, controller.twilio(callback).getStatusCode().value());
            assertEquals(List.of(new DeliveryReport("voice", sid, DeliveryReport.Status.FAILED, "canceled", "twilio")),
                    heard.stream().map(OtpEvent.DeliveryReported::report).toList());
        }
    }

    @Test
    void whatsAppVerification_aQueryThatIsNotPercentEncoded_is403_withNoBody() {
        DeliveryReportController controller = new DeliveryReportController(engine, webhooks(Map.of(
                "whatsapp.appSecret", "s", "whatsapp.verifyToken", "t"), null, ""));
        MockHttpServletRequest good = request("GET", null, null);
        good.setQueryString("hub.mode=subscribe&hub.verify_token=t&hub.challenge=1158201444");
        assertEquals("1158201444", controller.whatsAppVerification(good).getBody());
        for (String query : new String[] {"hub.mode=subscribe&hub.verify_token=t&hub.challenge=%zz",
                "hub.mode=subscribe&hub.verify_token=%e2%82&hub.challenge=1", null}) {
            MockHttpServletRequest bad = request("GET", null, null);
            bad.setQueryString(query);
            assertEquals(403, controller.whatsAppVerification(bad).getStatusCode().value(), query);
            assertNull(controller.whatsAppVerification(bad).getBody(), query);
        }
    }

    @Test
    void whatsApp_aStoreThatCannotBeReached_is503_soMetaRetriesTheWebhook() {
        dev.otpengine.store.OtpStore down = new ForwardingStore(new dev.otpengine.internal.store.InProcessStore(
                Clock.systemUTC(), 100, 100)) {
            @Override
            public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
                throw new NoConnectionException("redis", new IllegalStateException("down"));
            }
        };
        try (OtpEngine storeDown = OtpEngine.builder().channel(CapturingChannel.sms()).store(down)
                .widget(Widget.builder(WIDGET).name("Acme").build()).build()) {
            DeliveryReportController controller = new DeliveryReportController(storeDown,
                    webhooks(Map.of("whatsapp.appSecret", "s"), null, ""));
            String body = "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.1\","
                    + "\"status\":\"read\"}]}}]}]}";
            MockHttpServletRequest webhook = request("POST", "application/json", body);
            webhook.addHeader("X-Hub-Signature-256", new WhatsAppSignature("s").sign(body.getBytes(
                    StandardCharsets.UTF_8)));
            assertEquals(503, controller.whatsApp(webhook).getStatusCode().value());
        }
    }

    @Test
    void aStoreThatCannotBeReached_is503_soTheVendorRetries_andAClosedEngineToo() {
        dev.otpengine.store.OtpStore down = new ForwardingStore(new dev.otpengine.internal.store.InProcessStore(
                Clock.systemUTC(), 100, 100)) {
            @Override
            public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
                throw new NoConnectionException("redis", new IllegalStateException("down"));
            }
        };
        try (OtpEngine storeDown = OtpEngine.builder().channel(CapturingChannel.sms()).store(down)
                .widget(Widget.builder(WIDGET).name("Acme").build()).build()) {
            DeliveryReportController controller = new DeliveryReportController(storeDown,
                    webhooks(Map.of("sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "accept"), null, ""));
            assertEquals(503, controller.vonage(request("POST", "application/x-www-form-urlencoded",
                    "messageId=0A01&status=delivered")).getStatusCode().value());
        }
        DeliveryReportController controller = new DeliveryReportController(engine,
                webhooks(Map.of("sms.vonage.apiKey", "key", "sms.vonage.unsignedReceipts", "accept"), null, ""));
        engine.close();
        assertEquals(503, controller.vonage(request("POST", "application/x-www-form-urlencoded",
                "messageId=0A01&status=delivered")).getStatusCode().value());
    }

    @Test
    void theTwilioUrls_areBothChannelsCallbackUrls_once_thenThePublicUrl() {
        ReportWebhooks webhooks = webhooks(Map.of("sms.twilio.authToken", "t", "voice.twilio.authToken", "t",
                "sms.twilio.statusCallbackUrl", "https://hooks.example.com/sms", "voice.twilio.statusCallbackUrl",
                " https://hooks.example.com/voice "), "https://example.com", "");
        assertEquals(List.of("https://hooks.example.com/sms", "https://hooks.example.com/voice",
                "https://example.com/otp/reports/twilio"), webhooks.twilioUrls(null));
        assertEquals(List.of("https://hooks.example.com/cb"), webhooks(Map.of("voice.twilio.authToken", "v",
                "sms.twilio.statusCallbackUrl", "https://hooks.example.com/cb", "voice.twilio.statusCallbackUrl",
                "https://hooks.example.com/cb"), null, "").twilioUrls("a=1"));
        assertEquals("ReportWebhooks[twilio=true, twilioTokens=1, vonage=false, vonageSigned=false, whatsapp=false]",
                webhooks.toString(), "one account for both channels is one token");
    }

    @Test
    void theTwilioUrl_isThePublicUrl_theContextPath_thePath_andTheQuery_orTheCallbackUrl() {
        ReportWebhooks webhooks = webhooks(Map.of("sms.twilio.authToken", "t", "sms.twilio.statusCallbackUrl",
                "https://hooks.example.com/cb?a=1"), "https://example.com/", "/app/");
        assertEquals(List.of("https://hooks.example.com/cb?a=1", "https://example.com/app/otp/reports/twilio?x=%20"),
                webhooks.twilioUrls("x=%20"));
        assertEquals(List.of("https://example.com/otp/reports/twilio"),
                webhooks(Map.of("sms.twilio.authToken", "t"), "https://example.com", "").twilioUrls(null));
    }

    @Test
    void aMalformedPublicUrl_orSignatureMethod_failsStartUp_namingTheProperty() {
        for (String bad : new String[] {"example.com", "ftp://example.com", "https://example.com/?a=1", "https://"}) {
            assertEquals("otpengine.web.public-url: must be the absolute http(s) URL vendors call, without a query, "
                    + "such as https://example.com: " + bad, assertThrows(OtpEnginePropertyException.class,
                    () -> webhooks(Map.of(), bad, "")).getMessage(), bad);
        }
        assertEquals("otpengine.channels[sms.vonage.signatureMethod]: signature method must be one of md5hash, md5, "
                + "sha1, sha256, sha512: sha3", assertThrows(OtpEnginePropertyException.class,
                () -> webhooks(Map.of("sms.vonage.signatureSecret", "s", "sms.vonage.signatureMethod", "sha3"), null,
                        "")).getMessage());
    }
}
