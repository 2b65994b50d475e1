package dev.otpengine.internal;

import dev.otpengine.Delivery;
import dev.otpengine.DeliveryMode;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimitException;
import dev.otpengine.Widget;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.Escalation;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Escalation over time ({@code Widget.Builder.escalateAfter}): after a send whose channel was not the widget's last, the
 * next step is kept in the store, due {@code escalateAfter} later by the engine's clock; a thread of the engine's own
 * asks the store every {@link #POLL} for the steps due and runs each it is handed. The store hands each due step to one
 * engine only, so on a shared store every node polls, a node that stops loses no step, and no step runs twice. A step
 * whose code was verified, withdrawn by a newer send, or has expired, or whose widget was removed, ends there.
 *
 * <p>A step claimed by a node that dies before it sends is lost (at most once, never twice): the user can still ask for
 * a new code. The poller starts with the first widget that escalates; an engine without one runs no thread.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class Escalator implements AutoCloseable {

    /** How often an engine with an escalating widget asks its store for due steps: {@value #POLL_MILLIS} ms. */
    public static final long POLL_MILLIS = 200;
    static final Duration POLL = Duration.ofMillis(POLL_MILLIS);
    /** The most steps one poll takes; a full batch polls again at once. */
    static final int BATCH = 64;

    private static final Logger log = LoggerFactory.getLogger(Escalator.class);

    private final Clock clock;
    private final WidgetRegistry widgets;
    private final OtpStore store;
    private final Map<String, Channel> channels;
    private final CodeSealer sealer;
    private final TextTemplates texts;
    private final DeliveryRunner deliveries;
    private final RequestGuard guard;
    private final OtpListener listener;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Object polling = new Object();
    private ScheduledExecutorService poller;
    private boolean closed;

    /**
     * The escalations of one engine.
     *
     * @param clock the engine's clock
     * @param widgets the engine's widgets
     * @param store where steps are kept
     * @param channels the engine's channels by id
     * @param sealer seals and opens codes
     * @param texts renders texts
     * @param deliveries hands messages to channels
     * @param guard the rate limits, for the toll-fraud guard
     * @param listener the engine's listeners
     */
    public Escalator(Clock clock, WidgetRegistry widgets, OtpStore store, Map<String, Channel> channels,
                     CodeSealer sealer, TextTemplates texts, DeliveryRunner deliveries, RequestGuard guard,
                     OtpListener listener) {
        this.clock = clock;
        this.widgets = widgets;
        this.store = store;
        this.channels = channels;
        this.sealer = sealer;
        this.texts = texts;
        this.deliveries = deliveries;
        this.guard = guard;
        this.listener = listener;
    }

    /**
     * Starts polling if the widget escalates and polling has not started.
     *
     * @param widget a widget the engine took
     */
    public void watch(Widget widget) {
        if (widget.escalateAfter().isPresent()) {
            start();
        }
    }

    private synchronized void start() {
        if (poller != null || closed) {
            return;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "otpengine-escalations");
            t.setDaemon(true);
            t.setContextClassLoader(null); // holds no application's class loader
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::runDueQuietly, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        poller = timer;
    }

    /** Runs the due steps now, off the caller's thread, as a failed delivery report asks. */
    public synchronized void wake() {
        if (poller != null) {
            poller.execute(this::runDueQuietly);
        }
    }

    /**
     * After a send's deliveries: keeps the next step when the widget escalates and the channel that accepted was not
     * the last that can reach the recipient. A failure to keep it is logged; the send it follows has succeeded.
     *
     * @param widget the widget
     * @param message the message sent
     * @param reachable the channels that could reach the recipient, in the widget's order
     * @param answers what they answered, in the same order ({@link DeliveryMode#FALLBACK}: up to the one that accepted)
     */
    public void afterSend(Widget widget, OtpMessage message, List<Channel> reachable, List<Delivery> answers) {
        Duration after = widget.escalateAfter().orElse(null);
        if (after == null || widget.delivery() != DeliveryMode.FALLBACK || answers.isEmpty()) {
            return;
        }
        int accepted = answers.size() - 1;
        if (!answers.get(accepted).isAccepted() || accepted + 1 >= reachable.size()) {
            return;
        }
        schedule(widget, message, answers.get(accepted).channelId(), ids(reachable.subList(accepted + 1,
                reachable.size())), after);
    }

    private void schedule(Widget widget, OtpMessage message, String sentThrough, List<String> ahead, Duration after) {
        Instant now = clock.instant();
        try {
            store.scheduleEscalation(new Escalation(message.requestId(), widget.id(), message.recipient(),
                    message.locale() == null ? null : message.locale().toLanguageTag(), sentThrough, ahead,
                    now.plus(after), message.expiresAt(), sealer.seal(message.requestId(), message.code())), now);
            start();
        } catch (RuntimeException e) {
            log.warn("could not keep the next escalation step of request {} of widget {}; it will not escalate",
                    message.requestId(), widget.id(), Redaction.forLog(e, text -> Redaction.generic(
                            Redaction.redact(text, message.recipient(), message.code()))));
        }
    }

    /**
     * A failed delivery report: makes the request's next step due now, if the failed message was its last step's.
     *
     * @param requestId the request id
     * @param channelId the channel whose message failed
     */
    public void failed(java.util.UUID requestId, String channelId) {
        try {
            if (store.expediteEscalation(requestId, channelId, clock.instant())) {
                log.debug("request {}: channel {} reported failed, escalating now", requestId, channelId);
                wake();
            }
        } catch (RuntimeException e) {
            log.warn("could not move request {} on after its {} message failed: {}", requestId, channelId, e.toString());
        }
    }

    private void runDueQuietly() {
        try {
            runDue();
        } catch (Throwable t) { // the poller must survive anything: a store outage, a listener's bug
            log.warn("escalation poll failed; trying again in {} ms: {}", POLL_MILLIS, t.toString());
        }
    }

    /**
     * Claims the steps due now and runs each, returning once every one has been accepted or has failed on each channel
     * ahead (each channel is cut off after its delivery timeout); polls again at once after a full batch. One poll at a
     * time: a caller that comes while the poller runs waits for it, so that what it claimed has been sent when this
     * returns.
     */
    public void runDue() {
        synchronized (polling) {
            List<Escalation> due;
            do {
                due = store.claimDueEscalations(clock.instant(), BATCH);
                List<CompletableFuture<Void>> running = new ArrayList<>(due.size());
                for (Escalation step : due) {
                    try {
                        running.add(run(step));
                    } catch (RuntimeException e) {
                        log.warn("escalation step of request {} failed: {}", step.requestId(), e.toString());
                    }
                }
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
            } while (due.size() == BATCH);
        }
    }

    private CompletableFuture<Void> run(Escalation step) {
        Instant now = clock.instant();
        WidgetRegistry.Entry entry = widgets.find(step.widgetId());
        if (entry == null) {
            log.debug("request {}: widget {} was removed; escalation ends", step.requestId(), step.widgetId());
            return DONE;
        }
        if (store.isWidgetBlocked(step.widgetId())) {
            // an operator blocks a widget under attack: what it had pending must stop paying too
            log.debug("request {}: widget {} is blocked; escalation ends", step.requestId(), step.widgetId());
            return DONE;
        }
        Widget widget = entry.widget();
        if (widget.delivery() != DeliveryMode.FALLBACK || widget.escalateAfter().isEmpty()) {
            log.debug("request {}: widget {} no longer escalates; escalation ends", step.requestId(), step.widgetId());
            return DONE;
        }
        if (!stillPending(step.requestId())) {
            log.debug("request {}: the code was verified, replaced, has expired or is out of guesses; escalation "
                    + "ends", step.requestId());
            return DONE;
        }
        String code = sealer.open(step.requestId(), step.sealedCode());
        List<Channel> ahead = new ArrayList<>(step.channels().size());
        for (String id : step.channels()) {
            Channel channel = channels.get(id);
            // only the channels the widget still has: a widget put again without the voice channel calls no one
            if (channel != null && entry.channels().contains(channel) && canDeliver(channel, step.recipient())) {
                ahead.add(channel);
            }
        }
        String phone = step.recipient().phone().orElse(null);
        Locale requested = step.locale() == null ? null : Locale.forLanguageTag(step.locale());
        TextTemplates.Rendered text = texts.render(widget, requested, phone, code);
        OtpMessage message = new OtpMessage(step.requestId(), widget.id(), widget.name(), step.recipient(), code,
                step.expiresAt(), widget.ttl(), text.locale(), text.text());
        return tryFrom(widget, ahead, 0, message);
    }

    /** Tries the channels ahead in order until one accepts: as a {@link DeliveryMode#FALLBACK} send does. */
    private CompletableFuture<Void> tryFrom(Widget widget, List<Channel> ahead, int index, OtpMessage message) {
        if (index == ahead.size()) {
            log.info("request {} of widget {}: no channel left to escalate to", message.requestId(), widget.id());
            return DONE;
        }
        Channel channel = ahead.get(index);
        String phone = message.recipient().phone().orElse(null);
        if (phone != null && canDeliver(channel, Recipient.ofPhone(phone))) {
            try {
                guard.beforeEscalation(widget, phone);
            } catch (RateLimitException e) {
                log.info("request {} of widget {}: the toll-fraud guard refused escalating to {} ({}); trying the next",
                        message.requestId(), widget.id(), channel.id(), e.getMessage());
                return tryFrom(widget, ahead, index + 1, message);
            }
        }
        if (!stillPending(message.requestId())) {
            // verified (or replaced) while this step waited its turn: a batch of steps can take a while to reach here
            log.debug("request {}: verified or replaced before its step went out; escalation ends",
                    message.requestId());
            return DONE;
        }
        return deliveries.deliver(List.of(channel), message, DeliveryMode.FALLBACK)
                .thenCompose(list -> answered(widget, ahead, index, message, list.get(0)))
                .exceptionally(t -> {
                    log.warn("escalation of request {} failed: {}", message.requestId(), t.toString());
                    return null;
                });
    }

    private CompletableFuture<Void> answered(Widget widget, List<Channel> ahead, int index, OtpMessage message,
                                             Delivery delivery) {
        Instant now = clock.instant();
        if (!delivery.isAccepted()) {
            log.warn("channel {} failed to deliver escalated request {} to {}: {} ({})", delivery.channelId(),
                    message.requestId(), message.recipient(), delivery.error(), delivery.status());
            listener.onDeliveryFailed(new OtpEvent.DeliveryFailed(now, widget.id(), message.requestId(),
                    message.recipient(), delivery));
            return tryFrom(widget, ahead, index + 1, message);
        }
        log.info("escalated request {} of widget {} to channel {}", message.requestId(), widget.id(),
                delivery.channelId());
        SentMessages.remember(store, clock, message, ahead, delivery);
        listener.onEscalated(new OtpEvent.Escalated(now, widget.id(), message.requestId(), message.recipient(), delivery));
        WidgetRegistry.Entry current = widgets.find(widget.id());
        Duration after = current == null ? null : current.widget().escalateAfter().orElse(null);
        if (after != null && index + 1 < ahead.size()) {
            schedule(current.widget(), message, delivery.channelId(), ids(ahead.subList(index + 1, ahead.size())),
                    after);
        }
        return DONE;
    }

    /**
     * Whether the code is still there to be guessed: not verified, replaced or expired, and not out of guesses (a code
     * that takes no more guesses, not even the right one, is not worth a paid step).
     */
    private boolean stillPending(java.util.UUID requestId) {
        Instant now = clock.instant();
        try {
            Optional<StoredCode> code = store.findCode(requestId, now);
            return code.isPresent() && now.isBefore(code.get().expiresAt())
                    && code.get().failures() < code.get().maxAttempts();
        } catch (RuntimeException e) { // the store cannot say: no paid message on a guess
            log.warn("request {}: the store could not be asked before an escalation step; it is not sent: {}",
                    requestId, e.toString());
            return false;
        }
    }

    private static List<String> ids(List<Channel> channels) {
        List<String> ids = new ArrayList<>(channels.size());
        channels.forEach(c -> ids.add(c.id()));
        return ids;
    }

    private static boolean canDeliver(Channel channel, Recipient recipient) {
        try {
            return channel.canDeliverTo(recipient);
        } catch (Throwable e) { // a channel's fault is never the escalation's
            return false;
        }
    }

    /** Stops polling; a step already claimed finishes on the delivery threads. */
    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
