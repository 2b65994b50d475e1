package dev.otpengine.discovery;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A provider found only through the test {@code META-INF/services}: id {@code test-sms}, requires the setting
 * {@code sender}, and reads {@code retries} as an integer. Its channels record messages in {@link #SENT}.
 */
public final class TestSmsChannelProvider implements ChannelProvider {

    public static final List<OtpMessage> SENT = new CopyOnWriteArrayList<>();
    /** How many times a channel of this provider was closed. */
    public static final AtomicInteger CLOSED = new AtomicInteger();
    /** The clock the last channel made was given with its settings. */
    public static final AtomicReference<Clock> CLOCK = new AtomicReference<>();

    @Override
    public String id() {
        return "test-sms";
    }

    @Override
    public Channel create(ChannelSettings settings) {
        String sender = settings.require("sender");
        int retries = settings.getInt("retries", 0);
        CLOCK.set(settings.clock());
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
                return CompletableFuture.completedFuture(new DeliveryReceipt("test-sms", sender + "/" + retries, Instant.EPOCH));
            }

            @Override
            public void close() {
                CLOSED.incrementAndGet();
            }
        };
    }
}
