package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.phone.NumberType;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which numbers WhatsApp takes, read with the phone channels' one reading; deliver messages that reading's form. */
final class WhatsAppNumbersTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private WhatsAppChannel channel;

    @BeforeEach
    void open() {
        SERVER.reset(200, WhatsAppChannelTest.ACCEPTED);
        Map<String, String> settings = WhatsAppChannelTest.settings();
        settings.put("whatsapp.baseUrl", SERVER.url());
        channel = WhatsAppChannelTest.channel(settings);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void numbers_takeMobilesAndNumbersThatMayBeMobiles_only() {
        assertEquals(Set.of(NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE), WhatsAppChannel.NUMBERS.takes());
    }

    @Test
    void readAddress_mobiles_areTakenWithTheirFacts() {
        AddressReading brazil = channel.readAddress(Recipient.PHONE, "+55 11 98765-4321");
        AddressReading trinidad = channel.readAddress(Recipient.PHONE, "+1 868 291 1234");

        assertEquals(Optional.of("+5511987654321"), brazil.canonical());
        assertEquals(Map.of("region", "BR", "callingCode", "55", "type", "mobile", "mainRegion", "BR"), brazil.facts());
        assertEquals(Optional.of("+18682911234"), trinidad.canonical());
        assertEquals("TT", trinidad.facts().get(AddressReading.REGION));
        assertEquals(Optional.of("+12025550162"), channel.readAddress(Recipient.PHONE, "+12025550162").canonical());
    }

    @Test
    void readAddress_landlinesVoipAndPaidNumbers_areRefusedNamingThem() {
        Map<String, String> refused = Map.of(
                "+442071838750", "is a landline, which does not get codes on WhatsApp",
                "+18682211234", "is a landline, which does not get codes on WhatsApp",
                "+445612345678", "is a VoIP number, which does not get codes on WhatsApp",
                "+449098765432", "is a premium-rate number, which does not get codes on WhatsApp",
                "+448001234567", "is a toll-free number, which does not get codes on WhatsApp");

        refused.forEach((number, refusal) -> assertEquals(Optional.of(refusal),
                channel.readAddress(Recipient.PHONE, number).refusal(), number));
        assertEquals(AddressReading.noOpinion(), channel.readAddress(Recipient.EMAIL, "a@example.com"));
    }

    @Test
    void deliver_messagesTheReadingsForm() throws Exception {
        WhatsAppChannelTest.deliver(channel, message("+55 0 11 98765 4321")); // the trunk 0 after +55

        assertEquals("+5511987654321", Json.at(Json.parse(SERVER.onlyRequest().body()), "to"));
    }

    @Test
    void deliver_aLandline_failsPermanentlyWithTheSameWords_andSendsNothing() {
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> WhatsAppChannelTest.deliver(channel, message("+442071838750")));

        assertFalse(e.isRetryable());
        assertEquals("is a landline, which does not get codes on WhatsApp", e.getMessage());
        assertEquals(List.of(), SERVER.requests());
    }

    private static OtpMessage message(String phone) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme",
                Recipient.builder().address(Recipient.PHONE, phone).build(), "123456", Instant.now().plusSeconds(120),
                Duration.ofMinutes(2), Locale.ENGLISH, "123456 is your Acme code");
    }
}
