package dev.otpengine.channels.email;

import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The texts alone: what reaches the subject and the HTML, whatever a plugin or widget name holds. */
final class EmailTextsTest {

    private static OtpMessage message(String widgetName, Locale locale) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), widgetName, Recipient.ofEmail("ann@example.com"),
                "123456", Instant.parse("2026-11-22T10:02:00Z"), Duration.ofSeconds(90), locale, "123456 is your code");
    }

    private final EmailTexts texts = new EmailTexts(ChannelSettings.of("email", Map.of()));

    @Test
    void subject_neverHoldsALineBreak_evenFromTheWidgetName() {
        String subject = texts.subject(message("Acme\r\nBcc: victim@example.com", Locale.ENGLISH));

        assertFalse(subject.contains("\r") || subject.contains("\n"), subject);
        assertEquals("123456 is your Acme  Bcc: victim@example.com code", subject);
    }

    @Test
    void html_escapesEveryValue_andMinutesRoundUp() {
        String html = texts.html(message("<script>alert(1)</script>", Locale.ENGLISH));

        assertTrue(html.contains("Your &lt;script&gt;alert(1)&lt;/script&gt; code"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("It expires in 2 min, at 10:02 UTC."), html);
    }

    @Test
    void unknownLocale_fallsBackToEnglish_andALanguageServesItsRegions() {
        assertEquals("123456 is your Acme code", texts.subject(message("Acme", Locale.KOREAN)));
        assertEquals("123456 — ваш код Acme", texts.subject(message("Acme", Locale.forLanguageTag("ru-KZ"))));
    }
}
