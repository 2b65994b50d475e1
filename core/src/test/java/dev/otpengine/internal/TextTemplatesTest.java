package dev.otpengine.internal;

import dev.otpengine.Widget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TextTemplatesTest {

    @Test
    void fill_replacesEachPlaceholderOnceAndLeavesTheRest() {
        assertEquals("123456 is your {Acme} code, 2 min; {x}",
                TextTemplates.fill("{code} is your {{name}} code, {minutes} min; {x}", "123456", "Acme", 2));
    }

    @Test
    void fill_placeholderInsideTheWidgetName_isNotExpanded() {
        assertEquals("Code 1234 for {code}", TextTemplates.fill("Code {code} for {name}", "1234", "{code}", 1));
    }

    @Test
    void minutes_roundUp() {
        assertEquals(1, TextTemplates.minutes(Duration.ofSeconds(60)));
        assertEquals(2, TextTemplates.minutes(Duration.ofSeconds(61)));
        assertEquals(60, TextTemplates.minutes(Duration.ofHours(1)));
    }

    @Test
    void check_refusesControlCharactersButAllowsLineFeeds() {
        assertEquals("{code}\n@example.com #{code}", TextTemplates.check("{code}\n@example.com #{code}"));
        assertEquals("template must not contain control characters other than \\n: {code}\r",
                assertThrows(IllegalArgumentException.class, () -> TextTemplates.check("{code}\r")).getMessage());
        assertEquals("template must be at most 1000 characters: 1001",
                assertThrows(IllegalArgumentException.class, () -> TextTemplates.check("{code}" + "x".repeat(995))).getMessage());
    }

    @Test
    void builtInTexts_stayOneSmsSegment_forLongestCodeNameAndTtl() {
        // GSM-7 holds 160 characters in one segment, UCS-2 70; English is GSM-7 only, Russian needs UCS-2.
        Widget widget = Widget.builder(java.util.UUID.randomUUID()).name("N".repeat(20)).codeLength(10)
                .ttl(Duration.ofHours(1)).build();
        TextTemplates texts = new TextTemplates(Map.of(), Locale.ENGLISH);

        String english = texts.render(widget, Locale.ENGLISH, "1234567890").text();
        String russian = texts.render(widget, Locale.forLanguageTag("ru"), "1234567890").text();

        assertTrue(english.length() <= 160 && english.matches("[A-Za-z0-9 .]+"), english);
        assertTrue(russian.length() <= 70, russian.length() + ": " + russian);
    }
}
