package dev.otpengine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class WidgetTest {

    private final Widget.Builder b = Widget.builder(WIDGET_ID).name("Acme");

    @Test
    void builder_defaults_matchTheDesign() {
        Widget w = b.build();

        assertEquals(6, w.codeLength());
        assertEquals(CodeAlphabet.DIGITS, w.alphabet());
        assertEquals(Duration.ofMinutes(2), w.ttl());
        assertEquals(5, w.maxAttempts());
        assertEquals(List.of(), w.channels());
        assertEquals(DeliveryMode.ALL, w.delivery());
        assertFalse(w.captchaRequired());
        assertEquals(Map.of(), w.templates());
    }

    @Test
    void builder_outOfRangeValues_areRefusedNamingFieldAndValue() {
        assertEquals("codeLength must be between 4 and 10: 3",
                assertThrows(IllegalArgumentException.class, () -> b.codeLength(3)).getMessage());
        assertEquals("codeLength must be between 4 and 10: 11",
                assertThrows(IllegalArgumentException.class, () -> b.codeLength(11)).getMessage());
        assertEquals("ttl must be between PT1M and PT1H: PT59S",
                assertThrows(IllegalArgumentException.class, () -> b.ttl(Duration.ofSeconds(59))).getMessage());
        assertEquals("ttl must be between PT1M and PT1H: PT1H0.001S",
                assertThrows(IllegalArgumentException.class, () -> b.ttl(Duration.ofMillis(3_600_001))).getMessage());
        assertEquals("maxAttempts must be between 1 and 10: 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxAttempts(0)).getMessage());
        assertEquals("maxAttempts must be between 1 and 10: 11",
                assertThrows(IllegalArgumentException.class, () -> b.maxAttempts(11)).getMessage());
        assertEquals("name must be 1 to 64 characters without control characters: \"\"",
                assertThrows(IllegalArgumentException.class, () -> b.name("  ")).getMessage());
        assertEquals("name must be 1 to 64 characters without control characters: \"a?b\"",
                assertThrows(IllegalArgumentException.class, () -> b.name("a\r\nb".replace("\n", ""))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.name("x".repeat(65)));
        assertEquals("channel id is repeated: sms",
                assertThrows(IllegalArgumentException.class, () -> b.channels("sms", "sms")).getMessage());
        assertEquals("channel id must be lowercase letters, digits, - or _, at most 32: \"Sms\"",
                assertThrows(IllegalArgumentException.class, () -> b.channels("Sms")).getMessage());
        assertEquals("template must contain {code}: hi {name}",
                assertThrows(IllegalArgumentException.class, () -> b.template(Locale.ENGLISH, "hi {name}")).getMessage());
        assertEquals("template has an unknown placeholder at index 7; use {code}, {name} and {minutes}: {code} {coed}",
                assertThrows(IllegalArgumentException.class, () -> b.template(Locale.ENGLISH, "{code} {coed}")).getMessage());
        assertEquals("ttl", assertThrows(NullPointerException.class, () -> b.ttl(null)).getMessage());
        assertEquals("id", assertThrows(NullPointerException.class, () -> Widget.builder(null)).getMessage());
    }

    @Test
    void build_withoutName_failsSayingWhatToCall() {
        UUID id = UUID.randomUUID();

        assertEquals("widget " + id + " needs a name: call name(...)",
                assertThrows(IllegalStateException.class, () -> Widget.builder(id).build()).getMessage());
    }

    @Test
    void toBuilder_copiesEverySetting() {
        Widget w = b.codeLength(8).alphabet(CodeAlphabet.ALPHANUMERIC).ttl(Duration.ofMinutes(10)).maxAttempts(3)
                .channels("email", "sms").delivery(DeliveryMode.FALLBACK).captchaRequired(true)
                .template(Locale.FRENCH, "{code}").build();

        assertEquals(w.toString(), w.toBuilder().build().toString());
        assertEquals("Other", w.toBuilder().name("Other").build().name());
        assertEquals("Acme", w.name());
    }

    @Test
    void build_doesNotChangeWithTheBuilder() {
        Widget w = b.channels("sms").build();

        b.channels("email");

        assertEquals(List.of("sms"), w.channels());
    }
}
