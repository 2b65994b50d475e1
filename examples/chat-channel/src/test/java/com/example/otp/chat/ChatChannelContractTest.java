package com.example.otp.chat;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** The example plugin keeps the contract every channel keeps: the same test the email and SMS channels pass. */
final class ChatChannelContractTest extends ChannelContractTest {

    private final Webhook webhook;

    ChatChannelContractTest() throws IOException {
        webhook = new Webhook();
    }

    @AfterEach
    void stopWebhook() {
        webhook.close();
    }

    @Override
    protected Channel workingChannel() {
        return new ChatChannelProvider().create(ChannelSettings.of("chat", Map.of("url", webhook.url())));
    }

    @Override
    protected Channel failingChannel() {
        return new ChatChannelProvider().create(ChannelSettings.of("chat",
                Map.of("url", "http://127.0.0.1:" + closedPort() + "/bot", "timeout", "2s")));
    }

    @Override
    protected Recipient reachable() {
        return Recipient.builder().address("chat", "42").build();
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofPhone("+12025550162");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
