package dev.otpengine.channels.email;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** An SMS-like channel found by ServiceLoader next to the email channel: it records what it is given. */
public final class TestSmsChannelProvider implements ChannelProvider {

    static final List<OtpMessage> SENT = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return "test-sms";
    }

    @Override
    public Channel create(ChannelSettings settings) {
        return new Channel() {
            @Override
            public String id() {
                return "test-sms";
            }

            @Override
            public boolean canDeliverTo(Recipient recipient) {
                return recipient.phone().isPresent();
            }

            @Override
            public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
                SENT.add(message);
                return CompletableFuture.completedFuture(new DeliveryReceipt("test-sms", "sms-" + SENT.size(), Instant.now()));
            }
        };
    }
}
