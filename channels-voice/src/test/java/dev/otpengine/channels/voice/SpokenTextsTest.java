package dev.otpengine.channels.voice;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.OtpEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the call says in each locale, and that no widget name can break or add to the TwiML. */
final class SpokenTextsTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private VoiceChannel channel;

    /** Each shipped locale: its Say language and voice, then the first and the repeated sentence for Acme, 123456. */
    static Stream<Arguments> shipped() {
        return Stream.of(
                row("en", "en-US", "Google.en-US-Standard-C", "Your Acme verification code is: 1, 2, 3, 4, 5, 6.",
                        "Again: 1, 2, 3, 4, 5, 6."),
                row("es", "es-ES", "Google.es-ES-Standard-A", "Tu código de verificación de Acme es: 1, 2, 3, 4, 5, 6.",
                        "Repito: 1, 2, 3, 4, 5, 6."),
                row("pt-BR", "pt-BR", "Google.pt-BR-Standard-A", "Seu código de verificação Acme é: 1, 2, 3, 4, 5, 6.",
                        "Repetindo: 1, 2, 3, 4, 5, 6."),
                row("fr", "fr-FR", "Google.fr-FR-Standard-A", "Votre code de vérification Acme est : 1, 2, 3, 4, 5, 6.",
                        "Je répète : 1, 2, 3, 4, 5, 6."),
                row("it", "it-IT", "Google.it-IT-Standard-A", "Il tuo codice di verifica Acme è: 1, 2, 3, 4, 5, 6.",
                        "Ripeto: 1, 2, 3, 4, 5, 6."),
                row("de-DE", "de-DE", "Google.de-DE-Standard-A", "Ihr Bestätigungscode für Acme lautet: 1, 2, 3, 4, 5, 6.",
                        "Noch einmal: 1, 2, 3, 4, 5, 6."),
                row("zh-Hans", "cmn-CN", "Google.cmn-CN-Standard-A", "您的Acme验证码是：1、2、3、4、5、6。",
                        "再说一遍：1、2、3、4、5、6。"),
                row("zh-Hant", "cmn-TW", "Google.cmn-TW-Standard-A", "您的Acme驗證碼是：1、2、3、4、5、6。",
                        "再說一遍：1、2、3、4、5、6。"),
                row("ca-ES", "ca-ES", "Google.ca-ES-Standard-A", "El codi de verificació per a Acme és: 1, 2, 3, 4, 5, 6.",
                        "Repeteixo: 1, 2, 3, 4, 5, 6."),
                row("ja", "ja-JP", "Google.ja-JP-Standard-A", "Acmeの認証コードは、1、2、3、4、5、6です。",
                        "もう一度繰り返します。1、2、3、4、5、6。"),
                row("ru", "ru-RU", "Google.ru-RU-Standard-A", "Ваш код подтверждения Acme: 1, 2, 3, 4, 5, 6.",
                        "Повторяю: 1, 2, 3, 4, 5, 6."),
                row("nl", "nl-NL", "Google.nl-NL-Standard-A", "Je verificatiecode voor Acme is: 1, 2, 3, 4, 5, 6.",
                        "Nogmaals: 1, 2, 3, 4, 5, 6."),
                row("pl", "pl-PL", "Google.pl-PL-Standard-A", "Twój kod weryfikacyjny Acme to: 1, 2, 3, 4, 5, 6.",
                        "Powtarzam: 1, 2, 3, 4, 5, 6."),
                row("tr", "tr-TR", "Google.tr-TR-Standard-A", "Acme doğrulama kodunuz: 1, 2, 3, 4, 5, 6.",
                        "Tekrar ediyorum: 1, 2, 3, 4, 5, 6."),
                // Persian: no Twilio voice speaks it, so the call is in English unless a voice is configured (below)
                row("fa", "en-US", "Google.en-US-Standard-C", "Your Acme verification code is: 1, 2, 3, 4, 5, 6.",
                        "Again: 1, 2, 3, 4, 5, 6."),
                row("vi", "vi-VN", "Google.vi-VN-Standard-A", "Mã xác minh Acme của bạn là: 1, 2, 3, 4, 5, 6.",
                        "Xin nhắc lại: 1, 2, 3, 4, 5, 6."),
                row("cs", "cs-CZ", "Google.cs-CZ-Standard-A", "Váš ověřovací kód pro Acme je: 1, 2, 3, 4, 5, 6.",
                        "Ještě jednou: 1, 2, 3, 4, 5, 6."));
    }

    private static Arguments row(String tag, String language, String voice, String first, String again) {
        return Arguments.of(tag, language, voice, first, again);
    }

    @BeforeEach
    void answerQueued() {
        SERVER.reset(201, VoiceChannelTest.QUEUED);
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

    private Document call(Map<String, String> extra, String name, String code, String tag) throws Exception {
        Map<String, String> s = VoiceChannelTest.settings(SERVER);
        s.putAll(extra);
        channel = VoiceChannelTest.channel(s);
        SERVER.reset(201, VoiceChannelTest.QUEUED);
        VoiceChannelTest.deliver(channel, VoiceChannelTest.message(name, code, Locale.forLanguageTag(tag)));
        return VoiceChannelTest.twiml(VoiceChannelTest.form(SERVER.onlyRequest().body()).get("Twiml"));
    }

    @Test
    void shipped_coversExactlyTheEnginesShippedLocales() {
        Set<Locale> covered = shipped().map(a -> Locale.forLanguageTag((String) a.get()[0])).collect(Collectors.toSet());

        assertEquals(OtpEngine.shippedLocales(), covered);
        assertEquals(OtpEngine.shippedLocales(), SpokenTexts.SHIPPED.stream().map(Locale::forLanguageTag)
                .collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("shipped")
    void deliver_shippedLocale_saysItsOwnTextInItsLanguage_digitsOneByOne(String tag, String language, String voice,
                                                                           String first, String again) throws Exception {
        Document doc = call(Map.of(), "Acme", "123456", tag);

        List<Element> says = VoiceChannelTest.says(doc);
        assertEquals(2, says.size());
        for (Element say : says) {
            assertEquals(language, say.getAttribute("language"));
            assertEquals(voice, say.getAttribute("voice"));
            assertEquals(List.of(), VoiceChannelTest.children(say), "digits are plain text");
        }
        assertEquals(first, says.get(0).getTextContent());
        assertEquals(again, says.get(1).getTextContent());
        assertFalse(first.contains("123456"), "never the code as one number");
    }

    @Test
    void deliver_persianWithAConfiguredVoice_saysThePersianText() throws Exception {
        Document doc = call(Map.of("voice.language.fa", "fa-IR", "voice.ttsVoice.fa", "Acme.fa-IR-Voice"), "Acme",
                "123456", "fa");

        Element first = VoiceChannelTest.says(doc).get(0);
        assertEquals("fa-IR", first.getAttribute("language"));
        assertEquals("Acme.fa-IR-Voice", first.getAttribute("voice"));
        assertEquals("کد تأیید Acme شما: 1، 2، 3، 4، 5، 6.", first.getTextContent());
        assertEquals("دوباره: 1، 2، 3، 4، 5، 6.", VoiceChannelTest.says(doc).get(1).getTextContent());
    }

    @Test
    void deliver_languageOverriddenWithoutVoice_leavesTheVoiceToTheAccount() throws Exception {
        Element first = VoiceChannelTest.says(call(Map.of("voice.language.pt-BR", "pt-PT"), "Acme", "1234", "pt-BR")).get(0);

        assertEquals("pt-PT", first.getAttribute("language"));
        assertFalse(first.hasAttribute("voice"));
        assertEquals("Seu código de verificação Acme é: 1, 2, 3, 4.", first.getTextContent());
    }

    @Test
    void deliver_voiceOverriddenForABareLanguage_coversItsShippedRegionalLocale() throws Exception {
        Element first = VoiceChannelTest.says(call(Map.of("voice.ttsVoice.de", "Polly.Vicki"), "Acme", "1234", "de-DE"))
                .get(0);

        assertEquals("de-DE", first.getAttribute("language"));
        assertEquals("Polly.Vicki", first.getAttribute("voice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sv", "xx", "en-GB"})
    void deliver_localeWithoutAText_isSpokenInEnglish(String tag) throws Exception {
        Element first = VoiceChannelTest.says(call(Map.of(), "Acme", "1234", tag)).get(0);

        assertEquals("en-US", first.getAttribute("language"));
        assertEquals("Your Acme verification code is: 1, 2, 3, 4.", first.getTextContent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme & <Co>", "]]>", "</Say><Dial>+19005550100</Dial><Say>", "\"quoted\" and 'single'",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;", "&amp; &lt;",
            "<!-- comment --><![CDATA[x]]>", "a\u0000b\u0007c", "<say-as interpret-as=\"cardinal\">1</say-as>",
            "\uD83D\uDE00 emoji and a lone \uD800 surrogate"})
    void deliver_hostileWidgetName_isTextOnly_neverMarkup(String name) throws Exception {
        Document doc = call(Map.of("voice.repeat", "3"), name, "123456", "en");

        assertEquals("Response", doc.getDocumentElement().getNodeName());
        assertEquals(List.of("Pause", "Say", "Pause", "Say", "Pause", "Say"),
                VoiceChannelTest.children(doc.getDocumentElement()));
        assertEquals(0, doc.getElementsByTagName("Dial").getLength());
        for (Element say : VoiceChannelTest.says(doc)) {
            assertEquals(List.of(), VoiceChannelTest.children(say), "the name adds no element");
        }
        String expectedName = name.replaceAll("[\\x00-\\x1F]", " ").replace("\uD800 ", "  ");
        assertEquals("Your " + expectedName + " verification code is: 1, 2, 3, 4, 5, 6.",
                VoiceChannelTest.says(doc).get(0).getTextContent());
    }

    @Test
    void twiml_longestPossibleCall_fitsTwiliosLimitInEveryLocale() {
        String name = "&".repeat(dev.otpengine.Widget.MAX_NAME_LENGTH); // five characters each once escaped
        String code = "ABCDEFGHJK".substring(0, dev.otpengine.Widget.MAX_CODE_LENGTH); // every character spelled
        Map<String, String> overrides = Map.of("voice.language.fa", "fa-IR", "voice.ttsVoice.fa", "Polly.LongestNameAB");
        SpokenTexts texts = new SpokenTexts(SayVoices.from(dev.otpengine.spi.ChannelSettings.forChannel("voice", overrides)));
        for (String tag : SpokenTexts.SHIPPED) {
            String twiml = SpokenTexts.twiml(texts.choose(Locale.forLanguageTag(tag)), name, code, VoiceSettings.MAX_REPEAT);

            assertTrue(twiml.length() <= SpokenTexts.MAX_TWIML_LENGTH, tag + ": " + twiml.length());
        }
    }

    @Test
    void escape_everyMarkupCharacter() {
        assertEquals("&amp;&lt;&gt;&quot;&apos;x", SpokenTexts.escape("&<>\"'x"));
    }
}
