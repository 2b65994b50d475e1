package dev.otpengine.channels.voice;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.Delivery;
import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real ServiceLoader path: the engine finds this channel from settings alone and a landline hears a valid code. */
final class VoiceDiscoveryTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();
    private static final UUID WIDGET = UUID.fromString("6f1c7d5e-1a2b-4c3d-8e9f-000000000026");

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void discoverChannels_voiceSettings_callsAndReadsTheEnginesCode() throws Exception {
        SERVER.reset(201, VoiceChannelTest.QUEUED);
        try (OtpEngine engine = OtpEngine.builder()
                .discoverChannels(Map.of(
                        "voice.twilio.accountSid", VoiceChannelTest.SID,
                        "voice.twilio.authToken", "token-xyz",
                        "voice.twilio.from", "+15005550006",
                        "voice.twilio.baseUrl", SERVER.url()))
                .widget(Widget.builder(WIDGET).name("Acme & Co").build())
                .build()) {
            assertEquals(Set.of("voice"), engine.channelIds());

            SendResult sent = engine.send(SendRequest.builder(WIDGET).phone("+44 20 7183 8750")
                    .locale(Locale.forLanguageTag("de-DE")).build());

            Delivery delivery = sent.deliveries().get(0);
            assertTrue(delivery.isAccepted(), delivery.toString());
            assertEquals(VoiceChannelTest.CALL_SID, delivery.providerMessageId());
            Map<String, String> form = VoiceChannelTest.form(SERVER.onlyRequest().body());
            assertEquals("+442071838750", form.get("To"));
            Element first = VoiceChannelTest.says(VoiceChannelTest.twiml(form.get("Twiml"))).get(0);
            assertEquals("de-DE", first.getAttribute("language"));
            String spoken = first.getTextContent();
            String prefix = "Ihr Bestätigungscode für Acme & Co lautet: ";
            assertTrue(spoken.startsWith(prefix), spoken);
            String code = spoken.substring(prefix.length(), spoken.length() - 1).replace(", ", "");
            assertEquals(Widget.DEFAULT_CODE_LENGTH, code.length(), spoken);
            assertTrue(engine.verify(sent.requestId(), code).isVerified());
        }
    }
}
