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
    void fill_codeTwice_andAtTheEnd() {
        assertEquals("123456 is your Acme code\n\n@example.com #123456",
                TextTemplates.fill("{code} is your {name} code\n\n@example.com #{code}", "123456", "Acme", 5));
    }

    @Test
    void render_defaultLocale_preparedOncePerWidget_putsEachSendsCodeInEveryPlace() {
        TextTemplates texts = new TextTemplates(Map.of(Locale.ENGLISH, "{code}: {name}, {minutes} min\n#{code}"),
                Locale.ENGLISH, dev.otpengine.spi.TextBundle.onClassPath());
        Widget widget = Widget.builder(java.util.UUID.randomUUID()).name("Acme").ttl(Duration.ofMinutes(3)).build();

        assertEquals("111111: Acme, 3 min\n#111111", texts.render(widget, null, null, "111111").text());
        assertEquals("222222: Acme, 3 min\n#222222", texts.render(widget, null, null, "222222").text());
        Widget renamed = widget.toBuilder().name("Beta").build();
        assertEquals("333333: Beta, 3 min\n#333333", texts.render(renamed, null, null, "333333").text());
        assertEquals(Locale.ENGLISH, texts.render(widget, null, null, "444444").locale());
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
    void everyShippedText_holdsTheCodeOnce_andNoOtherPlaceholderTwice() {
        for (Map.Entry<Locale, String> shipped : TextTemplates.SHIPPED.entrySet()) {
            String t = shipped.getValue();
            assertEquals(t, TextTemplates.check(t));
            assertEquals(1, t.split("\\{code}", -1).length - 1, shipped.getKey() + ": " + t);
            assertTrue(t.contains("{name}") && t.contains("{minutes}"), shipped.getKey() + ": " + t);
        }
        assertEquals(17, TextTemplates.SHIPPED.size());
    }
}
