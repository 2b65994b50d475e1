package dev.otpengine.internal;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a shipped text is fitted into one SMS segment beside a WebOTP line for a
 * {@value TextTemplates#WEBOTP_DOMAIN_ROOM}-character domain (issue 29): whole if it fits, else without the validity,
 * else with the name cut to whole characters and an ellipsis; never the code; and only the shipped texts.
 */
final class ShippedTextFitTest {

    private static final String EMOJI = "🏦💳🔐🛒🎁🍕🚀🌍🎵📱🏦💳🔐🛒🎁🍕🚀🌍🎵📱";
    private static final String FAMILY = "👨‍👩‍👧";

    private static String fit(String tag, String name, String code, long minutes) {
        String shipped = TextTemplates.SHIPPED.get(Locale.forLanguageTag(tag));
        String[] pieces = TextTemplates.fitted(shipped, name, minutes, code.length());
        return String.join(code, pieces);
    }

    @Test
    void fitted_wholeTextThatFits_isKept() {
        assertEquals("123456 is your Acme code. It expires in 10 min.", fit("en", "Acme", "123456", 10));
        assertEquals("123456 is your Acme Online Banking! code. It expires in 59 min.",
                fit("en", "Acme Online Banking!", "123456", 59));
        assertEquals("123456は東京銀行の認証コードです。有効期限は10分です。", fit("ja", "東京銀行", "123456", 10));
    }

    @Test
    void fitted_ucs2TextTooLongBesideTheLine_leavesOutTheValidity() {
        // 40 units whole, and a WebOTP line of 22 + 6 + 5: 73 > 70
        assertEquals("123456 — ваш код Acme", fit("ru", "Acme", "123456", 10));
        assertEquals("123456 là mã Acme", fit("vi", "Acme", "123456", 10));
    }

    @Test
    void fitted_nameThatStillDoesNotFit_isCutToWholeCharactersAndAnEllipsis() {
        // ru, a code of 10: 70 - 37 for the line - 10 - 11 = 12 units for the name: five emoji and "…"
        assertEquals("ABCDE12345 — ваш код 🏦💳🔐🛒🎁…", fit("ru", EMOJI, "ABCDE12345", 59));
        // an emoji name makes English UCS-2 too
        assertEquals("ABCDE12345 is your 🏦💳🔐🛒… code", fit("en", EMOJI, "ABCDE12345", 59));
        // a family emoji (8 units) is kept whole or left out, never split
        assertEquals("ABCDE12345 ist Ihr " + FAMILY + "…-Code", fit("de-DE", FAMILY.repeat(4), "ABCDE12345", 59));
    }

    @Test
    void fitted_gsmTextCut_keepsGsm_withThreeDots() {
        // 64 euro signs are 128 septets: 160 - 37 - 10 - 14 = 99 for the name, so 48 of them and "..."
        assertEquals("ABCDE12345 is your " + "€".repeat(48) + "... code", fit("en", "€".repeat(64), "ABCDE12345", 59));
    }

    @Test
    void render_aTemplateOfTheEngines_isUsedAsWritten() {
        UUID id = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
        CapturingChannel sms = CapturingChannel.sms();
        String template = "{code} — ваш код {name}. Действует {minutes} мин. Никому его не сообщайте.";
        try (OtpEngine engine = OtpEngine.builder().channel(sms).rateLimits(RateLimits.unlimited())
                .template(Locale.forLanguageTag("ru"), template)
                .widget(Widget.builder(id).name(EMOJI).ttl(Duration.ofMinutes(10)).build()).build()) {
            engine.send(SendRequest.builder(id).phone("+79991234567").locale(Locale.forLanguageTag("ru")).build());
        }
        String code = sms.lastCode().orElseThrow();
        assertEquals(code + " — ваш код " + EMOJI + ". Действует 10 мин. Никому его не сообщайте.",
                sms.lastMessage().orElseThrow().text());
    }
}
