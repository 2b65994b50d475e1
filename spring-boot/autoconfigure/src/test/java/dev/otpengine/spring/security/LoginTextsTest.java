package dev.otpengine.spring.security;

import dev.otpengine.OtpEngine;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class LoginTextsTest {

    private static Properties bundle(String tag) throws Exception {
        String name = tag.equals("en") ? "messages.properties" : "messages_" + tag.replace('-', '_') + ".properties";
        Properties p = new Properties();
        try (var in = LoginTexts.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyShippedLocale_hasItsOwnTextForEveryKey() throws Exception {
        assertEquals(OtpEngine.shippedLocales().stream().map(Locale::toLanguageTag).collect(Collectors.toList()),
                LoginTexts.TAGS);
        Properties english = bundle("en");
        for (String tag : LoginTexts.TAGS) {
            Properties texts = bundle(tag);
            assertEquals(english.keySet(), texts.keySet(), tag);
            if (!tag.equals("en")) {
                assertEquals(0, texts.stringPropertyNames().stream().filter(k -> texts.getProperty(k)
                        .equals(english.getProperty(k)) && !k.equals("code.label")).count(), tag + " copies English");
            }
        }
    }

    @Test
    void forAcceptLanguage_picksByQualityAndLanguage_chineseByScriptOrRegion_elseEnglish() {
        assertEquals("de-DE", LoginTexts.forAcceptLanguage("de-AT").tag());
        assertEquals("pt-BR", LoginTexts.forAcceptLanguage("xx, pt-PT;q=0.8, fr;q=0.5").tag());
        assertEquals("fr", LoginTexts.forAcceptLanguage("fr;q=0.9, ja;q=0.1").tag());
        assertEquals("zh-Hant", LoginTexts.forAcceptLanguage("zh-HK").tag());
        assertEquals("zh-Hant", LoginTexts.forAcceptLanguage("zh-Hant-CN").tag());
        assertEquals("zh-Hans", LoginTexts.forAcceptLanguage("zh-CN").tag());
        assertEquals("zh-Hans", LoginTexts.forAcceptLanguage("zh").tag());
        assertEquals("en", LoginTexts.forAcceptLanguage("\"><script>").tag());
        assertEquals("en", LoginTexts.forAcceptLanguage(null).tag());
        assertEquals("en", LoginTexts.forAcceptLanguage("ko-KR").tag());
        assertEquals("That code is not right. Tries left: 4.",
                LoginTexts.english().text("error.invalidCode", 4));
        assertEquals("Código incorreto. Tentativas restantes: 1234.",
                LoginTexts.forAcceptLanguage("pt-BR").text("error.invalidCode", 1234));
    }

    @Test
    void mask_showsTheEndsOfAPhone_andAnEmailsFirstLetterAndDomain_never_theWhole() {
        assertEquals("+12\u2022\u2022\u2022\u2022\u2022\u2022\u202211", OtpLoginState.mask("+12025550111"));
        assertEquals("a\u2022\u2022\u2022@example.com", OtpLoginState.mask("ann@example.com"));
        assertEquals("\u2022\u2022\u2022@example.com", OtpLoginState.mask("al@example.com"));
        assertEquals("\u2022\u2022\u2022\u2022\u2022\u2022", OtpLoginState.mask("+12345"));
    }
}
