package dev.otpengine.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Channel} promises the engine, written once and extended by each channel's tests (ours, and a
 * plugin author's: the class ships in the {@code otpengine-spi} test-jar). A subclass supplies a channel that
 * reaches a real peer, one whose peer is down, and a recipient each can and cannot reach.
 */
public abstract class ChannelContractTest {

    private final List<Channel> opened = new ArrayList<>();

    /** @return a channel whose peer (an SMTP server, an HTTP gateway...) accepts messages; closed after each test */
    protected abstract Channel workingChannel();

    /** @return the same kind of channel whose peer cannot be reached; closed after each test */
    protected abstract Channel failingChannel();

    /** @return a recipient the channel reaches */
    protected abstract Recipient reachable();

    /** @return a recipient the channel cannot reach */
    protected abstract Recipient unreachable();

    private Channel open(Channel channel) {
        opened.add(channel);
        return channel;
    }

    @AfterEach
    void closeChannels() {
        opened.forEach(Channel::close);
    }

    /** A message as the engine makes it. */
    protected OtpMessage message(Recipient to) {
        return new OtpMessage(UUID.randomUUID(), UUID.randomUUID(), "Acme", to, "123456",
                Instant.now().plus(Duration.ofMinutes(2)), Duration.ofMinutes(2), Locale.ENGLISH, "123456 is your Acme code");
    }

    private static DeliveryReceipt await(CompletionStage<DeliveryReceipt> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void id_isAValidChannelId() {
        String id = open(workingChannel()).id();

        assertNotNull(id);
        assertTrue(Channel.isValidId(id), id);
    }

    @Test
    void canDeliverTo_saysWhichRecipientsItReaches() {
        Channel channel = open(workingChannel());

        assertTrue(channel.canDeliverTo(reachable()));
        assertFalse(channel.canDeliverTo(unreachable()));
    }

    @Test
    void deliver_completesWithAReceiptNamingTheChannel() throws Exception {
        Channel channel = open(workingChannel());

        DeliveryReceipt receipt = await(channel.deliver(message(reachable())));

        assertEquals(channel.id(), receipt.channelId());
        assertNotNull(receipt.acceptedAt());
    }

    @Test
    void deliver_peerDown_completesExceptionallyWithADeliveryException_ratherThanThrowing() {
        Channel channel = open(failingChannel());

        CompletionStage<DeliveryReceipt> stage = channel.deliver(message(reachable()));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(stage));

        DeliveryException failure = assertInstanceOf(DeliveryException.class, e.getCause());
        assertTrue(failure.isRetryable(), "a peer that is down may be up on another try: " + failure.getMessage());
        assertFalse(failure.getMessage().contains("123456"), "a failure message never holds the code");
    }

    @Test
    void deliver_fromManyThreadsAtOnce_everyMessageIsAccepted() throws Exception {
        Channel channel = open(workingChannel());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CompletableFuture<DeliveryReceipt>>> calls = new ArrayList<>();
            for (int i = 0; i < threads * 2; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return channel.deliver(message(reachable())).toCompletableFuture();
                }));
            }
            go.countDown();
            for (Future<CompletableFuture<DeliveryReceipt>> call : calls) {
                assertEquals(channel.id(), await(call.get(30, TimeUnit.SECONDS)).channelId());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void close_twice_isHarmless() {
        Channel channel = workingChannel();

        channel.close();
        channel.close();
    }
}
