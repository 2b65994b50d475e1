package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel against a scripted Cloud API: the exact request, the answer's id, and the settings it refuses. */
final class WhatsAppChannelTest {

    static final String PHONE = "+5511987654321";
    static final String ACCEPTED = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+5511987654321\","
            + "\"wa_id\":\"5511987654321\"}],\"messages\":[{\"id\":\"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjU=\"}]}";

    static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private WhatsAppChannel channel;

    @BeforeEach
    void answerAccepted() {
        SERVER.reset(200, ACCEPTED);
    }

    @AfterEach
    void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("whatsapp.accessToken", "EAAJBtoken");
        s.put("whatsapp.phoneNumberId", "106540352242922");
        s.put("whatsapp.template", "otp_code");
        s.put("whatsapp.baseUrl", SERVER.url());
        return s;
    }

    static WhatsAppChannel channel(Map<String, String> settings) {
        return (WhatsAppChannel) new WhatsAppChannelProvider().create(ChannelSettings.forChannel("whatsapp", settings));
    }

    static OtpMessage message(String code, Locale locale) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme", Recipient.ofPhone(PHONE), code,
                Instant.now().plusSeconds(120), Duration.ofMinutes(2), locale, code + " is your Acme code");
    }

    static DeliveryReceipt deliver(WhatsAppChannel channel, OtpMessage m) throws Exception {
        try {
            return channel.deliver(m).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void deliver_postsTheDocumentedAuthenticationTemplateRequest() throws Exception {
        channel = channel(settings());

        deliver(channel, message("123456", Locale.forLanguageTag("pt-BR")));

        ScriptedHttpServer.Request request = SERVER.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/" + WhatsAppSettings.DEFAULT_API_VERSION + "/106540352242922/messages", request.path());
        assertEquals("Bearer EAAJBtoken", request.header("Authorization"));
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("application/json", request.header("Accept"));
        assertEquals("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+5511987654321\","
                + "\"type\":\"template\",\"template\":{\"name\":\"otp_code\",\"language\":{\"code\":\"pt_BR\"},"
                + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"123456\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\","
                + "\"parameters\":[{\"type\":\"text\",\"text\":\"123456\"}]}]}}", request.body());
    }

    @Test
    void deliver_body_isJsonWithTheCodeInTheBodyAndTheCopyCodeButton() throws Exception {
        channel = channel(settings());

        deliver(channel, message("K7M2QX9P", Locale.ENGLISH));

        Object body = Json.parse(SERVER.onlyRequest().body());
        assertEquals("whatsapp", Json.at(body, "messaging_product"));
        assertEquals("individual", Json.at(body, "recipient_type"));
        assertEquals(PHONE, Json.at(body, "to"));
        assertEquals("template", Json.at(body, "type"));
        assertEquals("otp_code", Json.at(body, "template", "name"));
        assertEquals("en_US", Json.at(body, "template", "language", "code"));
        assertEquals("body", Json.at(body, "template", "components", 0, "type"));
        assertEquals(List.of(Map.of("type", "text", "text", "K7M2QX9P")),
                Json.at(body, "template", "components", 0, "parameters"));
        assertEquals("button", Json.at(body, "template", "components", 1, "type"));
        assertEquals("url", Json.at(body, "template", "components", 1, "sub_type"));
        assertEquals("0", Json.at(body, "template", "components", 1, "index"), "index is a string");
        assertEquals(List.of(Map.of("type", "text", "text", "K7M2QX9P")),
                Json.at(body, "template", "components", 1, "parameters"));
        assertEquals(2, ((List<?>) Json.at(body, "template", "components")).size());
    }

    @Test
    void deliver_settingsOfApiVersionAndBaseUrl_areThePath() throws Exception {
        Map<String, String> s = settings();
        s.put("whatsapp.apiVersion", "v21.0");
        s.put("whatsapp.baseUrl", SERVER.url() + "/graph/");
        channel = channel(s);

        deliver(channel, message("123456", Locale.ENGLISH));

        assertEquals("/graph/v21.0/106540352242922/messages", SERVER.onlyRequest().path());
    }

    @Test
    void deliver_accepted_receiptHasTheWamidAndTheLanguage() throws Exception {
        channel = channel(settings());

        DeliveryReceipt receipt = deliver(channel, message("123456", Locale.forLanguageTag("de-DE")));

        assertEquals("whatsapp", receipt.channelId());
        assertEquals("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjU=", receipt.providerMessageId());
        assertEquals(Map.of("language", "de", "gateway", "meta"), receipt.attributes());
    }

    @Test
    void deliver_acceptedWithMembersReorderedAndAdded_stillFindsTheId() throws Exception {
        SERVER.reset(200, "{ \"messages\" : [ { \"message_status\" : \"accepted\", \"id\" : \"wamid.\\u0041B\" } ],"
                + " \"contacts\": [], \"messaging_product\": \"whatsapp\", \"extra\": {\"n\": [1, 2.5e3, true, null]} }");
        channel = channel(settings());

        assertEquals("wamid.AB", deliver(channel, message("123456", Locale.ENGLISH)).providerMessageId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "not json", "{\"messages\":[]}", "{\"messages\":{\"id\":\"x\"}}",
            "{\"messages\":[{\"id\":42}]}"})
    void deliver_acceptedWithoutAReadableId_isAcceptedWithNoId(String body) throws Exception {
        SERVER.reset(200, body);
        channel = channel(settings());

        assertNull(deliver(channel, message("123456", Locale.ENGLISH)).providerMessageId());
    }

    @Test
    void deliver_recipientWithoutPhone_failsPermanentlyWithoutARequest() {
        channel = channel(settings());
        OtpMessage toEmail = new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme",
                Recipient.ofEmail("ann@example.com"), "123456", Instant.now(), Duration.ofMinutes(2), Locale.ENGLISH, "t");

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, toEmail));

        assertFalse(e.isRetryable());
        assertEquals("the recipient has no phone", e.getMessage());
        assertTrue(SERVER.requests().isEmpty());
    }

    @Test
    void canDeliverTo_aPhone_yes_anEmailOnly_no() {
        channel = channel(settings());

        assertTrue(channel.canDeliverTo(Recipient.ofPhone(PHONE)));
        assertFalse(channel.canDeliverTo(Recipient.ofEmail("ann@example.com")));
    }

    @Test
    void deliversAsynchronously_isTrue() {
        assertTrue(channel(settings()).deliversAsynchronously());
    }

    // ------------------------------------------------------------------ code length

    @Test
    void maxCodeLength_theEnginesLongestCodeFitsAnAuthenticationTemplate() {
        assertTrue(dev.otpengine.Widget.MAX_CODE_LENGTH <= WhatsAppChannel.MAX_CODE_LENGTH,
                "WhatsApp takes codes of up to 15 characters; the engine makes up to " + dev.otpengine.Widget.MAX_CODE_LENGTH);
    }

    @Test
    void deliver_codeOfTheEnginesMaximumLength_isSentWhole() throws Exception {
        channel = channel(settings());
        String longest = "23456789AB".substring(0, dev.otpengine.Widget.MAX_CODE_LENGTH);

        deliver(channel, message(longest, Locale.ENGLISH));

        assertEquals(longest, Json.at(Json.parse(SERVER.onlyRequest().body()), "template", "components", 1,
                "parameters", 0, "text"));
    }

    @Test
    void deliver_codeLongerThanWhatsAppAllows_failsPermanentlyWithoutARequest() {
        channel = channel(settings());

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> deliver(channel, message("1234567890123456", Locale.ENGLISH)));

        assertFalse(e.isRetryable());
        assertEquals("a whatsapp authentication template takes codes of at most 15 characters, this one has 16",
                e.getMessage());
        assertTrue(SERVER.requests().isEmpty());
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void checkDeliveryTimeout_shorterThanTheChannelsTimeout_isRefusedNamingBoth() {
        Map<String, String> s = settings();
        s.put("whatsapp.timeout", "15s");
        channel = channel(s);

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> channel.checkDeliveryTimeout(Duration.ofSeconds(10)));

        assertEquals("whatsapp.timeout", e.key());
        assertEquals("setting whatsapp.timeout (PT15S) does not fit the engine's deliveryTimeout for channel whatsapp "
                + "(PT10S): set whatsapp.timeout to at most PT10S, or raise the engine's deliveryTimeout to at least PT15S",
                e.getMessage());
    }

    @Test
    void checkDeliveryTimeout_default_fitsTheEnginesDefault() {
        channel(settings()).checkDeliveryTimeout(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------------ settings

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "accessToken|''|missing required setting whatsapp.accessToken for channel whatsapp",
            "accessToken|EAA token|setting whatsapp.accessToken must be a token of printable ASCII characters without spaces",
            "phoneNumberId|''|missing required setting whatsapp.phoneNumberId for channel whatsapp",
            "phoneNumberId|+15550001111|setting whatsapp.phoneNumberId must be the numeric id of the business phone "
                    + "number (WhatsApp Manager > API Setup), not the number itself",
            "template|''|missing required setting whatsapp.template for channel whatsapp",
            "template|OTP Code|setting whatsapp.template must be a template name of lowercase letters, digits and "
                    + "underscores: OTP Code",
            "apiVersion|24.0|setting whatsapp.apiVersion must be a Graph API version such as v24.0: 24.0",
            "apiVersion|v24|setting whatsapp.apiVersion must be a Graph API version such as v24.0: v24",
            "baseUrl|ftp://graph.facebook.com|setting whatsapp.baseUrl must be an http or https URL",
            "baseUrl|graph.facebook.com|setting whatsapp.baseUrl must be an http or https URL",
            "timeout|0s|setting whatsapp.timeout must be positive and at most PT1M: PT0S",
            "timeout|2m|setting whatsapp.timeout must be positive and at most PT1M: PT2M",
            "timeout|soon|setting whatsapp.timeout must be a duration such as 10s, 500ms or PT10S",
            "language.pt-BR|pt-BR|setting whatsapp.language.pt-BR must be a WhatsApp language code such as pt_BR or de: pt-BR",
            "language.pt_BR|pt_BR|setting whatsapp.language.pt_BR must end in a BCP 47 language tag such as pt-BR"})
    void create_badSetting_isRefusedNamingTheKey(String key, String value, String message) {
        Map<String, String> s = settings();
        s.put("whatsapp." + key, value);

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, () -> channel(s));

        assertEquals("whatsapp." + key, e.key());
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("EAAJBtoken"), "never the token");
    }

    @Test
    void settings_toString_hidesTheToken() {
        String shown = channel(settings()).settings().toString();

        assertFalse(shown.contains("EAAJBtoken"), shown);
        assertTrue(shown.contains("accessToken=****"), shown);
    }
}
