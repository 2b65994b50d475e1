package dev.otpengine.bench;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel that accepts every phone message at once and keeps its code until the benchmark takes it, as a user
 * would read it off the SMS. It keeps the last code per thread: the benchmarks take each code on the thread that sent
 * it, right after the send, and a map shared by the benchmark threads would add its own contention to what is
 * measured.
 */
final class AcceptingChannel implements Channel {

    private static final CompletableFuture<DeliveryReceipt> ACCEPTED =
            CompletableFuture.completedFuture(new DeliveryReceipt("sms", null, Instant.EPOCH));

    private final ThreadLocal<Delivered> last = ThreadLocal.withInitial(Delivered::new);
    private final boolean keepCodes;
    private final boolean messageIds;

    /** A channel that keeps each code for {@link #take}. */
    AcceptingChannel() {
        this(true);
    }

    /** @param keepCodes whether to keep codes for {@link #take}; the heap measurement keeps none */
    AcceptingChannel(boolean keepCodes) {
        this(keepCodes, false);
    }

    /**
     * @param keepCodes whether to keep codes for {@link #take}
     * @param messageIds whether each message gets a provider message id, as a real gateway's does (the engine then
     *     remembers it for delivery reports)
     */
    AcceptingChannel(boolean keepCodes, boolean messageIds) {
        this.keepCodes = keepCodes;
        this.messageIds = messageIds;
    }

    @Override
    public String id() {
        return "sms";
    }

    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return recipient.phone().isPresent();
    }

    @Override
    public boolean deliversAsynchronously() {
        return true; // it returns a completed stage at once
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        if (keepCodes) {
            Delivered delivered = last.get();
            delivered.requestId = message.requestId();
            delivered.code = message.code();
        }
        return messageIds ? CompletableFuture.completedFuture(new DeliveryReceipt("sms",
                "SM" + message.requestId(), Instant.EPOCH)) : ACCEPTED;
    }

    /** The code sent for a request, once, on the thread that sent it. */
    String take(UUID requestId) {
        Delivered delivered = last.get();
        if (!requestId.equals(delivered.requestId)) {
            throw new IllegalStateException("no code was delivered for " + requestId + " on this thread");
        }
        delivered.requestId = null;
        return delivered.code;
    }

    /** The last code delivered on one thread. */
    private static final class Delivered {
        UUID requestId;
        String code;
    }
}
