package dev.otpengine;

import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which text a send is written in: the shipped locales, the BCP 47 fallbacks (exact tag, language with script,
 * language, default), the order of the sources (widget, class path for the widget, engine, class path, built in), the
 * choice by the phone's country, and the class path files ({@code src/test/resources/otpengine-texts_*.properties}).
 */
final class LocalesTest {

    /** The widget the {@code fr-CA} file on the test class path has a text for. */
    private static final UUID FILED_WIDGET = UUID.fromString("0c5e2a8e-9a55-4d8b-a1c4-7f1f7c0f5e11");

    private final CapturingChannel sms = CapturingChannel.sms();
    private final List<OtpEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(OtpEngine::close);
    }

    private OtpEngine engine(OtpEngine.Builder builder) {
        OtpEngine engine = builder.channel(sms).rateLimits(RateLimits.unlimited()).build();
        engines.add(engine);
        return engine;
    }

    private OtpEngine engine(Widget widget) {
        return engine(OtpEngine.builder().widget(widget));
    }

    private static Widget.Builder widget() {
        return Widget.builder(WIDGET_ID).name("Acme").ttl(Duration.ofMinutes(10));
    }

    private OtpMessage send(OtpEngine engine, UUID widgetId, String phone, String tag) {
        SendRequest.Builder request = SendRequest.builder(widgetId).phone(phone);
        if (tag != null) {
            request.locale(Locale.forLanguageTag(tag));
        }
        engine.send(request.build());
        return sms.lastMessage(phone).orElseThrow();
    }

    private OtpMessage send(OtpEngine engine, String tag) {
        return send(engine, WIDGET_ID, "+79991234567", tag);
    }

    /**
     * The shipped locales whose whole text, with a 4-character name and a 6-digit code, leaves no room in one UCS-2
     * segment for a WebOTP line: they leave out the validity (issue 29).
     */
    private static final List<String> WITHOUT_VALIDITY = List.of("es", "pt-BR", "ru", "tr", "vi");

    @Test
    void eachShippedLocale_isItsOwnText_withTheCodeNameAndValidity() {
        OtpEngine engine = engine(widget().build());
        List<String> texts = new ArrayList<>();
        for (Locale locale : OtpEngine.shippedLocales()) {
            OtpMessage m = send(engine, locale.toLanguageTag());
            assertEquals(locale, m.locale());
            assertTrue(m.text().contains(m.code()) && m.text().contains("Acme"), locale + ": " + m.text());
            boolean validity = m.text().replace(m.code(), "").contains("10");
            assertEquals(!WITHOUT_VALIDITY.contains(locale.toLanguageTag()), validity, locale + ": " + m.text());
            assertEquals(m.text().indexOf(m.code()), m.text().lastIndexOf(m.code()), "the code once: " + m.text());
            texts.add(m.text().replace(m.code(), ""));
        }
        assertEquals(17, OtpEngine.shippedLocales().size());
        assertEquals(texts.size(), texts.stream().distinct().count(), "no two locales share a text");
    }

    @Test
    void aLocaleFallsBack_toItsLanguageWithScript_thenItsLanguage_thenTheDefault() {
        OtpEngine engine = engine(widget().build());
        assertEquals(Locale.forLanguageTag("pt-BR"), send(engine, "pt-br").locale(), "letter case does not matter");
        assertEquals(Locale.forLanguageTag("pt"), send(engine, "pt-PT").locale());
        assertTrue(send(engine, "pt-PT").text().contains("seu código"));
        assertEquals(Locale.forLanguageTag("de"), send(engine, "de-AT").locale());
        assertEquals(Locale.forLanguageTag("de-DE"), send(engine, "de-DE-u-co-phonebk").locale(), "extensions dropped");
        assertEquals(Locale.forLanguageTag("zh-Hant"), send(engine, "zh-TW").locale(), "Taiwan writes Traditional");
        assertEquals(Locale.forLanguageTag("zh-Hant"), send(engine, "zh-Hant-HK").locale());
        assertEquals(Locale.forLanguageTag("zh-Hans"), send(engine, "zh-CN").locale());
        assertEquals(Locale.forLanguageTag("zh-Hans"), send(engine, "zh").locale());
        assertEquals(Locale.forLanguageTag("ca-ES"), send(engine, "ca-ES").locale());
        assertEquals(Locale.forLanguageTag("ca"), send(engine, "ca-AD").locale());
        assertEquals(Locale.ENGLISH, send(engine, "ko").locale(), "no Korean text: the default");
        assertEquals(Locale.ENGLISH, send(engine, null).locale());
    }

    @Test
    void aWidgetsTemplate_winsOverTheEngines_evenForALessSpecificLocale() {
        OtpEngine engine = engine(OtpEngine.builder().template(Locale.forLanguageTag("pt-BR"), "engine {code}")
                .widget(widget().template(Locale.forLanguageTag("pt"), "widget {code}").build()));
        assertTrue(send(engine, "pt-BR").text().startsWith("widget "));
        // the engine's template wins over the built-in text
        OtpEngine other = engine(OtpEngine.builder().template(Locale.GERMAN, "Ihr Code: {code}")
                .widget(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Other").build()));
        assertTrue(send(other, Fixtures.OTHER_WIDGET_ID, "+79991234568", "de-DE").text().startsWith("Ihr Code: "),
                "the engine's German serves de-DE before the built-in de-DE: a source is asked for every candidate");
    }

    @Test
    void aRegionTemplate_servesTheTagWithScriptAndRegion_asResourceBundleDoes() {
        OtpEngine engine = engine(widget().template(Locale.forLanguageTag("zh-TW"), "台灣 {code}").build());
        assertTrue(send(engine, "zh-Hant-TW").text().startsWith("台灣 "));
        assertTrue(send(engine, "zh-TW").text().startsWith("台灣 "));
        assertEquals(Locale.forLanguageTag("zh-Hant"), send(engine, "zh-HK").locale(), "Hong Kong: the shipped zh-Hant");
    }

    @Test
    void theDefaultLocale_canBeAnyShippedOne_andMustBeCovered() {
        OtpEngine engine = engine(OtpEngine.builder().defaultLocale(Locale.forLanguageTag("de")).widget(widget().build()));
        assertEquals(Locale.forLanguageTag("de"), send(engine, "ko").locale());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OtpEngine.builder().channel(sms)
                .defaultLocale(Locale.forLanguageTag("eo")).widget(widget().build()).build());
        assertTrue(e.getMessage().startsWith("no text template for the default locale eo"), e.getMessage());
    }

    @Test
    void byPhoneCountry_whenTheWidgetAsks_andOnlyWhenTheRequestNamesNoLocale() {
        OtpEngine engine = engine(widget().localeByPhoneCountry(true).build());
        assertEquals(Locale.forLanguageTag("de-DE"), send(engine, WIDGET_ID, "+4915112345678", null).locale());
        assertEquals(Locale.forLanguageTag("pt-BR"), send(engine, WIDGET_ID, "+5511912345678", null).locale());
        assertEquals(Locale.forLanguageTag("ja"), send(engine, WIDGET_ID, "+819012345678", null).locale());
        assertEquals(Locale.forLanguageTag("zh-Hant"), send(engine, WIDGET_ID, "+886912345678", null).locale());
        assertEquals(Locale.ENGLISH, send(engine, WIDGET_ID, "+12025550123", null).locale(), "+1: the default");
        assertEquals(Locale.ENGLISH, send(engine, WIDGET_ID, "+4479111234567", null).locale());
        assertEquals(Locale.forLanguageTag("fr"), send(engine, WIDGET_ID, "+4915112345679", "fr").locale(),
                "the request's locale wins");

        OtpEngine off = engine(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Other").build());
        assertEquals(Locale.ENGLISH, send(off, Fixtures.OTHER_WIDGET_ID, "+4915112345670", null).locale(),
                "off unless the widget asks");
    }

    @Test
    void aClassPathFile_addsALocale_andCanHoldOneWidgetsText() {
        OtpEngine engine = engine(OtpEngine.builder().widget(widget().build())
                .widget(Widget.builder(FILED_WIDGET).name("Filed").build()));
        OtpMessage swedish = send(engine, "sv-SE");
        assertEquals(Locale.forLanguageTag("sv"), swedish.locale());
        assertEquals(swedish.code() + " är din kod för Acme. Giltig i 10 min.", swedish.text());

        OtpMessage filed = send(engine, FILED_WIDGET, "+79991234569", "fr-CA");
        assertEquals("Code Filed : " + filed.code(), filed.text());
        assertTrue(send(engine, "fr-CA").text().contains("est votre code Acme"), "the file's text is the widget's only");
    }

    @Test
    void anInvalidClassPathTemplate_isLeftOutAndLoggedOnce() {
        OtpEngine engine = engine(widget().build());
        int mark = CapturedLogs.mark();
        assertEquals(Locale.ENGLISH, send(engine, "nb").locale());
        assertEquals(Locale.ENGLISH, send(engine, "nb-NO").locale());
        List<String> lines = CapturedLogs.since(mark).stream().filter(l -> l.contains("otpengine-texts_nb")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("template must contain {code}"), lines.get(0));
    }

    @Test
    void anInvalidFileOfAShippedLocale_failsTheBuild_namingTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("otpengine-texts_de.properties"), "text={code} Ihr Code {kode}\n", StandardCharsets.UTF_8);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> OtpEngine.builder().channel(sms).widget(widget().build()).build());
            assertTrue(e.getMessage().startsWith("otpengine-texts_de.properties: text: template has an unknown placeholder"),
                    e.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aTemplateLocaleWithoutALanguage_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> widget().template(Locale.ROOT, "{code}"));
        assertThrows(IllegalArgumentException.class, () -> OtpEngine.builder().template(Locale.ROOT, "{code}"));
    }
}
