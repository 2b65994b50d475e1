package dev.otpengine.channels.voice;

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

/** Which numbers a call goes to, read with the phone channels' one reading; deliver calls that reading's form. */
final class VoiceNumbersTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private VoiceChannel channel;

    @BeforeEach
    void open() {
        SERVER.reset(201, VoiceChannelTest.QUEUED);
        channel = VoiceChannelTest.channel(VoiceChannelTest.settings(SERVER));
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
    void numbers_takeMobilesLandlinesAndVoip_only() {
        assertEquals(Set.of(NumberType.MOBILE, NumberType.FIXED_LINE, NumberType.FIXED_LINE_OR_MOBILE, NumberType.VOIP),
                VoiceChannel.NUMBERS.takes());
    }

    @Test
    void readAddress_eachTypeACallReaches_isTakenWithItsFacts() {
        Map<String, String> taken = Map.of(
                "+44 7911 223456", "+447911223456 GB mobile",
                "+44 20 7183 8750", "+442071838750 GB fixed_line",
                "+1 (202) 555-0162", "+12025550162 US fixed_line_or_mobile",
                "+44 56 1234 5678", "+445612345678 GB voip",
                "+7 717 212 3456", "+77172123456 KZ fixed_line");

        taken.forEach((written, expected) -> {
            AddressReading reading = channel.readAddress(Recipient.PHONE, written);
            assertEquals(expected, reading.canonical().orElseThrow() + " " + reading.facts().get(AddressReading.REGION)
                    + " " + reading.facts().get(AddressReading.TYPE), written);
        });
    }

    @Test
    void readAddress_numbersThatPayTheirOwnerOrForwardAnywhere_areRefusedNamingThem() {
        Map<String, String> refused = Map.of(
                "+449098765432", "is a premium-rate number, which does not get codes by a phone call",
                "+448001234567", "is a toll-free number, which does not get codes by a phone call",
                "+447012345678", "is a personal number, which does not get codes by a phone call",
                "+445512345678", "is a universal access number, which does not get codes by a phone call",
                "+447640123456", "is a pager number, which does not get codes by a phone call");

        refused.forEach((number, refusal) -> assertEquals(Optional.of(refusal),
                channel.readAddress(Recipient.PHONE, number).refusal(), number));
        assertEquals(Optional.of("is not a valid number for its country"),
                channel.readAddress(Recipient.PHONE, "+44201").refusal());
        assertEquals(AddressReading.noOpinion(), channel.readAddress(Recipient.EMAIL, "a@example.com"));
    }

    @Test
    void deliver_callsTheReadingsForm() throws Exception {
        VoiceChannelTest.deliver(channel, message("+44 020 7183 8750")); // the trunk 0 after +44, as some write it

        assertEquals("+442071838750", VoiceChannelTest.form(SERVER.onlyRequest().body()).get("To"));
    }

    @Test
    void deliver_aPremiumRateNumber_failsPermanentlyWithTheSameWords_andCallsNobody() {
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> VoiceChannelTest.deliver(channel, message("+449098765432")));

        assertFalse(e.isRetryable());
        assertEquals("is a premium-rate number, which does not get codes by a phone call", e.getMessage());
        assertEquals(List.of(), SERVER.requests());
    }

    private static OtpMessage message(String phone) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme",
                Recipient.builder().address(Recipient.PHONE, phone).build(), "123456", Instant.now().plusSeconds(120),
                Duration.ofMinutes(2), Locale.ENGLISH, "123456 is your code");
    }
}
