package dev.otpengine.channels.sms;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterEach;

import java.util.Map;

/** The channel contract with the http gateway, against the JDK's HTTP server (working) and a closed port (failing). */
final class SmsChannelContractTest extends ChannelContractTest {

    private final RecordingHttpServer server = new RecordingHttpServer().answering(200, "{}");

    @AfterEach
    void stop() {
        server.close();
    }

    private static Channel channel(String url) {
        return new SmsChannelProvider().create(ChannelSettings.forChannel("sms", Map.of("sms.gateway", "http",
                "sms.http.url", url, "sms.http.body", "{\"to\":\"{to}\",\"text\":\"{text}\"}", "sms.timeout", "5s")));
    }

    @Override
    protected Channel workingChannel() {
        return channel(server.url() + "/sms");
    }

    @Override
    protected Channel failingChannel() {
        return channel("http://127.0.0.1:1/sms");
    }

    @Override
    protected Recipient reachable() {
        return Recipient.ofPhone("+79991234567");
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofEmail("ann@example.com");
    }
}
