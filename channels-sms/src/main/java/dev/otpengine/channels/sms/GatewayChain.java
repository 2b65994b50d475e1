package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.DeliveryException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The gateways of {@code sms.gateway} in order of preference, as one gateway: a text goes to the first whose circuit
 * lets it through; when that gateway fails by its own fault ({@link Fault#GATEWAY}) the same text goes to the next,
 * and when it fails by the message's ({@link Fault#MESSAGE}) no other gateway is paid to try. After every gateway
 * failed or was skipped the send fails retryably, naming each one's failure; with a single gateway, that gateway's
 * own failure is passed on unchanged.
 *
 * <p>Each gateway has its own Resilience4j circuit breaker (also when there is only one), count-based over the last
 * {@code sms.failover.minimumCalls} calls: once that many calls were made and at least
 * {@code sms.failover.failureRate} percent of them failed by the gateway's fault, the circuit opens and the gateway is
 * skipped without a call; after {@code sms.failover.openFor} one probe call is let through, which closes the circuit
 * when it succeeds and opens it again when it fails. The message's faults neither count nor open. The breakers read
 * the engine's clock. A circuit that opens is logged at WARN, one that closes at INFO, with the gateway's name and
 * never a number or a code.
 *
 * <p><b>Thread-safety:</b> thread-safe: the breakers are, and each send keeps its own state.
 */
final class GatewayChain implements SmsGateway {

    private static final Logger log = LoggerFactory.getLogger(GatewayChain.class);

    /** One gateway of the chain and its breaker. */
    private record Link(String name, SmsGateway gateway, CircuitBreaker breaker) {
    }

    private final List<Link> links;
    private final Duration timeout;

    /**
     * Puts the gateways in a chain.
     *
     * @param gateways the gateways by name, in order of preference (a {@link LinkedHashMap}'s order)
     * @param timeout each gateway call's timeout ({@code sms.timeout}), for {@link #checkDeliveryTimeout}
     * @param failover the breakers' settings
     * @param clock the clock the breakers read, the engine's
     */
    GatewayChain(Map<String, SmsGateway> gateways, Duration timeout, FailoverSettings failover, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(failover.minimumCalls(), failover.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(failover.failureRate())
                .waitDurationInOpenState(failover.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                // A permanent failure is the number's or the text's, and a refusal of one destination is chosen by
                // whoever chose the number: ignored, so they neither count nor open, and a probe that meets one hands
                // its permission back rather than holding the circuit half open.
                .recordException(Fault::countsAgainstCircuit)
                .ignoreException(failure -> !Fault.countsAgainstCircuit(failure))
                .clock(clock)
                .writableStackTraceEnabled(false)
                .build();
        List<Link> all = new ArrayList<>();
        gateways.forEach((name, gateway) -> {
            CircuitBreaker breaker = CircuitBreaker.of("sms." + name, config);
            breaker.getEventPublisher().onStateTransition(event -> logTransition(name, breaker,
                    event.getStateTransition().getToState(), failover.openFor()));
            all.add(new Link(name, gateway, breaker));
        });
        this.links = List.copyOf(all);
        this.timeout = timeout;
    }

    private static void logTransition(String name, CircuitBreaker breaker, CircuitBreaker.State to, Duration openFor) {
        if (to == CircuitBreaker.State.OPEN) {
            CircuitBreaker.Metrics metrics = breaker.getMetrics();
            log.warn("sms gateway {}: circuit opened, {}% of its last {} calls failed; it is skipped without a call "
                            + "for {}, then probed", name, String.format(Locale.ROOT, "%.0f", metrics.getFailureRate()),
                    metrics.getNumberOfBufferedCalls(), openFor);
        } else if (to == CircuitBreaker.State.CLOSED) {
            log.info("sms gateway {}: circuit closed, the probe call succeeded", name);
        } else {
            log.debug("sms gateway {}: circuit {}", name, to);
        }
    }

    /** @return whether every gateway's send returns at once */
    @Override
    public boolean sendsAsynchronously() {
        return links.stream().allMatch(link -> link.gateway().sendsAsynchronously());
    }

    @Override
    public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
        CompletableFuture<Accepted> result = new CompletableFuture<>();
        attempt(0, requestId, to, text, result, new ArrayList<>());
        return result;
    }

    private void attempt(int index, UUID requestId, String to, SmsText text, CompletableFuture<Accepted> result,
                         List<DeliveryException> failures) {
        if (result.isDone()) {
            return; // cancelled by whoever waited: no further gateway is paid for a code nobody waits for
        }
        if (index == links.size()) {
            result.completeExceptionally(failures.size() == 1 ? failures.get(0)
                    : DeliveryException.retryable("every sms gateway failed: " + failures.stream()
                            .map(Throwable::getMessage).collect(Collectors.joining("; ")),
                            failures.get(failures.size() - 1)));
            return;
        }
        Link link = links.get(index);
        CircuitBreaker breaker = link.breaker();
        if (!breaker.tryAcquirePermission()) {
            failures.add(DeliveryException.retryable(link.name() + " was not called: its circuit is open"));
            attempt(index + 1, requestId, to, text, result, failures);
            return;
        }
        long start = breaker.getCurrentTimestamp();
        CompletionStage<Accepted> stage;
        try {
            stage = link.gateway().send(requestId, to, text);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((accepted, error) -> {
            long took = breaker.getCurrentTimestamp() - start;
            if (error == null) {
                breaker.onSuccess(took, breaker.getTimestampUnit());
                result.complete(accepted);
                return;
            }
            DeliveryException failure = asDeliveryException(link.name(), error);
            breaker.onError(took, breaker.getTimestampUnit(), failure);
            if (failure.isRetryable()) {
                failures.add(failure);
                attempt(index + 1, requestId, to, text, result, failures);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    private static DeliveryException asDeliveryException(String name, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof DeliveryException ? (DeliveryException) cause
                : DeliveryException.retryable(name + " failed: " + cause.getClass().getSimpleName(), cause);
    }

    /**
     * Refuses a chain of several gateways that, each taking up to {@code sms.timeout}, could outlast the engine's
     * delivery timeout: the engine would give up before the last gateway had its turn. A single gateway is not
     * checked: the engine's timeout just ends its call sooner, as before chains.
     *
     * @throws ChannelConfigurationException keyed {@code sms.timeout}, naming it and the engine's
     *     {@code deliveryTimeout} and how to fix either
     */
    @Override
    public void checkDeliveryTimeout(Duration deliveryTimeout) {
        int n = links.size();
        Duration chain = timeout.multipliedBy(n);
        if (n > 1 && chain.compareTo(deliveryTimeout) > 0) {
            String names = links.stream().map(Link::name).collect(Collectors.joining(","));
            throw new ChannelConfigurationException(SmsChannel.ID + ".timeout", "setting " + SmsChannel.ID
                    + ".timeout (" + timeout + " for each of the " + n + " gateways " + names + ", " + chain
                    + " in all) does not fit the engine's deliveryTimeout for channel " + SmsChannel.ID + " ("
                    + deliveryTimeout + "): set " + SmsChannel.ID + ".timeout to at most "
                    + deliveryTimeout.dividedBy(n).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                    + ", or raise the engine's deliveryTimeout to at least " + chain);
        }
    }

    /** @return {@code circuit.<gateway>} with its breaker's state name ({@code CLOSED}, {@code OPEN}...), in order */
    @Override
    public Map<String, String> health() {
        Map<String, String> health = new LinkedHashMap<>();
        links.forEach(link -> health.put("circuit." + link.name(), link.breaker().getState().name()));
        return Collections.unmodifiableMap(health);
    }

    /** The gateway of that name; for tests. */
    SmsGateway gateway(String name) {
        return links.stream().filter(link -> link.name().equals(name)).findFirst().map(Link::gateway).orElseThrow();
    }

    /** Closes every gateway, each even when another fails to close. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Link link : links) {
            try {
                link.gateway().close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
