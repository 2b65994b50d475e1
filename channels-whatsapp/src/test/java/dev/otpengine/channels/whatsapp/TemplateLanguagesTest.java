package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.OtpEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template language each locale is sent in, read from the requests the scripted Cloud API receives. */
final class TemplateLanguagesTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    /** The engine's 17 shipped locales and the WhatsApp language each is sent in, as the provider's Javadoc tables. */
    static Stream<Arguments> shipped() {
        return Stream.of(
                Arguments.of("en", "en_US"), Arguments.of("es", "es"), Arguments.of("pt-BR", "pt_BR"),
                Arguments.of("fr", "fr"), Arguments.of("it", "it"), Arguments.of("de-DE", "de"),
                Arguments.of("zh-Hans", "zh_CN"), Arguments.of("zh-Hant", "zh_TW"), Arguments.of("ca-ES", "ca"),
                Arguments.of("ja", "ja"), Arguments.of("ru", "ru"), Arguments.of("nl", "nl"), Arguments.of("pl", "pl"),
                Arguments.of("tr", "tr"), Arguments.of("fa", "fa"), Arguments.of("vi", "vi"), Arguments.of("cs", "cs"));
    }

    private WhatsAppChannel channel;

    @BeforeEach
    void answerAccepted() {
        SERVER.reset(200, WhatsAppChannelTest.ACCEPTED);
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

    private String sentLanguage(Map<String, String> settings, String tag) throws Exception {
        Map<String, String> s = WhatsAppChannelTest.settings();
        s.put("whatsapp.baseUrl", SERVER.url());
        s.putAll(settings);
        channel = WhatsAppChannelTest.channel(s);
        WhatsAppChannelTest.deliver(channel, WhatsAppChannelTest.message("123456", Locale.forLanguageTag(tag)));
        return (String) Json.at(Json.parse(SERVER.onlyRequest().body()), "template", "language", "code");
    }

    @Test
    void shipped_coversExactlyTheEnginesShippedLocales() {
        Set<Locale> covered = shipped().map(a -> Locale.forLanguageTag((String) a.get()[0])).collect(Collectors.toSet());

        assertEquals(OtpEngine.shippedLocales(), covered);
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void deliver_shippedLocale_sendsMetasLanguageCode(String tag, String code) throws Exception {
        assertEquals(code, sentLanguage(Map.of(), tag));
        assertTrue(TemplateLanguages.META_CODES.contains(code), code + " is on Meta's list");
    }

    @ParameterizedTest
    @CsvSource({"de, de", "pt, pt_BR", "ca, ca", "zh-Hant-HK, zh_HK", "zh-TW, zh_TW", "zh-CN, zh_CN",
            "en-GB, en_US", "es-MX, es", "sv, sv", "sv-SE, sv", "rw-RW, rw_RW", "rw, en_US", "xx, en_US",
            "ko-KR, ko"})
    void deliver_otherLocale_sendsTheTablesLanguage_elseTheClosestMetaHas_elseEnglish(String tag, String code) throws Exception {
        assertEquals(code, sentLanguage(Map.of(), tag));
    }

    @Test
    void deliver_overrideForALocale_winsOverTheTable() throws Exception {
        assertEquals("pt_PT", sentLanguage(Map.of("whatsapp.language.pt-BR", "pt_PT"), "pt-BR"));
    }

    @Test
    void deliver_overrideForALanguage_coversItsRegionalShippedLocale() throws Exception {
        assertEquals("de_AT", sentLanguage(Map.of("whatsapp.language.de", "de_AT"), "de-DE"));
    }

    @Test
    void deliver_overrideTagInAnyCase_isTheSameLocale() throws Exception {
        assertEquals("zh_HK", sentLanguage(Map.of("whatsapp.language.zh-hant", "zh_HK"), "zh-Hant"));
    }

    @Test
    void deliver_englishOverride_isAlsoTheFallbackForUnknownLanguages() throws Exception {
        assertEquals("en", sentLanguage(Map.of("whatsapp.language.en", "en"), "xx"));
    }
}
