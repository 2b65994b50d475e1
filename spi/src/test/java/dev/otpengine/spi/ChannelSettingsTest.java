package dev.otpengine.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ChannelSettingsTest {

    private final ChannelSettings s = ChannelSettings.forChannel("email", Map.of(
            "email.smtp.host", " smtp.example.com ", "email.smtp.port", "587", "email.smtp.password", "hunter2",
            "email.blank", "  ", "email.tls", "TRUE", "email.timeout", "1500ms", "email.iso", "PT2S",
            "sms.gateway", "twilio", "emailx.other", "no"));

    @Test
    void forChannel_keepsOnlyThatChannelsKeysWithoutPrefix() {
        assertEquals(Set.of("smtp.host", "smtp.port", "smtp.password", "tls", "timeout", "iso"), s.keys());
        assertEquals("email", s.channelId());
    }

    @Test
    void get_trimsAndTreatsBlankAsAbsent() {
        assertEquals(Optional.of("smtp.example.com"), s.get("smtp.host"));
        assertEquals(Optional.empty(), s.get("blank"));
        assertEquals("none", s.get("blank", "none"));
    }

    @Test
    void require_missing_namesTheFullKey() {
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, () -> s.require("from"));

        assertEquals("missing required setting email.from for channel email", e.getMessage());
        assertEquals("email.from", e.key());
        assertEquals("smtp.example.com", s.require("smtp.host"));
    }

    @Test
    void typedGetters_parseOrNameTheKey() {
        assertEquals(587, s.getInt("smtp.port", 25));
        assertEquals(25, s.getInt("missing", 25));
        assertEquals(587L, s.getLong("smtp.port", 0));
        assertTrue(s.getBoolean("tls", false));
        assertEquals(Duration.ofMillis(1500), s.getDuration("timeout", Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), s.getDuration("iso", Duration.ZERO));
        assertEquals(Duration.ofSeconds(9), s.getDuration("missing", Duration.ofSeconds(9)));

        assertEquals("setting email.smtp.host must be an integer",
                assertThrows(ChannelConfigurationException.class, () -> s.getInt("smtp.host", 0)).getMessage());
        assertEquals("setting email.smtp.host must be true or false",
                assertThrows(ChannelConfigurationException.class, () -> s.getBoolean("smtp.host", false)).getMessage());
        assertEquals("setting email.smtp.host must be a duration such as 10s, 500ms or PT10S",
                assertThrows(ChannelConfigurationException.class, () -> s.getDuration("smtp.host", null)).getMessage());
        ChannelSettings big = ChannelSettings.of("x", Map.of("n", "9999999999", "d", "PT-1S"));
        assertEquals("setting x.n must be an integer", assertThrows(ChannelConfigurationException.class,
                () -> big.getInt("n", 0)).getMessage());
        assertThrows(ChannelConfigurationException.class, () -> big.getDuration("d", null));
    }

    @Test
    void toString_listsKeysNeverValues() {
        assertFalse(s.toString().contains("hunter2"));
        assertEquals("ChannelSettings[email: [iso, smtp.host, smtp.password, smtp.port, timeout, tls]]", s.toString());
    }

    @Test
    void of_nullValue_namesTheKey() {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        m.put("smtp.host", null);

        assertEquals("value of setting email.smtp.host",
                assertThrows(NullPointerException.class, () -> ChannelSettings.of("email", m)).getMessage());
    }

    @Test
    void rangedGetters_checkGivenValuesAndNameTheKeyAndTheRange() {
        assertEquals(587, s.getInt("smtp.port", 25, 1, 65535));
        assertEquals(0, s.getInt("missing", 0, 1, 10), "the default is the caller's, not checked");
        assertEquals("setting email.smtp.port must be from 1 to 100: 587", assertThrows(ChannelConfigurationException.class,
                () -> s.getInt("smtp.port", 25, 1, 100)).getMessage());
        assertEquals(Duration.ofMillis(1500), s.getDuration("timeout", Duration.ZERO, Duration.ofSeconds(2)));
        assertEquals("setting email.timeout must be positive and at most PT1S: PT1.5S",
                assertThrows(ChannelConfigurationException.class,
                        () -> s.getDuration("timeout", Duration.ZERO, Duration.ofSeconds(1))).getMessage());
        ChannelSettings zero = ChannelSettings.of("sms", Map.of("timeout", "0s"));
        assertEquals("setting sms.timeout must be positive and at most PT5M: PT0S",
                assertThrows(ChannelConfigurationException.class,
                        () -> zero.getDuration("timeout", Duration.ofSeconds(1), Duration.ofMinutes(5))).getMessage());
    }
}
