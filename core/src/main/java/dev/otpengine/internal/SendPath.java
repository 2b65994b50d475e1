package dev.otpengine.internal;

import dev.otpengine.CaptchaNotConfirmedException;
import dev.otpengine.Delivery;
import dev.otpengine.InvalidRequestException;
import dev.otpengine.DeliveryMode;
import dev.otpengine.NoAvailableChannelsException;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpEvent.Operation;
import dev.otpengine.OtpException;
import dev.otpengine.OtpListener;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import dev.otpengine.WidgetIsBlockedException;
import dev.otpengine.spi.CaptchaVerifier;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.RateLimitException;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The send path: widget, block, captcha, limits, channels, a new code stored, delivery, and the result or refusal.
 * Everything up to handing the message to the channels runs on the caller's thread.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class SendPath {

    private static final Logger log = LoggerFactory.getLogger(SendPath.class);

    private final Clock clock;
    private final WidgetRegistry widgets;
    private final OtpStore store;
    private final CaptchaVerifier captchaVerifier;
    private final RequestGuard guard;
    private final CodeGenerator generator;
    private final CodeHasher hasher;
    private final TextTemplates texts;
    private final DeliveryRunner deliveries;
    private final OtpListener listener;
    private final Refusals refusals;
    private final Escalator escalator;
    private final DeliveryLatency latency = new DeliveryLatency();
    /** The hand-off time of a send no channel was handed, whose latency is not a delivery's. */
    private static final long NOT_HANDED_OFF = Long.MIN_VALUE;

    /**
     * The send path of one engine.
     *
     * @param clock the engine's clock
     * @param widgets the engine's widgets
     * @param store where codes and blocks are kept
     * @param captchaVerifier the captcha verifier, or {@code null}
     * @param guard the rate limits
     * @param generator draws request ids and codes
     * @param hasher makes a code's tag
     * @param texts renders the message text
     * @param deliveries hands messages to channels
     * @param listener the engine's listeners
     * @param refusals reports refusals
     * @param escalator keeps the next step of an escalating send
     */
    public SendPath(Clock clock, WidgetRegistry widgets, OtpStore store, CaptchaVerifier captchaVerifier,
                    RequestGuard guard, CodeGenerator generator, CodeHasher hasher, TextTemplates texts,
                    DeliveryRunner deliveries, OtpListener listener, Refusals refusals, Escalator escalator) {
        this.clock = clock;
        this.widgets = widgets;
        this.store = store;
        this.captchaVerifier = captchaVerifier;
        this.guard = guard;
        this.generator = generator;
        this.hasher = hasher;
        this.texts = texts;
        this.deliveries = deliveries;
        this.listener = listener;
        this.refusals = refusals;
        this.escalator = escalator;
    }

    /**
     * Sends a code; see {@code OtpEngine.sendAsync}.
     *
     * @param request the request
     * @return the result, or the refusal as an exceptionally completed future
     */
    public CompletableFuture<SendResult> send(SendRequest request) {
        Prepared prepared;
        try {
            prepared = prepare(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(refusals.refused(request.widgetId(), Operation.SEND, e));
        }
        CompletableFuture<List<Delivery>> answers;
        long handedOff = NOT_HANDED_OFF;
        Recipient others = prepared.withheld ? withoutPhone(prepared.message.recipient()) : null;
        if (prepared.test || prepared.withheld && others == null) {
            answers = answeredWithoutDelivery(prepared);
        } else if (prepared.withheld) {
            // the phone withheld, the other addresses served as a real send would serve them
            answers = deliveries.deliver(withheldFromPhone(prepared, others), prepared.message,
                    prepared.widget.delivery());
        } else {
            handedOff = System.nanoTime();
            answers = deliveries.deliver(prepared.channels, prepared.message, prepared.widget.delivery());
        }
        long since = handedOff;
        if (answers.isDone()) { // every channel answered at once (or none was asked): no stage to chain
            try {
                return CompletableFuture.completedFuture(finishOrRefuse(prepared, answers.join(), since));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return answers.thenApply(a -> finishOrRefuse(prepared, a, since));
    }

    /**
     * The channels of a send the toll-fraud guard withholds from the phone but whose recipient has other addresses: a
     * channel that could reach the phone answers as accepted, after as long as a phone's delivery takes
     * ({@link DeliveryLatency}), and sends nothing; one that cannot reach the phone delivers to the other addresses for
     * real. So the other addresses (an email) get exactly what a delivered send would have brought them, in the
     * widget's order and mode and about as late: their owner learns nothing of the phone from it.
     */
    private List<Channel> withheldFromPhone(Prepared prepared, Recipient others) {
        Recipient phoneOnly = Recipient.builder().phone(prepared.message.recipient().phone().orElseThrow()).build();
        List<Channel> served = new ArrayList<>(prepared.channels.size());
        for (Channel channel : prepared.channels) {
            served.add(canDeliver(channel, phoneOnly)
                    ? new StandIn(channel, null, clock, latency.mimic(prepared.widget.id(), true, true))
                    : new StandIn(channel, others, clock, Duration.ZERO));
        }
        return served;
    }

    /**
     * A channel of a send withheld from the phone: with {@code others}, the channel itself delivering to those
     * addresses, its messages leaving the phone out; without, one that could reach the phone, accepted after
     * {@code after} with nothing handed to the provider.
     */
    private record StandIn(Channel channel, Recipient others, Clock clock, Duration after) implements Channel {

        @Override
        public String id() {
            return channel.id();
        }

        @Override
        public boolean canDeliverTo(Recipient recipient) {
            return true;
        }

        @Override
        public boolean deliversAsynchronously() {
            return others == null || channel.deliversAsynchronously(); // a withheld one never blocks
        }

        @Override
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage m) {
            if (others == null) {
                return completedAfter(after, () -> new DeliveryReceipt(channel.id(), null, clock.instant()));
            }
            return channel.deliver(new OtpMessage(m.requestId(), m.widgetId(), m.widgetName(), others, m.code(),
                    m.expiresAt(), m.ttl(), m.locale(), m.text()));
        }
    }

    /** A future completed with the value after the wait; at once, on the caller, for no wait. */
    private static <T> CompletableFuture<T> completedAfter(Duration wait, Supplier<T> value) {
        if (wait.isZero()) {
            return CompletableFuture.completedFuture(value.get());
        }
        return CompletableFuture.supplyAsync(value,
                CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, Runnable::run));
    }

    /** The recipient without its phone, or {@code null} if the phone is all it has. */
    private static Recipient withoutPhone(Recipient recipient) {
        if (recipient.phone().isEmpty()) {
            return recipient;
        }
        if (recipient.addresses().size() == 1) {
            return null;
        }
        Recipient.Builder rest = Recipient.builder();
        recipient.addresses().forEach((kind, address) -> {
            if (!kind.equals(Recipient.PHONE)) {
                rest.address(kind, address);
            }
        });
        return rest.build();
    }

    /**
     * The answer of a send no channel is handed: a test recipient's, or one the toll-fraud guard withholds. It comes
     * after about as long as the widget's delivered sends lately took ({@link DeliveryLatency}), so that its timing does
     * not tell it from a delivered one.
     */
    private CompletableFuture<List<Delivery>> answeredWithoutDelivery(Prepared prepared) {
        List<Delivery> accepted = accepted(prepared.channels, prepared.widget.delivery());
        return completedAfter(latency.mimic(prepared.widget.id(), prepared.message.recipient().phone().isPresent(),
                prepared.withheld), () -> accepted);
    }

    /**
     * What a test send (or a withheld one) answers in place of deliveries: each channel a real send would have used,
     * accepted, with no provider message id (nothing was handed to a provider), so that {@code send} looks the same for
     * a test recipient.
     */
    private static List<Delivery> accepted(List<Channel> channels, DeliveryMode mode) {
        List<Channel> used = mode == DeliveryMode.FALLBACK && !channels.isEmpty() ? channels.subList(0, 1) : channels;
        List<Delivery> accepted = new ArrayList<>(used.size());
        for (Channel channel : used) {
            accepted.add(new Delivery(channel.id(), Delivery.Status.ACCEPTED, null, null));
        }
        return List.copyOf(accepted);
    }

    private SendResult finishOrRefuse(Prepared prepared, List<Delivery> answers, long handedOff) {
        if (handedOff != NOT_HANDED_OFF) {
            for (Delivery delivery : answers) {
                if (delivery.isAccepted()) {
                    latency.record(prepared.widget.id(), prepared.message.recipient().phone().isPresent(),
                            System.nanoTime() - handedOff);
                    break;
                }
            }
        }
        try {
            return finish(prepared, answers);
        } catch (RuntimeException e) {
            throw e instanceof OtpException ? e : refusals.refused(prepared.widget.id(), Operation.SEND, e);
        }
    }

    /**
     * A code stored and rendered, ready to be handed to channels; none for a test recipient, nor for a send the
     * toll-fraud guard withholds.
     */
    private record Prepared(Widget widget, List<Channel> channels, OtpMessage message, boolean test, boolean withheld) {
    }

    private static final Runnable NOTHING = () -> { };

    private Prepared prepare(SendRequest request) {
        Instant now = clock.instant();
        WidgetRegistry.Entry entry = widgets.require(request.widgetId());
        Widget widget = entry.widget();
        // The block list is asked once, as early as costs nothing: a send that counts against nothing asks it with the
        // put, in one step; on a shared store it is asked beside the requester's limits and answered before the
        // recipient's are counted (what the requester's took is given back); else, and before a captcha, first.
        boolean counted = widget.captchaRequired() || guard.limitsSends(widget);
        CompletableFuture<Boolean> blocked = null;
        if (counted && store.isShared() && !widget.captchaRequired()) {
            blocked = store.isWidgetBlockedAsync(widget.id());
        } else if (counted && store.isWidgetBlocked(widget.id())) {
            throw new WidgetIsBlockedException(widget.id());
        }
        try {
            return prepare(request, now, entry, widget, counted, blocked);
        } catch (RuntimeException e) {
            if (blocked != null && isBlocked(blocked)) {
                throw new WidgetIsBlockedException(widget.id()); // a blocked widget's answer, whatever else refused
            }
            throw e;
        }
    }

    /** Whether the block list's answer says blocked; {@code false} if it could not be had (another failure answers). */
    private static boolean isBlocked(CompletableFuture<Boolean> blocked) {
        try {
            return blocked.join();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Prepared prepare(SendRequest request, Instant now, WidgetRegistry.Entry entry, Widget widget,
                             boolean counted, CompletableFuture<Boolean> blocked) {
        String userIp = request.userIp().orElse(null);
        RequestGuard.Permit requester = RequestGuard.Permit.NONE;
        if (widget.captchaRequired()) {
            // the requester's own limits first: one they refuse never costs a call to the captcha service
            requester = guard.beforeCaptcha(widget, userIp);
            checkCaptcha(widget, request.captchaToken().orElse(null), userIp);
        }
        Read read = read(entry.channels(), request.recipient());
        String testCode = entry.testCode(read.recipient);
        boolean test = testCode != null;
        if (!test && read.refusal != null) {
            throw read.refusal; // a number no channel could ever deliver to: the requester's error, nothing counted
        }
        Recipient recipient = test ? read.recipient : allowedPart(widget, read.recipient);
        // Which channels could reach the recipient, before anything is counted: a number no channel takes is the
        // request's fault, not a reason to spend its limits. A test recipient gets the same list, so that what send
        // returns for it looks like a real one's; if no channel would take it, it still gets its fixed code.
        List<Channel> reachable = reachable(entry.channels(), recipient, read.refusedBy);
        if (!test && reachable.isEmpty()) {
            throw new NoAvailableChannelsException(widget.id());
        }
        Runnable blockChecked = blocked == null ? NOTHING : () -> {
            boolean isBlocked;
            try {
                isBlocked = blocked.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e; // the store's NoConnectionException
            }
            if (isBlocked) {
                throw new WidgetIsBlockedException(widget.id());
            }
        };
        RequestGuard.Permit permit = guard.beforeSend(widget, recipient, userIp, test, anyPaid(reachable), requester,
                blockChecked);
        CodeGenerator.Draw draw = generator.draw(widget.alphabet(), widget.codeLength());
        String code = test ? testCode : draw.code();
        UUID requestId = draw.requestId();
        Instant expiresAt = now.plus(widget.ttl());
        TextTemplates.Rendered text = texts.render(widget, request.locale().orElse(null), recipient.phone().orElse(null), code);
        OtpMessage message = new OtpMessage(requestId, widget.id(), widget.name(), recipient, code, expiresAt,
                widget.ttl(), text.locale(), text.text());
        StoredCode stored = new StoredCode(requestId, widget.id(), recipient, hasher.tag(requestId, code), expiresAt,
                widget.maxAttempts());
        try {
            if (counted) {
                store.putCode(stored, now);
            } else if (!store.putCodeUnlessBlocked(stored, now)) {
                throw new WidgetIsBlockedException(widget.id());
            }
        } catch (RuntimeException e) {
            try {
                permit.release(); // nothing was sent: the send counts against no limit
            } catch (RuntimeException releasing) {
                e.addSuppressed(releasing); // the store failed twice: what it failed with first is the answer
            }
            throw e;
        }
        RateLimitException withheld = test ? null : permit.withheld();
        if (withheld != null) {
            // Answered as sent, to anyone who asks (a returning phone, a new one, a test number alike), but handed to
            // no channel: the listeners hear what it stands for, a refusal by the toll-fraud guard.
            refusals.refused(widget.id(), Operation.SEND, withheld);
            log.debug("request {} of widget {} to {} withheld: its range is cut off", requestId, widget.id(), recipient);
        }
        return new Prepared(widget, reachable, message, test, withheld != null);
    }

    /**
     * The recipient as the channels read it, the first refusal of one of its addresses that no channel takes, if any,
     * and, by address kind, the channels that refused an address another channel took.
     */
    private record Read(Recipient recipient, InvalidRequestException refusal, Map<String, Set<String>> refusedBy) {
    }

    /**
     * Each address as the widget's channels agree to read it ({@link AddressReader}): one form per handset for every
     * step of the send, whatever the channels' order; a refusal, as the requester's error naming the field, for an
     * address no channel takes; and the channels that refused an address another took, which this send leaves out.
     * A channel that fails to read is skipped, as one that had no opinion.
     */
    private static Read read(List<Channel> channels, Recipient recipient) {
        Map<String, String> read = null; // a copy, made once a channel gives an address another form
        InvalidRequestException refusal = null;
        Map<String, Set<String>> refusedBy = Map.of();
        for (Map.Entry<String, String> address : recipient.addresses().entrySet()) {
            String kind = address.getKey();
            AddressReader.Opinions opinions = AddressReader.read(channels, kind, address.getValue());
            AddressReading reading = opinions.reading();
            if (!opinions.refusedBy().isEmpty() && reading.canonical().isPresent()) {
                if (refusedBy.isEmpty()) {
                    refusedBy = new HashMap<>(2);
                }
                refusedBy.put(kind, opinions.refusedBy());
            }
            if (reading.refusal().isPresent()) {
                if (refusal == null) {
                    refusal = new InvalidRequestException(kind, kind + " "
                            + Redaction.generic(Redaction.redact(reading.refusal().get(), recipient, null)));
                }
            } else if (reading.canonical().isPresent() && !reading.canonical().get().equals(address.getValue())) {
                if (read == null) {
                    read = new LinkedHashMap<>(recipient.addresses());
                }
                read.put(kind, reading.canonical().get());
            }
        }
        if (read == null) {
            return new Read(recipient, refusal, refusedBy);
        }
        Recipient.Builder canonical = Recipient.builder();
        read.forEach((kind, value) -> {
            try {
                canonical.address(kind, value);
            } catch (IllegalArgumentException e) {
                canonical.address(kind, recipient.address(kind).orElseThrow()); // a reading the engine cannot take is none
            }
        });
        return new Read(canonical.build(), refusal, refusedBy);
    }

    /**
     * The channels that can reach the recipient with the addresses they did not refuse: a channel that refused the
     * phone (SMS, for a landline) is left out unless another of the recipient's addresses is one it delivers to.
     */
    private static List<Channel> reachable(List<Channel> channels, Recipient recipient,
                                           Map<String, Set<String>> refusedBy) {
        List<Channel> reachable = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            Recipient usable = refusedBy.isEmpty() ? recipient : without(recipient, channel.id(), refusedBy);
            if (usable != null && canDeliver(channel, usable)) {
                reachable.add(channel);
            }
        }
        return reachable;
    }

    /** The recipient without the addresses a channel refused, or {@code null} if it refused every one. */
    private static Recipient without(Recipient recipient, String channelId, Map<String, Set<String>> refusedBy) {
        Recipient.Builder kept = Recipient.builder();
        boolean any = false;
        for (Map.Entry<String, String> address : recipient.addresses().entrySet()) {
            Set<String> refusing = refusedBy.get(address.getKey());
            if (refusing == null || !refusing.contains(channelId)) {
                kept.address(address.getKey(), address.getValue());
                any = true;
            }
        }
        return any ? kept.build() : null;
    }

    private void checkCaptcha(Widget widget, String token, String userIp) {
        if (token == null) {
            throw new CaptchaNotConfirmedException(widget.id(), "no captcha token was given");
        }
        boolean confirmed;
        try {
            confirmed = captchaVerifier.verify(token, userIp, widget.id());
        } catch (RuntimeException e) {
            log.warn("captcha verifier failed for widget {}; refusing the send", widget.id(),
                    Redaction.forLog(e, text -> Redaction.generic(text, token, userIp)));
            throw new CaptchaNotConfirmedException(widget.id(), "the captcha could not be checked");
        }
        if (!confirmed) {
            throw new CaptchaNotConfirmedException(widget.id(), "the captcha token was rejected");
        }
    }

    /**
     * The recipient without a phone outside the widget's allowed calling codes: channels never see that number,
     * so it is neither sent to nor counted by the limits.
     *
     * @throws NoAvailableChannelsException if nothing is left
     */
    private static Recipient allowedPart(Widget widget, Recipient recipient) {
        String phone = recipient.phone().orElse(null);
        if (phone == null || widget.allowsPhone(phone)) {
            return recipient;
        }
        log.debug("phone {} is outside the calling codes {} of widget {}; left out", Recipient.maskPhone(phone),
                widget.allowedCallingCodes(), widget.id());
        Recipient rest = withoutPhone(recipient);
        if (rest == null) {
            throw new NoAvailableChannelsException(widget.id());
        }
        return rest;
    }

    /** Whether a channel that costs money per message may carry the send; a channel that cannot say is paid. */
    private static boolean anyPaid(List<Channel> channels) {
        for (Channel channel : channels) {
            try {
                if (channel.costsPerMessage()) {
                    return true;
                }
            } catch (Throwable e) { // a channel's fault: counted as paid, the safer budget
                return true;
            }
        }
        return channels.isEmpty();
    }

    private static boolean canDeliver(Channel channel, Recipient recipient) {
        try {
            return channel.canDeliverTo(recipient);
        } catch (Throwable e) { // Errors too: a channel's fault is never the send's
            log.warn("channel {} failed to say whether it can reach {}; skipped", channel.id(), recipient,
                    Redaction.forLog(e, text -> Redaction.generic(Redaction.redact(text, recipient, null))));
            return false;
        }
    }

    private SendResult finish(Prepared sent, List<Delivery> answers) {
        OtpMessage m = sent.message;
        Instant now = clock.instant();
        boolean accepted = sent.test;
        for (Delivery delivery : answers) {
            if (delivery.isAccepted()) {
                accepted = true;
            } else {
                log.warn("channel {} failed to deliver request {} to {}: {} ({})", delivery.channelId(), m.requestId(),
                        m.recipient(), delivery.error(), delivery.status());
                listener.onDeliveryFailed(new OtpEvent.DeliveryFailed(now, m.widgetId(), m.requestId(), m.recipient(), delivery));
            }
        }
        if (!accepted) {
            store.withdrawCode(m.requestId());
            throw refusals.refused(m.widgetId(), Operation.SEND, new NoConnectionException(m.widgetId(), answers));
        }
        if (sent.withheld) {
            return new SendResult(m.requestId(), m.expiresAt(), answers); // no event of a send: it was Rejected
        }
        if (!sent.test) {
            for (Delivery delivery : answers) {
                SentMessages.remember(store, clock, m, sent.channels, delivery);
            }
            escalator.afterSend(sent.widget, m, sent.channels, answers);
        }
        if (sent.test) {
            log.info("request {} of widget {} is for test recipient {}: fixed code, nothing delivered", m.requestId(),
                    m.widgetId(), m.recipient());
        } else if (log.isDebugEnabled()) {
            log.debug("sent request {} of widget {} to {} via {}", m.requestId(), m.widgetId(), m.recipient(),
                    answers.stream().filter(Delivery::isAccepted).map(Delivery::channelId).collect(Collectors.toList()));
        }
        listener.onSent(new OtpEvent.Sent(now, m.widgetId(), m.requestId(), m.recipient(), answers));
        return new SendResult(m.requestId(), m.expiresAt(), answers);
    }
}
