package dev.otpengine.bench;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A channel that accepts every phone message at once and keeps its code until the benchmark takes it, as a user
 * would read it off the SMS.
 */
final class AcceptingChannel implements Channel {

    private static final CompletableFuture<DeliveryReceipt> ACCEPTED =
            CompletableFuture.completedFuture(new DeliveryReceipt("sms", null, Instant.EPOCH));

    private final Map<UUID, String> codes = new ConcurrentHashMap<>();
    private final boolean keepCodes;

    /** A channel that keeps each code for {@link #take}. */
    AcceptingChannel() {
        this(true);
    }

    /** @param keepCodes whether to keep codes for {@link #take}; the heap measurement keeps none */
    AcceptingChannel(boolean keepCodes) {
        this.keepCodes = keepCodes;
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
            codes.put(message.requestId(), message.code());
        }
        return ACCEPTED;
    }

    /** The code sent for a request, once. */
    String take(UUID requestId) {
        String code = codes.remove(requestId);
        if (code == null) {
            throw new IllegalStateException("no code was delivered for " + requestId);
        }
        return code;
    }
}
