package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.Delivery;
import dev.otpengine.DeliveryMode;
import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real ServiceLoader path: the engine finds this channel from settings alone and sends a verifiable code. */
final class WhatsAppDiscoveryTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();
    private static final UUID WIDGET = UUID.fromString("6f1c7d5e-1a2b-4c3d-8e9f-000000000025");

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void discoverChannels_whatsappSettings_sendsTheEnginesCodeInTheTemplate() {
        SERVER.reset(200, WhatsAppChannelTest.ACCEPTED);
        try (OtpEngine engine = OtpEngine.builder()
                .discoverChannels(Map.of(
                        "whatsapp.accessToken", "EAAJBtoken",
                        "whatsapp.phoneNumberId", "106540352242922",
                        "whatsapp.template", "otp_code",
                        "whatsapp.baseUrl", SERVER.url()))
                .widget(Widget.builder(WIDGET).name("Acme").codeLength(Widget.MAX_CODE_LENGTH)
                        .delivery(DeliveryMode.FALLBACK).build())
                .build()) {
            assertEquals(Set.of("whatsapp"), engine.channelIds());

            SendResult sent = engine.send(SendRequest.builder(WIDGET).phone("+55 11 98765-4321")
                    .locale(Locale.forLanguageTag("pt-BR")).build());

            Delivery delivery = sent.deliveries().get(0);
            assertTrue(delivery.isAccepted(), delivery.toString());
            assertEquals("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjU=", delivery.providerMessageId());
            Object body = Json.parse(SERVER.onlyRequest().body());
            assertEquals("+5511987654321", Json.at(body, "to"));
            assertEquals("pt_BR", Json.at(body, "template", "language", "code"));
            String code = (String) Json.at(body, "template", "components", 0, "parameters", 0, "text");
            assertEquals(Widget.MAX_CODE_LENGTH, code.length());
            assertEquals(code, Json.at(body, "template", "components", 1, "parameters", 0, "text"));
            assertTrue(engine.verify(sent.requestId(), code).isVerified());
        }
    }
}
