package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.deliver;
import static dev.otpengine.channels.sms.ScriptedVendors.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The vonage gateway against a scripted SMS API: the request exactly as Vonage documents it, and its answers. */
final class VonageGatewayTest {

    private static final RecordingHttpServer server = new RecordingHttpServer();

    private SmsChannel channel;

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    private SmsChannel channel(Map<String, String> settings) {
        channel = ScriptedVendors.channel(settings, Clock.systemUTC());
        return channel;
    }

    @Test
    void vonage_sendsTheDocumentedForm_andReadsTheMessageId() throws Exception {
        server.answering(VONAGE, 200, VONAGE_OK);
        OtpMessage m = HttpGatewaysTest.message("123456 is your Acme code & more");

        DeliveryReceipt receipt = deliver(channel(settings(server, "vonage")), m);

        assertEquals(1, server.requests().size());
        RecordingHttpServer.Request r = server.requests().get(0);
        assertEquals("POST", r.method());
        assertEquals("/sms/json", r.path());
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", r.contentType());
        assertEquals(null, r.authorization());
        assertEquals("api_key=key-123&api_secret=secret-456&from=Acme&to=79991234567"
                + "&text=123456+is+your+Acme+code+%26+more&client-ref=" + m.requestId(), r.body());
        assertEquals("0A0000000123ABCD1", receipt.providerMessageId());
        assertEquals(Map.of("segments", "1", "encoding", "GSM7", "country", "RU", "gateway", "vonage"),
                receipt.attributes());
    }

    @Test
    void vonage_cyrillicText_isSentAsUnicode() throws Exception {
        server.answering(VONAGE, 200, VONAGE_OK);
        OtpMessage m = HttpGatewaysTest.message("Ваш код Acme: 123456");

        DeliveryReceipt receipt = deliver(channel(settings(server, "vonage")), m);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("api_key", "key-123");
        expected.put("api_secret", "secret-456");
        expected.put("from", "Acme");
        expected.put("to", "79991234567");
        expected.put("text", "Ваш код Acme: 123456");
        expected.put("type", "unicode");
        expected.put("client-ref", m.requestId().toString());
        assertEquals(expected, server.requests().get(0).form());
        assertEquals("UCS2", receipt.attributes().get("encoding"));
    }

    @Test
    void vonage_gsm7TextWithExtensionCharacters_isNotUnicode() throws Exception {
        server.answering(VONAGE, 200, VONAGE_OK);

        deliver(channel(settings(server, "vonage")), HttpGatewaysTest.message("Code [123456] costs 0 €"));

        assertEquals(null, server.requests().get(0).form().get("type"));
    }

    @Test
    void vonage_callbackUrl_isSentAsCallback_andANumericSenderGoesWithoutPlus() throws Exception {
        server.answering(VONAGE, 200, VONAGE_OK);
        Map<String, String> s = settings(server, "vonage");
        s.put("sms.vonage.callbackUrl", "https://login.example.com/otp/reports/vonage");
        s.put("sms.vonage.from", "+15005550006");

        deliver(channel(s), HttpGatewaysTest.message("123456"));

        Map<String, String> form = server.requests().get(0).form();
        assertEquals("https://login.example.com/otp/reports/vonage", form.get("callback"));
        assertEquals("15005550006", form.get("from"));
    }

    @Test
    void vonage_multipartAnswerWithOneRefusedPart_isRefused() {
        server.answering(VONAGE, 200, "{\"message-count\": \"2\", \"messages\": [{\"message-id\": \"0A1\", "
                + "\"status\": \"0\"}, {\"status\": \"9\", \"error-text\": \"Quota Exceeded - rejected\"}]}");
        channel(settings(server, "vonage"));

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> deliver(channel, HttpGatewaysTest.message("123456")));

        assertEquals(true, e.isRetryable());
        assertEquals("vonage answered status 9 (partner quota violation)", e.getMessage());
    }

    @Test
    void vonage_httpErrorOrAnswerWithoutStatus_isTheGatewaysFault() {
        channel(settings(server, "vonage"));
        server.answering(VONAGE, 401, "{\"type\": \"https://developer.vonage.com/api-errors#unauthorized\"}");
        DeliveryException unauthorized = assertThrows(DeliveryException.class,
                () -> deliver(channel, HttpGatewaysTest.message("123456")));
        assertEquals(true, unauthorized.isRetryable());
        assertEquals("vonage answered HTTP 401", unauthorized.getMessage());

        server.answering(VONAGE, 200, "<html>maintenance</html>");
        DeliveryException garbled = assertThrows(DeliveryException.class,
                () -> deliver(channel, HttpGatewaysTest.message("123456")));
        assertEquals(true, garbled.isRetryable());
        assertEquals("vonage answered without a status", garbled.getMessage());
    }

    @Test
    void vonage_defaultBaseUrl_isRestNexmoCom() {
        Map<String, String> s = settings(server, "vonage");
        s.remove("sms.vonage.baseUrl");

        VonageSettings read = VonageSettings.from(ChannelSettings.forChannel("sms", s));

        assertEquals(URI.create("https://rest.nexmo.com/sms/json"), read.smsUri());
        assertEquals("VonageSettings[apiKey=key-123, apiSecret=****, from=Acme, smsUri=https://rest.nexmo.com/sms/json,"
                + " callbackUrl=null]", read.toString());
    }

    @Test
    void vonage_badSettings_areRefusedNamingTheKey() {
        Map<String, String> noKey = settings(server, "vonage");
        noKey.remove("sms.vonage.apiKey");
        assertEquals("missing required setting sms.vonage.apiKey for channel sms", refused(noKey).getMessage());
        Map<String, String> noSecret = settings(server, "twilio,vonage");
        noSecret.remove("sms.vonage.apiSecret");
        assertEquals("missing required setting sms.vonage.apiSecret for channel sms", refused(noSecret).getMessage());
        Map<String, String> noFrom = settings(server, "vonage");
        noFrom.remove("sms.vonage.from");
        assertEquals("missing required setting sms.vonage.from for channel sms", refused(noFrom).getMessage());
        Map<String, String> base = settings(server, "vonage");
        base.put("sms.vonage.baseUrl", "rest.nexmo.com");
        assertEquals("setting sms.vonage.baseUrl must be an http or https URL", refused(base).getMessage());
        Map<String, String> callback = settings(server, "vonage");
        callback.put("sms.vonage.callbackUrl", "ftp://example.com/dlr");
        ChannelConfigurationException e = refused(callback);
        assertEquals("sms.vonage.callbackUrl", e.key());
        assertEquals("setting sms.vonage.callbackUrl must be an http or https URL", e.getMessage());
    }

    private static ChannelConfigurationException refused(Map<String, String> settings) {
        return assertThrows(ChannelConfigurationException.class, () -> ScriptedVendors.channel(settings, Clock.systemUTC()));
    }
}
