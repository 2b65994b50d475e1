package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The channel's own settings: the gateway list, the timeout defaults, the breakers' settings; exact refusals. */
final class SmsSettingsTest {

    private static SmsSettings read(Map<String, String> settings) {
        return SmsSettings.from(ChannelSettings.forChannel("sms", settings));
    }

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> s = new HashMap<>();
        s.put("sms.gateway", "twilio,vonage");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            s.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return s;
    }

    private static ChannelConfigurationException refused(Map<String, String> settings) {
        return assertThrows(ChannelConfigurationException.class, () -> read(settings));
    }

    @Test
    void defaults_oneGatewayTenSeconds_aChainEightSecondsSharedOut_breakersAtFiftyPercentOfTenFor30s() {
        assertEquals(Duration.ofSeconds(10), read(Map.of("sms.gateway", "twilio")).timeout());
        assertEquals(Duration.ofSeconds(4), read(with()).timeout());
        assertEquals(Duration.ofMillis(2666), read(Map.of("sms.gateway", "twilio,vonage,http")).timeout());
        assertEquals(Duration.ofSeconds(7), read(with("sms.timeout", "7s")).timeout());
        assertEquals(new FailoverSettings(50, 10, Duration.ofSeconds(30)), read(with()).failover());
        assertEquals(new FailoverSettings(25, 3, Duration.ofMinutes(2)), read(with("sms.failover.failureRate", "25",
                "sms.failover.minimumCalls", "3", "sms.failover.openFor", "2m")).failover());
    }

    @Test
    void gateway_listIsReadInOrder_lowercased_spacesAside() {
        assertEquals(List.of("vonage", "twilio", "console"), read(Map.of("sms.gateway", " Vonage ,TWILIO, console"))
                .gateways());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "twilio,pigeon | setting sms.gateway must be twilio, vonage, http, smpp or console, or several of them in "
                    + "order of preference, comma-separated: pigeon",
            "twilio,,vonage | setting sms.gateway has an empty entry: twilio,,vonage; list gateways separated by "
                    + "single commas, such as twilio,vonage",
            "twilio, | setting sms.gateway has an empty entry: twilio,; list gateways separated by single commas, "
                    + "such as twilio,vonage",
            "',twilio' | setting sms.gateway has an empty entry: ,twilio; list gateways separated by single commas, "
                    + "such as twilio,vonage",
            "twilio,vonage,Twilio | setting sms.gateway names twilio twice: twilio,vonage,Twilio"})
    void gateway_badList_isRefusedNamingTheEntry(String gateways, String message) {
        ChannelConfigurationException e = refused(Map.of("sms.gateway", gateways));

        assertEquals("sms.gateway", e.key());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sms.failover.failureRate | 0 | setting sms.failover.failureRate must be from 1 to 100: 0",
            "sms.failover.failureRate | 101 | setting sms.failover.failureRate must be from 1 to 100: 101",
            "sms.failover.failureRate | 50% | setting sms.failover.failureRate must be an integer",
            "sms.failover.minimumCalls | 0 | setting sms.failover.minimumCalls must be from 1 to 10000: 0",
            "sms.failover.minimumCalls | ten | setting sms.failover.minimumCalls must be an integer",
            "sms.failover.openFor | 0s | setting sms.failover.openFor must be positive and at most PT1H: PT0S",
            "sms.failover.openFor | 2h | setting sms.failover.openFor must be positive and at most PT1H: PT2H",
            "sms.failover.openFor | soon | setting sms.failover.openFor must be a duration such as 10s, 500ms or PT10S",
            "sms.timeout | 0s | setting sms.timeout must be positive and at most PT5M: PT0S"})
    void failover_badValue_isRefusedNamingTheKey(String key, String value, String message) {
        ChannelConfigurationException e = refused(with(key, value));

        assertEquals(key, e.key());
        assertEquals(message, e.getMessage());
    }

    @Test
    void twilio_statusCallbackUrl_mustBeHttpOrHttps() {
        Map<String, String> s = new HashMap<>(Map.of("sms.gateway", "twilio", "sms.twilio.accountSid",
                HttpGatewaysTest.SID, "sms.twilio.authToken", "token", "sms.twilio.from", "+15005550006",
                "sms.twilio.statusCallbackUrl", "/otp/reports/twilio"));

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> new SmsChannelProvider().create(ChannelSettings.forChannel("sms", s)));

        assertEquals("sms.twilio.statusCallbackUrl", e.key());
        assertEquals("setting sms.twilio.statusCallbackUrl must be an http or https URL", e.getMessage());
    }
}
