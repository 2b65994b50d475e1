package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/** The channel contract against a scripted Cloud API (working) and a closed port (failing). */
final class WhatsAppChannelContractTest extends ChannelContractTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    @BeforeEach
    void answerAccepted() {
        SERVER.reset(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+5511987654321\","
                + "\"wa_id\":\"5511987654321\"}],\"messages\":[{\"id\":\"wamid.contract\"}]}");
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    private static Channel channel(String baseUrl) {
        return new WhatsAppChannelProvider().create(ChannelSettings.forChannel("whatsapp", Map.of(
                "whatsapp.accessToken", "EAAtoken", "whatsapp.phoneNumberId", "106540352242922",
                "whatsapp.template", "otp_code", "whatsapp.baseUrl", baseUrl, "whatsapp.timeout", "5s")));
    }

    @Override
    protected Channel workingChannel() {
        return channel(SERVER.url());
    }

    @Override
    protected Channel failingChannel() {
        return channel("http://127.0.0.1:1");
    }

    @Override
    protected Recipient reachable() {
        return Recipient.ofPhone("+5511987654321");
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofEmail("ann@example.com");
    }
}
