package dev.otpengine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of a send that reached the recipient through at least one channel.
 *
 * @param requestId the id to verify the code with; hand it to the client
 * @param expiresAt when the code stops verifying, by the engine's clock
 * @param deliveries one entry per channel tried, in the order tried; at least one is accepted
 */
public record SendResult(UUID requestId, Instant expiresAt, List<Delivery> deliveries) {

    /**
     * Validates and copies.
     *
     * @param requestId the id to verify the code with
     * @param expiresAt when the code stops verifying
     * @param deliveries one entry per channel tried
     * @throws NullPointerException if a component is null
     */
    public SendResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        deliveries = List.copyOf(Objects.requireNonNull(deliveries, "deliveries"));
    }
}
