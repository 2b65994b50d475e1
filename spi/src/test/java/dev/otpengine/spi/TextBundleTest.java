package dev.otpengine.spi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The locale fallback chain, the file names, and the class path files read once while used, bounded. */
final class TextBundleTest {

    private static List<String> candidates(String tag) {
        return TextBundle.candidates(Locale.forLanguageTag(tag)).stream().map(Locale::toLanguageTag).toList();
    }

    @Test
    void candidates_areTheTag_theScript_theRegion_thenTheLanguage() {
        assertEquals(List.of("pt-BR", "pt"), candidates("pt-br"));
        assertEquals(List.of("zh-Hant-TW", "zh-Hant", "zh-TW", "zh"), candidates("zh-Hant-TW"));
        assertEquals(List.of("zh-HK", "zh-Hant-HK", "zh-Hant", "zh"), candidates("zh-HK"));
        assertEquals(List.of("zh", "zh-Hans"), candidates("zh"));
        assertEquals(List.of("zh-Hans-TW", "zh-Hans", "zh"), candidates("zh-Hans-TW"), "a zh-TW text is Traditional");
        assertEquals(List.of("de-DE", "de"), candidates("de-DE-u-co-phonebk"));
        assertEquals(List.of("ca-ES", "ca"), candidates("ca-ES-valencia"));
        assertEquals(List.of("sr-Latn-RS", "sr-Latn", "sr"), candidates("sr-Latn-RS"), "sr-RS may be Cyrillic");
        assertEquals(List.of(), candidates("und"));
        assertEquals(List.of(), candidates("x-private"));
        assertTrue(TextBundle.candidates(new Locale("../../etc", "x")).stream()
                .allMatch(l -> l.getLanguage().matches("[a-z]*")), "a legacy locale with no BCP 47 form names nothing");
        assertThrows(NullPointerException.class, () -> TextBundle.candidates(null));
    }

    @Test
    void fileNames_areResourceBundleNames() {
        assertEquals("otpengine-texts_pt_BR.properties", TextBundle.fileName(Locale.forLanguageTag("pt-BR")));
        assertEquals("otpengine-texts_zh_Hant.properties", TextBundle.fileName(Locale.forLanguageTag("zh-Hant")));
        assertEquals("otpengine-texts_sv.properties", TextBundle.fileName(Locale.forLanguageTag("sv")));
    }

    /** A class loader that serves one file and counts every lookup. */
    private static final class CountingLoader extends ClassLoader {
        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger frenchCanadian = new AtomicInteger();

        CountingLoader() {
            super(null);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            lookups.incrementAndGet();
            if (!name.equals("otpengine-texts_fr_CA.properties")) {
                return null;
            }
            frenchCanadian.incrementAndGet();
            return new ByteArrayInputStream("text=Code {code}\nemail.subject=Objet é\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFile_isReadAsUtf8_onceWhileItIsUsed_andJunkLocalesCannotPinTheCache() {
        CountingLoader loader = new CountingLoader();
        TextBundle bundle = TextBundle.of(loader);
        Locale frCa = Locale.forLanguageTag("fr-CA");
        assertEquals("Objet é", bundle.get(frCa, "email.subject").orElseThrow());
        assertEquals("Code {code}", bundle.get(frCa, "text").orElseThrow());
        assertTrue(bundle.get(Locale.forLanguageTag("fr"), "text").isEmpty());
        assertEquals(2, loader.lookups.get(), "each locale's file looked up once");

        for (int i = 0; i < 1_000; i++) { // a requester's junk locales, each read once
            bundle.get(new Locale.Builder().setLanguage("qa").setRegion(String.format(Locale.ROOT, "%03d", i)).build(),
                    "text");
            bundle.get(frCa, "text"); // a locale in use stays read
        }
        assertEquals(2 + 1_000, loader.lookups.get());
        assertEquals(1, loader.frenchCanadian.get(), "fr-CA was never read again");
    }
}
