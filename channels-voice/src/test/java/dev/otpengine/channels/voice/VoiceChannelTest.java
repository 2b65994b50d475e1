package dev.otpengine.channels.voice;

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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel against a scripted Twilio: the exact request, the TwiML it carries, and the settings it refuses. */
final class VoiceChannelTest {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String CALL_SID = "CAfedcba9876543210fedcba9876543210";
    static final String PHONE = "+442071838750";
    static final String QUEUED = "{\"account_sid\":\"" + SID + "\",\"parent_call_sid\":null,\"sid\":\"" + CALL_SID
            + "\",\"status\":\"queued\",\"to\":\"" + PHONE + "\",\"from\":\"+15005550006\"}";

    static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private VoiceChannel channel;

    @BeforeEach
    void answerQueued() {
        SERVER.reset(201, QUEUED);
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

    static Map<String, String> settings(ScriptedHttpServer server) {
        Map<String, String> s = new HashMap<>();
        s.put("voice.twilio.accountSid", SID);
        s.put("voice.twilio.authToken", "token-xyz");
        s.put("voice.twilio.from", "+15005550006");
        s.put("voice.twilio.baseUrl", server.url());
        return s;
    }

    static VoiceChannel channel(Map<String, String> settings) {
        return (VoiceChannel) new VoiceChannelProvider().create(ChannelSettings.forChannel("voice", settings));
    }

    static OtpMessage message(String name, String code, Locale locale) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), name, Recipient.ofPhone(PHONE), code,
                Instant.now().plusSeconds(120), Duration.ofMinutes(2), locale, code + " is your code");
    }

    static DeliveryReceipt deliver(VoiceChannel channel, OtpMessage m) throws Exception {
        try {
            return channel.deliver(m).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** A form body, decoded, in order; a name given twice fails the test. */
    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            String old = fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            assertNull(old, "field given twice: " + kv[0]);
        }
        return fields;
    }

    /** The TwiML as the JDK's XML parser reads it, DTDs and external entities refused. */
    static Document twiml(String twiml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(twiml)));
    }

    /** The names of an element's child elements, in order. */
    static List<String> children(Element element) {
        List<String> names = new ArrayList<>();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                names.add(nodes.item(i).getNodeName());
            }
        }
        return names;
    }

    static List<Element> says(Document doc) {
        List<Element> says = new ArrayList<>();
        NodeList nodes = doc.getDocumentElement().getElementsByTagName("Say");
        for (int i = 0; i < nodes.getLength(); i++) {
            says.add((Element) nodes.item(i));
        }
        return says;
    }

    @Test
    void deliver_postsTheDocumentedCallsRequest() throws Exception {
        channel = channel(settings(SERVER));

        deliver(channel, message("Acme", "123456", Locale.ENGLISH));

        ScriptedHttpServer.Request request = SERVER.onlyRequest();
        assertEquals("POST", request.method());
        assertEquals("/2010-04-01/Accounts/" + SID + "/Calls.json", request.path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":token-xyz").getBytes(StandardCharsets.UTF_8)),
                request.header("Authorization"));
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", request.header("Content-Type"));
        assertEquals("application/json", request.header("Accept"));
        Map<String, String> form = form(request.body());
        assertEquals(List.of("To", "From", "Twiml"), new ArrayList<>(form.keySet()));
        assertEquals(PHONE, form.get("To"));
        assertEquals("+15005550006", form.get("From"));
        assertEquals("<Response><Pause length=\"1\"/>"
                + "<Say language=\"en-US\" voice=\"Google.en-US-Standard-C\">Your Acme verification code is: "
                + "1, 2, 3, 4, 5, 6.</Say><Pause length=\"1\"/>"
                + "<Say language=\"en-US\" voice=\"Google.en-US-Standard-C\">Again: 1, 2, 3, 4, 5, 6.</Say></Response>",
                form.get("Twiml"));
    }

    @Test
    void deliver_form_isUrlEncoded() throws Exception {
        channel = channel(settings(SERVER));

        deliver(channel, message("Acme", "123456", Locale.ENGLISH));

        String body = SERVER.onlyRequest().body();
        assertTrue(body.startsWith("To=%2B442071838750&From=%2B15005550006&Twiml=%3CResponse%3E%3CPause+length%3D%221%22"),
                body);
        assertFalse(body.contains("<") || body.contains(" ") || body.contains("\""), body);
    }

    @Test
    void deliver_withStatusCallbackUrl_asksForTheCompletedEvent() throws Exception {
        Map<String, String> s = settings(SERVER);
        s.put("voice.twilio.statusCallbackUrl", "https://app.example.com/otp/reports/twilio?x=1&y=2");
        channel = channel(s);

        deliver(channel, message("Acme", "123456", Locale.ENGLISH));

        Map<String, String> form = form(SERVER.onlyRequest().body());
        assertEquals(List.of("To", "From", "Twiml", "StatusCallback", "StatusCallbackEvent", "StatusCallbackMethod"),
                new ArrayList<>(form.keySet()));
        assertEquals("https://app.example.com/otp/reports/twilio?x=1&y=2", form.get("StatusCallback"));
        assertEquals("completed", form.get("StatusCallbackEvent"));
        assertEquals("POST", form.get("StatusCallbackMethod"));
    }

    @Test
    void deliver_accepted_receiptHasTheCallSidAndTheLanguage() throws Exception {
        channel = channel(settings(SERVER));

        DeliveryReceipt receipt = deliver(channel, message("Acme", "123456", Locale.forLanguageTag("pt-BR")));

        assertEquals("voice", receipt.channelId());
        assertEquals(CALL_SID, receipt.providerMessageId(), "the call's sid, not the account's");
        assertEquals(Map.of("language", "pt-BR", "gateway", "twilio"), receipt.attributes());
    }

    @Test
    void deliver_baseUrlWithTrailingSlash_isThePathsPrefix() throws Exception {
        Map<String, String> s = settings(SERVER);
        s.put("voice.twilio.baseUrl", SERVER.url() + "/twilio/");
        channel = channel(s);

        deliver(channel, message("Acme", "123456", Locale.ENGLISH));

        assertEquals("/twilio/2010-04-01/Accounts/" + SID + "/Calls.json", SERVER.onlyRequest().path());
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3", "5"})
    void deliver_repeat_readsTheCodeThatManyTimesWithAPauseBetween(int repeat) throws Exception {
        Map<String, String> s = settings(SERVER);
        s.put("voice.repeat", Integer.toString(repeat));
        channel = channel(s);

        deliver(channel, message("Acme", "4071", Locale.ENGLISH));

        Document doc = twiml(form(SERVER.onlyRequest().body()).get("Twiml"));
        List<String> expected = new ArrayList<>(List.of("Pause", "Say"));
        for (int i = 1; i < repeat; i++) {
            expected.addAll(List.of("Pause", "Say"));
        }
        assertEquals(expected, children(doc.getDocumentElement()));
        List<Element> says = says(doc);
        assertEquals("Your Acme verification code is: 4, 0, 7, 1.", says.get(0).getTextContent());
        for (Element again : says.subList(1, says.size())) {
            assertEquals("Again: 4, 0, 7, 1.", again.getTextContent());
        }
    }

    @Test
    void deliver_alphanumericCode_spellsEachLetterAndReadsEachDigit() throws Exception {
        channel = channel(settings(SERVER));

        deliver(channel, message("Acme", "K7M2", Locale.ENGLISH));

        Element first = says(twiml(form(SERVER.onlyRequest().body()).get("Twiml"))).get(0);
        assertEquals(List.of("say-as", "say-as"), children(first));
        NodeList spelled = first.getElementsByTagName("say-as");
        assertEquals("K", spelled.item(0).getTextContent());
        assertEquals("spell-out", ((Element) spelled.item(0)).getAttribute("interpret-as"));
        assertEquals("M", spelled.item(1).getTextContent());
        assertEquals("Your Acme verification code is: K, 7, M, 2.", first.getTextContent());
    }

    @Test
    void deliver_recipientWithoutPhone_failsPermanentlyWithoutARequest() {
        channel = channel(settings(SERVER));
        OtpMessage toEmail = new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme",
                Recipient.ofEmail("ann@example.com"), "123456", Instant.now(), Duration.ofMinutes(2), Locale.ENGLISH, "t");

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, toEmail));

        assertFalse(e.isRetryable());
        assertEquals("the recipient has no phone", e.getMessage());
        assertTrue(SERVER.requests().isEmpty());
    }

    @Test
    void canDeliverTo_mobileAndLandline_yes_emailOnly_no() {
        channel = channel(settings(SERVER));

        assertTrue(channel.canDeliverTo(Recipient.ofPhone("+447911123456")));
        assertTrue(channel.canDeliverTo(Recipient.ofPhone(PHONE)));
        assertFalse(channel.canDeliverTo(Recipient.ofEmail("ann@example.com")));
        assertTrue(channel.deliversAsynchronously());
    }

    @Test
    void checkDeliveryTimeout_shorterThanTheChannelsTimeout_isRefusedNamingBoth() {
        Map<String, String> s = settings(SERVER);
        s.put("voice.timeout", "20s");
        channel = channel(s);

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> channel.checkDeliveryTimeout(Duration.ofSeconds(10)));

        assertEquals("voice.timeout", e.key());
        assertEquals("setting voice.timeout (PT20S) does not fit the engine's deliveryTimeout for channel voice (PT10S): "
                + "set voice.timeout to at most PT10S, or raise the engine's deliveryTimeout to at least PT20S",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "twilio.accountSid|''|missing required setting voice.twilio.accountSid for channel voice",
            "twilio.accountSid|AC123|setting voice.twilio.accountSid must be AC followed by 32 hex digits",
            "twilio.authToken|''|missing required setting voice.twilio.authToken for channel voice",
            "twilio.from|''|missing required setting voice.twilio.from for channel voice",
            "twilio.from|Acme|setting voice.twilio.from must be a phone number in E.164 format, such as +12025550162",
            "twilio.baseUrl|api.twilio.com|setting voice.twilio.baseUrl must be an http or https URL",
            "twilio.statusCallbackUrl|/reports/twilio|setting voice.twilio.statusCallbackUrl must be an http or https URL",
            "repeat|0|setting voice.repeat must be from 1 to 5: 0",
            "repeat|6|setting voice.repeat must be from 1 to 5: 6",
            "repeat|twice|setting voice.repeat must be an integer",
            "timeout|0s|setting voice.timeout must be positive and at most PT1M: PT0S",
            "timeout|5m|setting voice.timeout must be positive and at most PT1M: PT5M",
            "language.fa|fa IR|setting voice.language.fa must be a Twilio language such as en-US: fa IR",
            "language.fa_IR|fa-IR|setting voice.language.fa_IR must end in a BCP 47 language tag such as pt-BR",
            "ttsVoice.de-DE|Polly.\"Hans\"|setting voice.ttsVoice.de-DE must be a Twilio voice such as Polly.Joanna: "
                    + "Polly.\"Hans\"",
            "ttsVoice.sv|Polly.Astrid|setting voice.ttsVoice.sv needs voice.language.sv: there is no built-in language "
                    + "for sv"})
    void create_badSetting_isRefusedNamingTheKey(String key, String value, String message) {
        Map<String, String> s = settings(SERVER);
        s.put("voice." + key, value);

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, () -> channel(s));

        assertEquals("voice." + key, e.key());
        assertEquals(message, e.getMessage());
    }

    @Test
    void settings_defaults_andToStringHidesTheToken() {
        VoiceSettings s = channel(settings(SERVER)).settings();

        assertEquals(2, s.repeat());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertNull(s.statusCallbackUrl());
        assertFalse(s.toString().contains("token-xyz"), s.toString());
        assertTrue(s.toString().contains("authToken=****"), s.toString());
    }

    @Test
    void settings_defaultBaseUrl_isTwilios() {
        Map<String, String> s = settings(SERVER);
        s.remove("voice.twilio.baseUrl");

        assertEquals("https://api.twilio.com/2010-04-01/Accounts/" + SID + "/Calls.json",
                channel(s).settings().callsUri().toString());
    }
}
