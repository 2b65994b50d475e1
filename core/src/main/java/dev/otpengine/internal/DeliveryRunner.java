package dev.otpengine.internal;

import dev.otpengine.Delivery;
import dev.otpengine.DeliveryMode;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Hands a message to channels: all at once ({@link DeliveryMode#ALL}) or one after another until one accepts
 * ({@link DeliveryMode#FALLBACK}). Each channel call starts on the delivery executor, so a channel that
 * blocks holds up neither the caller nor another channel, unless the channel says it
 * {@linkplain Channel#deliversAsynchronously() delivers asynchronously}: then it starts on the calling thread,
 * saving the hand-off. Each is cut off after its timeout, and its stage then cancelled (see {@link Attempt}); a
 * delivery done by the time it returns sets no timer. The
 * returned futures never complete exceptionally: whatever a channel throws or completes with becomes a
 * failed {@link Delivery}, its error text stripped of the code and the recipient's addresses. On the calling thread
 * that includes {@link Error}s, even a {@link VirtualMachineError}: the send must still withdraw a code no channel
 * delivered and tell its listeners (on a delivery thread, a virtual machine error is thrown on after that).
 *
 * <p><b>A channel that says it delivers asynchronously, but blocks.</b> Nothing can cut short a call already running
 * on the caller's thread, so the engine measures it instead: a {@code deliver} call that takes longer than
 * {@link #INLINE_LIMIT} to return on the calling thread has blocked its caller; the engine logs one WARN naming the
 * channel and from then on starts that channel on the delivery threads like any other. Only the calls already under
 * way by then hold their callers past the limit.
 */
public final class DeliveryRunner {

    /** How long a channel that delivers asynchronously may take to return from {@code deliver}: 50 ms. */
    public static final Duration INLINE_LIMIT = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

    private final Executor executor;
    private final Duration defaultTimeout;
    private final Map<String, Duration> timeouts;
    /** Channels that said they deliver asynchronously and then blocked a caller: started on the executor since. */
    private final Set<String> caughtBlocking = ConcurrentHashMap.newKeySet();

    /**
     * A runner.
     *
     * @param executor where channel calls start
     * @param defaultTimeout how long a channel may take, unless {@code timeouts} says otherwise
     * @param timeouts per channel id
     */
    public DeliveryRunner(Executor executor, Duration defaultTimeout, Map<String, Duration> timeouts) {
        this.executor = executor;
        this.defaultTimeout = defaultTimeout;
        this.timeouts = Map.copyOf(timeouts);
    }

    /**
     * Delivers a message.
     *
     * @param channels the channels, in the widget's order, each able to reach the recipient; not empty
     * @param message the message
     * @param mode all at once, or in order until one accepts
     * @return what each channel tried answered, in channel order
     */
    public CompletableFuture<List<Delivery>> deliver(List<Channel> channels, OtpMessage message, DeliveryMode mode) {
        if (mode == DeliveryMode.FALLBACK) {
            return inOrder(channels, 0, message, new ArrayList<>(channels.size()));
        }
        if (channels.size() == 1) {
            CompletableFuture<Delivery> only = deliver(channels.get(0), message);
            return only.isDone() ? CompletableFuture.completedFuture(List.of(only.join())) : only.thenApply(List::of);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[channels.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = deliver(channels.get(i), message);
        }
        return CompletableFuture.allOf(all).thenApply(done -> {
            Delivery[] answers = new Delivery[all.length];
            for (int i = 0; i < all.length; i++) {
                answers[i] = (Delivery) all[i].join();
            }
            return List.of(answers);
        });
    }

    private CompletableFuture<List<Delivery>> inOrder(List<Channel> channels, int index, OtpMessage message,
                                                      List<Delivery> tried) {
        return deliver(channels.get(index), message).thenCompose(delivery -> {
            tried.add(delivery);
            if (delivery.isAccepted() || index + 1 == channels.size()) {
                return CompletableFuture.completedFuture(List.copyOf(tried));
            }
            return inOrder(channels, index + 1, message, tried);
        });
    }

    /**
     * One channel's delivery of one message, and what to cancel when it times out: the stage the channel returned
     * ({@code cancel(true)} on its {@code CompletableFuture}), at once if it comes back only after the timeout. A
     * channel whose stage passes cancellation on (the JDK's {@code HttpClient.sendAsync} aborts its exchange) stops
     * there; one still inside a blocking {@code deliver} call, or whose provider already took the message, does not.
     */
    private static final class Attempt {
        final CompletableFuture<Delivery> result = new CompletableFuture<>();
        private CompletionStage<DeliveryReceipt> stage;
        private boolean timedOut;

        /** Keeps the channel's stage, cancelling it at once if the attempt already timed out. */
        void started(CompletionStage<DeliveryReceipt> stage) {
            boolean cancel;
            synchronized (this) {
                this.stage = stage;
                cancel = timedOut;
            }
            if (cancel) {
                cancel(stage);
            }
        }

        void timedOut() {
            CompletionStage<DeliveryReceipt> running;
            synchronized (this) {
                timedOut = true;
                running = stage;
            }
            if (running != null) {
                cancel(running);
            }
        }

        private static void cancel(CompletionStage<DeliveryReceipt> stage) {
            try {
                stage.toCompletableFuture().cancel(true);
            } catch (Throwable t) { // a stage of the channel's own making that cannot be cancelled: left to run
                log.debug("a timed-out delivery stage could not be cancelled: {}", t.toString());
            }
        }
    }

    private CompletableFuture<Delivery> deliver(Channel channel, OtpMessage message) {
        Duration timeout = timeouts.getOrDefault(channel.id(), defaultTimeout);
        Attempt attempt = new Attempt();
        CompletableFuture<Delivery> result = attempt.result;
        if (deliversAsynchronously(channel) && !caughtBlocking.contains(channel.id())) {
            long started = System.nanoTime();
            start(channel, message, attempt, true);
            long took = System.nanoTime() - started;
            if (took > INLINE_LIMIT.toNanos() && caughtBlocking.add(channel.id())) {
                log.warn("channel {} says it delivers asynchronously, but its deliver() held the sending thread for "
                        + "{} ms; it is started on the delivery threads from now on", channel.id(), took / 1_000_000);
            }
        } else {
            try {
                executor.execute(() -> start(channel, message, attempt, false));
            } catch (RejectedExecutionException e) {
                result.complete(failed(channel.id(), message,
                        DeliveryException.retryable("the delivery executor is saturated or shut down", e)));
            }
        }
        if (result.isDone()) {
            return result; // no timer to set, and none to cancel
        }
        Delivery timedOut = new Delivery(channel.id(), Delivery.Status.FAILED_RETRYABLE, null,
                "timed out after " + timeout.toMillis() + " ms");
        return result.completeOnTimeout(timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((d, e) -> {
            if (d == timedOut) {
                attempt.timedOut();
            }
        });
    }

    private static boolean deliversAsynchronously(Channel channel) {
        try {
            return channel.deliversAsynchronously();
        } catch (Throwable t) { // Errors too: whatever a channel throws is that channel's trouble, never the send's
            return false; // a channel that cannot say is treated as one that may block
        }
    }

    private static void start(Channel channel, OtpMessage message, Attempt attempt, boolean inline) {
        CompletableFuture<Delivery> result = attempt.result;
        CompletionStage<DeliveryReceipt> stage;
        try {
            stage = channel.deliver(message);
        } catch (Throwable t) {
            result.complete(failed(channel.id(), message, t));
            if (t instanceof VirtualMachineError && !inline) {
                throw (VirtualMachineError) t;
            }
            return;
        }
        if (stage == null) {
            result.complete(failed(channel.id(), message, new IllegalStateException("deliver returned null")));
            return;
        }
        attempt.started(stage);
        try {
            stage.whenComplete((receipt, error) -> {
                try {
                    if (error != null) {
                        result.complete(failed(channel.id(), message, error));
                    } else if (receipt == null) {
                        result.complete(failed(channel.id(), message,
                                new IllegalStateException("deliver completed with no receipt")));
                    } else {
                        result.complete(new Delivery(channel.id(), Delivery.Status.ACCEPTED, receipt.providerMessageId(),
                                null, receipt.attributes()));
                    }
                } catch (Throwable t) { // a receipt whose accessors throw
                    result.complete(failed(channel.id(), message, t));
                }
            });
        } catch (Throwable t) { // a stage of the channel's own making whose whenComplete throws
            result.complete(failed(channel.id(), message, t));
        }
    }

    private static Delivery failed(String channelId, OtpMessage message, Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        boolean permanent = t instanceof DeliveryException && !((DeliveryException) t).isRetryable();
        String said;
        try {
            said = t.getMessage();
        } catch (Throwable broken) { // an exception whose getMessage throws: a channel's fault, not the send's
            said = null;
        }
        String text = t instanceof DeliveryException ? String.valueOf(said)
                : t.getClass().getName() + (said == null ? "" : ": " + said);
        return new Delivery(channelId, permanent ? Delivery.Status.FAILED_PERMANENT : Delivery.Status.FAILED_RETRYABLE,
                null, redact(text, message));
    }

    /** A channel's error text with the message's code and addresses removed; see {@link Redaction#redact}. */
    static String redact(String text, OtpMessage message) {
        return Redaction.redact(text, message.recipient(), message.code());
    }
}
