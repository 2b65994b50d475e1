package dev.otpengine.channels.voice;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/** The channel contract against a scripted Twilio (working) and a closed port (failing). */
final class VoiceChannelContractTest extends ChannelContractTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    @BeforeEach
    void answerQueued() {
        SERVER.reset(201, VoiceChannelTest.QUEUED);
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    private static Channel channel(String baseUrl) {
        return new VoiceChannelProvider().create(ChannelSettings.forChannel("voice", Map.of(
                "voice.twilio.accountSid", VoiceChannelTest.SID, "voice.twilio.authToken", "token-xyz",
                "voice.twilio.from", "+15005550006", "voice.twilio.baseUrl", baseUrl, "voice.timeout", "5s")));
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
        return Recipient.ofPhone("+442071838750"); // a London landline: a call reaches it
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofEmail("ann@example.com");
    }
}
