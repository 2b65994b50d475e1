package dev.otpengine;

import dev.otpengine.internal.ChannelDiscovery;
import dev.otpengine.internal.CodeHasher;
import dev.otpengine.internal.EngineParts;
import dev.otpengine.internal.EngineSettings;
import dev.otpengine.internal.Escalator;
import dev.otpengine.internal.Refusals;
import dev.otpengine.internal.ReportPath;
import dev.otpengine.internal.RequestFields;
import dev.otpengine.internal.SendPath;
import dev.otpengine.internal.TextTemplates;
import dev.otpengine.internal.VerifyPath;
import dev.otpengine.internal.WidgetRegistry;
import dev.otpengine.spi.CaptchaVerifier;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.store.OtpStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one-time passcode engine: sends a code to a phone and/or an email through its channels, and verifies
 * it. Build one per application with {@link #builder()} and share it; close it on shutdown.
 *
 * <pre>{@code
 * OtpEngine engine = OtpEngine.builder()
 *         .widget(Widget.builder(loginWidgetId).name("Acme").build())
 *         .discoverChannels(Map.of("email.smtp.host", "smtp.example.com", "email.from", "no-reply@example.com"))
 *         .build();
 * SendResult sent = engine.send(loginWidgetId.toString(), "ann@example.com", request.getRemoteAddr());
 * VerifyResult result = engine.verify(sent.requestId().toString(), codeTheUserTyped, request.getRemoteAddr());
 * }</pre>
 *
 * <p>A code is drawn with {@link SecureRandom}, uniformly over its alphabet; only an HMAC-SHA256 of it, bound
 * to its request id, is kept. It verifies at most once, tolerates at most the widget's {@code maxAttempts}
 * wrong guesses however many arrive at once, expires after the widget's ttl by the engine's {@link Clock}, and
 * is withdrawn by a new send to the same address of the same widget. Sends and verifications pass the
 * engine's {@link RateLimits} ({@link RateLimits#defaults()} unless set) before any code is drawn or guess is
 * hashed. No code and no full phone or email is ever logged.
 *
 * <p>Everything the engine remembers between calls (pending codes, rate-limit counters, blocked widgets) is kept in
 * one {@link OtpStore}: in process unless {@link Builder#store} gives another, which engines on several hosts can
 * share to behave as one.
 *
 * <p><b>Thread-safety:</b> thread-safe. Every method may be called from any number of threads at once.
 */
public final class OtpEngine implements AutoCloseable {

    /** How long a channel may take to accept a message unless set: ten seconds. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    /** How many codes are kept pending at most unless set: {@value}. */
    public static final long DEFAULT_MAX_PENDING_CODES = 1_000_000;
    /** Threads of the engine's own delivery pool at most: {@value}. */
    public static final int DELIVERY_THREADS = 256;
    /** How many buckets each rate-limit scope of the in-process store holds at most unless set: {@value}. */
    public static final long DEFAULT_MAX_RATE_LIMIT_KEYS = 20_000;
    /** The most buckets a rate-limit scope of the in-process store may be set to hold: {@value}. */
    public static final long MAX_RATE_LIMIT_KEYS = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(OtpEngine.class);

    private final Map<String, Channel> channels;
    private final WidgetRegistry widgets;
    private final OtpStore store;
    private final boolean ownsStore;
    private final ExecutorService ownExecutor;
    private final SendPath sendPath;
    private final VerifyPath verifyPath;
    private final Refusals refusals;
    private final ReportPath reports;
    private final Escalator escalator;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The channels the engine made (discovered ones): the only ones it closes. */
    private final List<Channel> ownChannels;

    private OtpEngine(EngineParts parts, List<Channel> ownChannels) {
        this.ownChannels = List.copyOf(ownChannels);
        this.channels = parts.channels();
        this.widgets = parts.widgets();
        this.store = parts.store();
        this.ownsStore = parts.ownsStore();
        this.ownExecutor = parts.ownExecutor();
        this.sendPath = parts.send();
        this.verifyPath = parts.verify();
        this.refusals = parts.refusals();
        this.reports = parts.reports();
        this.escalator = parts.escalator();
    }

    /**
     * The locales the engine ships texts in, as tagged: {@code en}, {@code es}, {@code pt-BR}, {@code fr}, {@code it},
     * {@code de-DE}, {@code zh-Hans}, {@code zh-Hant}, {@code ca-ES}, {@code ja}, {@code ru}, {@code nl}, {@code pl},
     * {@code tr}, {@code fa}, {@code vi}, {@code cs}. Each also serves its bare language ({@code de} for
     * {@code de-DE}), and so every region of it.
     *
     * @return the locales, in that order; unmodifiable
     */
    public static Set<Locale> shippedLocales() {
        return TextTemplates.SHIPPED.keySet();
    }

    /**
     * Starts an engine.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- send

    /**
     * Sends a code and waits until the channels have answered.
     *
     * @param request what to send, and to whom
     * @return the request id to verify with, the expiry, and each channel's answer
     * @throws WidgetNotFoundException if no widget has the request's widget id
     * @throws WidgetIsBlockedException if the widget is blocked
     * @throws CaptchaNotConfirmedException if the widget requires a captcha and the token is missing or rejected
     * @throws RateLimitException if a rate limit refuses the send, or the in-process store holds its maximum of
     *     pending codes (scope {@link RateLimitException.Scope#PENDING_CODES})
     * @throws NoAvailableChannelsException if no channel of the widget can reach the recipient, or the only address
     *     is a phone outside the widget's {@linkplain Widget#allowedCallingCodes() allowed calling codes}
     * @throws NoConnectionException if every channel tried failed; no code stays pending
     * @throws InternalServerErrorException if the engine itself failed
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if {@code request} is null
     */
    public SendResult send(SendRequest request) {
        CompletableFuture<SendResult> future = sendAsync(request);
        if (future.isDone() && future.isCompletedExceptionally()) {
            // Every refusal arrives this way: take its exception as it is, rather than have join() wrap it in a
            // CompletionException, whose stack trace would cost more than the refusal (floods are refusals).
            throw unwrapped(future.handle((result, failure) -> failure).join());
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw unwrapped(e);
        }
    }

    /** What a send failed with, as {@link #send(SendRequest)} throws it: never a {@code CompletionException}. */
    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new InternalServerErrorException(cause);
    }

    /**
     * Sends a code in the shape of the seed SDK's {@code send(widgetId, recipient, userIp)}: the recipient is an
     * email address if it contains {@code @}, else a phone number.
     *
     * @param widgetId the widget's id, as text
     * @param recipient an E.164 phone number or an email address
     * @param userIp the user's IP address, or {@code null}
     * @return as {@link #send(SendRequest)}
     * @throws InvalidRequestException if the widget id is not a UUID, the recipient is missing or malformed,
     *     or the IP is not an IP address; its {@code field()} says which
     * @throws OtpException and the other exceptions of {@link #send(SendRequest)}
     */
    public SendResult send(String widgetId, String recipient, String userIp) {
        ensureOpen();
        UUID widget = null;
        SendRequest request;
        try {
            widget = RequestFields.uuid("widgetId", widgetId);
            SendRequest.Builder builder = SendRequest.builder(widget).userIp(userIp);
            request = builder.recipient(RequestFields.required("recipient", recipient)).build();
        } catch (InvalidRequestException e) {
            throw refusals.refused(widget, OtpEvent.Operation.SEND, e); // listeners and meters see bad input too
        }
        return send(request);
    }

    /**
     * Sends a code without waiting for the channels. Everything up to handing the message to the channels
     * (widget, captcha, limits, storing the code) happens before this method returns; a refusal completes the
     * future exceptionally with the exception {@link #send(SendRequest)} would throw.
     *
     * @param request what to send, and to whom
     * @return a future of the result
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if {@code request} is null
     */
    public CompletableFuture<SendResult> sendAsync(SendRequest request) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        return sendPath.send(request);
    }

    // ---------------------------------------------------------------- verify

    /**
     * Checks a code. A wrong code is a result, not an exception.
     *
     * @param request the request id, the code as typed, and the user's IP
     * @return {@code VERIFIED} once for the right code; {@code INVALID_CODE} with the attempts left;
     *     {@code ATTEMPTS_EXCEEDED} after {@code maxAttempts} wrong guesses, even for the right code;
     *     {@code EXPIRED} after the ttl; {@code NOT_FOUND} for an unknown, used or superseded request id
     * @throws RateLimitException if a rate limit refuses the verification
     * @throws InternalServerErrorException if the engine itself failed
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if {@code request} is null
     */
    public VerifyResult verify(VerifyRequest request) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        return verifyPath.verify(request);
    }


    /**
     * Checks a code; see {@link #verify(VerifyRequest)}. It carries no IP, so it skips the per-IP verify limits
     * ({@code verifyPerIp}, {@code verifyPerIpNetwork}): a login page should call
     * {@link #verify(String, String, String)} with the user's IP instead. The guess budget per recipient and the
     * code's own attempts still hold.
     *
     * @param requestId the id the send returned
     * @param code the code as the user typed it
     * @return the outcome
     * @throws InvalidRequestException if {@code requestId} is null, or the code is null or not 4 to 10 letters
     *     or digits
     * @throws OtpException and the other exceptions of {@link #verify(VerifyRequest)}
     */
    public VerifyResult verify(UUID requestId, String code) {
        return verify(() -> VerifyRequest.builder(requestId, code).build());
    }

    /** Verifies a request the engine builds from what it was given, reporting one it cannot build as a refusal. */
    private VerifyResult verify(Supplier<VerifyRequest> request) {
        ensureOpen();
        VerifyRequest built;
        try {
            built = request.get();
        } catch (InvalidRequestException e) {
            throw refusals.refused(null, OtpEvent.Operation.VERIFY, e); // listeners and meters see bad input too
        }
        return verify(built);
    }

    /**
     * Checks a code, the request id given as text (as an HTTP layer receives it). It carries no IP, so it skips the
     * per-IP verify limits: prefer {@link #verify(String, String, String)}.
     *
     * @param requestId the id the send returned, as text
     * @param code the code as the user typed it
     * @return the outcome
     * @throws InvalidRequestException if the request id is not a UUID, or the code is malformed
     * @throws OtpException and the other exceptions of {@link #verify(VerifyRequest)}
     */
    public VerifyResult verify(String requestId, String code) {
        return verify(() -> VerifyRequest.builder(RequestFields.uuid("requestId", requestId), code).build());
    }

    /**
     * Checks a code in the shape of the seed SDK's {@code verify(requestId, code, userIp)}: the IP counts against the
     * per-IP verify limit ({@link RateLimits.Builder#verifyPerIp}), as a login page should always have it count.
     *
     * @param requestId the id the send returned, as text
     * @param code the code as the user typed it
     * @param userIp the user's IP address, or {@code null}
     * @return the outcome
     * @throws InvalidRequestException if the request id is not a UUID, the code is malformed, or the IP is not an IP
     *     address; its {@code field()} says which
     * @throws OtpException and the other exceptions of {@link #verify(VerifyRequest)}
     */
    public VerifyResult verify(String requestId, String code, String userIp) {
        return verify(() -> VerifyRequest.builder(RequestFields.uuid("requestId", requestId), code).userIp(userIp)
                .build());
    }

    // ---------------------------------------------------------------- widgets

    /**
     * Adds a widget, or replaces the one with the same id. Whether it is blocked is the store's to keep, so a replaced
     * widget stays blocked if it was. Codes already sent keep the settings they were sent with.
     *
     * @param widget the widget
     * @throws IllegalArgumentException if it names a channel the engine does not have, requires a captcha
     *     and the engine has no {@code CaptchaVerifier}, or escalates with a ttl that does not cover its steps over
     *     the channels it resolves to
     * @throws NullPointerException if {@code widget} is null
     */
    public void putWidget(Widget widget) {
        widgets.put(Objects.requireNonNull(widget, "widget"));
        escalator.watch(widget);
    }

    /**
     * Removes a widget: new sends for it get {@link WidgetNotFoundException}. Codes already sent still verify
     * until they expire. A block stays in the store: a widget put back under the same id is still blocked until
     * {@link #unblockWidget}.
     *
     * @param widgetId the widget's id
     * @return whether a widget was removed
     * @throws NullPointerException if {@code widgetId} is null
     */
    public boolean removeWidget(UUID widgetId) {
        return widgets.remove(Objects.requireNonNull(widgetId, "widgetId"));
    }

    /**
     * Blocks a widget: its sends get {@link WidgetIsBlockedException} until {@link #unblockWidget}, on this engine and
     * on every engine sharing its store. Codes already sent still verify until they expire.
     *
     * @param widgetId the widget's id
     * @throws WidgetNotFoundException if no widget has this id
     * @throws NullPointerException if {@code widgetId} is null
     */
    public void blockWidget(UUID widgetId) {
        setBlocked(widgetId, true);
    }

    /**
     * Lifts {@link #blockWidget}; unblocking a widget that is not blocked does nothing.
     *
     * @param widgetId the widget's id
     * @throws WidgetNotFoundException if no widget has this id
     * @throws NullPointerException if {@code widgetId} is null
     */
    public void unblockWidget(UUID widgetId) {
        setBlocked(widgetId, false);
    }

    private void setBlocked(UUID widgetId, boolean blocked) {
        widgets.require(Objects.requireNonNull(widgetId, "widgetId"));
        if (blocked) {
            store.blockWidget(widgetId);
        } else {
            store.unblockWidget(widgetId);
        }
        log.info("widget {} is {}", widgetId, blocked ? "blocked" : "unblocked");
    }

    /**
     * Whether a widget is blocked.
     *
     * @param widgetId the widget's id
     * @return {@code true} if blocked
     * @throws WidgetNotFoundException if no widget has this id
     * @throws NullPointerException if {@code widgetId} is null
     */
    public boolean isBlocked(UUID widgetId) {
        widgets.require(Objects.requireNonNull(widgetId, "widgetId"));
        return store.isWidgetBlocked(widgetId);
    }

    /**
     * One widget.
     *
     * @param widgetId the widget's id
     * @return the widget, or empty if none has this id
     * @throws NullPointerException if {@code widgetId} is null
     */
    public Optional<Widget> widget(UUID widgetId) {
        return Optional.ofNullable(widgets.find(Objects.requireNonNull(widgetId, "widgetId"))).map(WidgetRegistry.Entry::widget);
    }

    /**
     * Every widget.
     *
     * @return a snapshot, unmodifiable
     */
    public Collection<Widget> widgets() {
        return widgets.widgets();
    }

    /**
     * The ids of the engine's channels, in registration order.
     *
     * @return the ids, unmodifiable
     */
    public Set<String> channelIds() {
        return channels.keySet();
    }

    /**
     * What each channel can tell about the providers behind it ({@link Channel#health()}), for a health check or a
     * gauge: for an SMS channel with two gateways, {@code {sms={circuit.twilio=CLOSED, circuit.vonage=OPEN}}}. A channel
     * that fails to answer is left out, with a warning in the log.
     *
     * @return per channel id, in registration order, the channel's facts; channels with none are left out; unmodifiable
     */
    public Map<String, Map<String, String>> channelHealth() {
        Map<String, Map<String, String>> health = new LinkedHashMap<>();
        for (Channel channel : channels.values()) {
            try {
                Map<String, String> facts = channel.health();
                if (facts != null && !facts.isEmpty()) {
                    health.put(channel.id(), Map.copyOf(facts));
                }
            } catch (RuntimeException e) {
                log.warn("channel {} failed to report its health; left out", channel.id(), e);
            }
        }
        return Collections.unmodifiableMap(health);
    }

    /**
     * Runs the escalation steps due now on the calling thread, as the engine's poller does every
     * {@value Escalator#POLL_MILLIS} ms: for tests that must know a poll has run.
     */
    void runDueEscalations() {
        ensureOpen();
        escalator.runDue();
    }

    // ---------------------------------------------------------------- delivery reports

    /**
     * Takes a vendor's delivery report: what the carrier finally did with a message this engine, or any engine on the
     * same store, sent. When the message belongs to a code the store still holds (pending, or expired within
     * {@link OtpStore#EXPIRED_RETENTION}; not one verified or replaced by a newer send), and the report names no vendor,
     * or the vendor that accepted the message, or the message's channel named none, the report reaches the listeners as {@link OtpEvent.DeliveryReported},
     * and through them the meter {@code otp.delivery.reports}; a {@code FAILED} one moves an escalating send on to its
     * next channel at once. Any other report changes nothing: a webhook should still answer it with a 2xx, so the
     * vendor stops retrying. A report is not remembered: the same report twice is counted twice (a vendor's retry, or a
     * replay within its signature's window), though it moves an escalation on once.
     *
     * <p>The engine trusts the report: check the vendor's signature before calling this (the Spring starter's webhooks
     * do), and name the vendor ({@link DeliveryReport#gateway()}) so that one vendor's webhook cannot speak for another's
     * messages.
     *
     * @param report the report
     * @return {@code true} if the message belongs to a code the store still holds, and to the vendor the report names
     * @throws NoConnectionException if the store cannot be reached
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if {@code report} is null
     */
    public boolean reportDelivery(DeliveryReport report) {
        Objects.requireNonNull(report, "report");
        ensureOpen();
        return reports.report(report);
    }

    /**
     * How many codes the engine's store holds, expired ones kept to answer {@code EXPIRED} included, for a gauge (an
     * estimate): always known for the in-process store; for a store given with {@link Builder#store}, if it can tell
     * cheaply ({@link OtpStore#pendingCodes()}).
     *
     * @return the count, or empty if the store cannot tell
     */
    public OptionalLong pendingCodes() {
        return store.pendingCodes();
    }

    /**
     * Whether the engine still takes requests: {@code false} once {@link #close()} was called.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Checks that the engine's store can be reached now, for a health check ({@link OtpStore#checkReachable()}):
     * always for the in-process store, a round trip for a shared one.
     *
     * @throws NoConnectionException if the store cannot be reached, within its own timeout
     */
    public void checkStore() {
        store.checkReachable();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Stops the engine and closes what it made itself, as Caffeine's caches do, and nothing it was given: later sends
     * and verifications throw {@link IllegalStateException}, the engine's own delivery threads stop once their current
     * deliveries end, the channels it discovered ({@link Builder#discoverChannels}) are closed, and the in-process
     * store is dropped. A channel given with {@link Builder#channel}, an executor given with {@link Builder#executor}
     * and a store given with {@link Builder#store} stay open: their owner closes them (other engines may share them).
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        escalator.close();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        ownChannels.forEach(ChannelDiscovery::closeQuietly);
        if (ownsStore) {
            store.close();
        }
        log.info("otpengine closed");
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the engine is closed");
        }
    }

    /**
     * Builds an {@link OtpEngine}. Setters check their values at once; checks that span settings run in
     * {@link #build()}, which does not change the builder.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final Map<UUID, Widget> widgets = new LinkedHashMap<>();
        private final List<Channel> channels = new ArrayList<>();
        private Map<String, String> discoverySettings;
        private ClassLoader discoveryLoader;
        private CaptchaVerifier captchaVerifier;
        private Clock clock;
        private final List<OtpListener> listeners = new ArrayList<>();
        private Executor executor;
        private byte[] secret;
        private Duration deliveryTimeout;
        private final Map<String, Duration> channelTimeouts = new HashMap<>();
        private final Map<Locale, String> templates = new HashMap<>();
        private Locale defaultLocale;
        private long maxPendingCodes = DEFAULT_MAX_PENDING_CODES;
        private boolean maxPendingCodesSet;
        private RateLimits rateLimits;
        private long maxRateLimitKeys = DEFAULT_MAX_RATE_LIMIT_KEYS;
        private boolean maxRateLimitKeysSet;
        private OtpStore store;

        private Builder() {
        }

        /**
         * Refuses a second call of a setter, as Caffeine's builders do: a second value would silently replace the
         * first, which is more often a mistake (two configuration sources) than a wish.
         */
        private static void unset(Object current, String setting) {
            if (current != null) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /**
         * Adds a widget; more can be added to the running engine with {@link OtpEngine#putWidget}.
         *
         * @param widget the widget
         * @return this builder
         * @throws IllegalArgumentException if a widget with the same id was already added
         * @throws NullPointerException if {@code widget} is null
         */
        public Builder widget(Widget widget) {
            Objects.requireNonNull(widget, "widget");
            if (widgets.putIfAbsent(widget.id(), widget) != null) {
                throw new IllegalArgumentException("widget " + widget.id() + " was already added");
            }
            return this;
        }

        /**
         * Adds a channel. It wins over a discovered channel with the same id. The channel stays the caller's: the
         * engine does not close it on {@link OtpEngine#close()} (it closes only the channels it discovered), so close it
         * after the engine, or share it between engines.
         *
         * @param channel the channel
         * @return this builder
         * @throws IllegalArgumentException if its id is malformed or taken by a channel already added
         * @throws NullPointerException if {@code channel} or its id is null
         */
        public Builder channel(Channel channel) {
            Objects.requireNonNull(channel, "channel");
            String id = Objects.requireNonNull(channel.id(), "channel.id()");
            if (!Channel.isValidId(id)) {
                throw new IllegalArgumentException(
                        "channel id must be lowercase letters, digits, - or _, at most 32: \"" + id + "\"");
            }
            if (channels.stream().anyMatch(c -> c.id().equals(id))) {
                throw new IllegalArgumentException("a channel with id " + id + " was already added");
            }
            channels.add(channel);
            return this;
        }

        /**
         * Finds channel plugins on the class path (or module path) with {@link java.util.ServiceLoader} and
         * creates their channels from settings keyed {@code <channelId>.<key>}, such as
         * {@code email.smtp.host}. A plugin given no settings at all is not used (one INFO line says so), so a jar
         * on the class path you did not configure does not stop the engine; one given some settings, or
         * {@code <channelId>.enabled=true}, must be configured fully, or {@link #build()} fails naming the missing
         * key. {@code <channelId>.enabled=false} leaves one out. Looks in this class's class loader.
         *
         * @param settings every channel's settings; copied
         * @return this builder
         * @throws NullPointerException if {@code settings}, or a key or value in it, is null
         * @throws IllegalStateException if discoverChannels was already called
         */
        public Builder discoverChannels(Map<String, String> settings) {
            return discoverChannels(settings, OtpEngine.class.getClassLoader());
        }

        /**
         * As {@link #discoverChannels(Map)}, looking for plugins in the given class loader.
         *
         * @param settings every channel's settings; copied
         * @param loader where to look for plugins
         * @return this builder
         * @throws NullPointerException if an argument, or a key or value in {@code settings}, is null
         * @throws IllegalStateException if discoverChannels was already called
         */
        public Builder discoverChannels(Map<String, String> settings, ClassLoader loader) {
            Objects.requireNonNull(settings, "settings");
            unset(discoverySettings, "discoverChannels");
            Map<String, String> copy = new LinkedHashMap<>();
            settings.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "settings key"),
                    Objects.requireNonNull(v, () -> "value of setting " + k)));
            this.discoverySettings = copy;
            this.discoveryLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Sets what checks captcha tokens for widgets that require one.
         *
         * @param captchaVerifier the verifier
         * @return this builder
         * @throws NullPointerException if {@code captchaVerifier} is null
         * @throws IllegalStateException if a captcha verifier was already set
         */
        public Builder captchaVerifier(CaptchaVerifier captchaVerifier) {
            Objects.requireNonNull(captchaVerifier, "captchaVerifier");
            unset(this.captchaVerifier, "captchaVerifier");
            this.captchaVerifier = captchaVerifier;
            return this;
        }

        /**
         * Sets the clock all expiry follows; {@link Clock#systemUTC()} unless set. Tests pass a clock they move.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         * @throws IllegalStateException if a clock was already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            unset(this.clock, "clock");
            this.clock = clock;
            return this;
        }

        /**
         * Adds a listener; listeners are called in the order added.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(OtpListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets where channel calls start. Unless set, the engine keeps its own pool of up to
         * {@value #DELIVERY_THREADS} daemon threads, stopped by {@link OtpEngine#close()}; an executor given here
         * is not shut down by the engine.
         *
         * @param executor the executor
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         * @throws IllegalStateException if an executor was already set
         */
        public Builder executor(Executor executor) {
            Objects.requireNonNull(executor, "executor");
            unset(this.executor, "executor");
            this.executor = executor;
            return this;
        }

        /**
         * Sets the key codes are hashed with. Unless set, each engine draws a random one, which is right for a
         * single process; engines that share stored codes must share the secret.
         *
         * @param secret at least 32 bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if shorter than 32 bytes
         * @throws NullPointerException if {@code secret} is null
         * @throws IllegalStateException if a secret was already set
         */
        public Builder secret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            unset(this.secret, "secret");
            if (secret.length < CodeHasher.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("secret must be at least " + CodeHasher.MIN_SECRET_LENGTH
                        + " bytes: " + secret.length);
            }
            this.secret = secret.clone();
            return this;
        }

        /**
         * Sets how long any channel may take to accept a message before it counts as failed (retryable);
         * {@link OtpEngine#DEFAULT_DELIVERY_TIMEOUT ten seconds} unless set.
         *
         * @param timeout positive, at most five minutes
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalStateException if the delivery timeout was already set
         */
        public Builder deliveryTimeout(Duration timeout) {
            Duration checked = checkTimeout(timeout);
            unset(this.deliveryTimeout, "deliveryTimeout");
            this.deliveryTimeout = checked;
            return this;
        }

        /**
         * Sets how long one channel may take, over {@link #deliveryTimeout(Duration)}.
         *
         * @param channelId the channel's id
         * @param timeout positive, at most five minutes
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if an argument is null
         * @throws IllegalStateException if this channel's timeout was already set
         */
        public Builder deliveryTimeout(String channelId, Duration timeout) {
            Objects.requireNonNull(channelId, "channelId");
            Duration checked = checkTimeout(timeout);
            unset(channelTimeouts.get(channelId), "deliveryTimeout of channel " + channelId);
            channelTimeouts.put(channelId, checked);
            return this;
        }

        private static Duration checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("timeout must be positive and at most PT5M: " + timeout);
            }
            return timeout;
        }

        /**
         * Sets the engine's text for one locale, over the class path's files ({@code otpengine-texts_<locale>.properties})
         * and the built-in texts in 16 languages; a widget's own template, and a widget's text in a class path file,
         * win over it. Variants and extensions of the locale are dropped.
         *
         * @param locale the locale
         * @param template the text with {@code {code}}, and optionally {@code {name}} and {@code {minutes}}
         * @return this builder
         * @throws IllegalArgumentException if the template lacks {@code {code}}, has an unknown placeholder or a
         *     control character other than a line feed, or is longer than 1000 characters; or the locale names no
         *     language
         * @throws NullPointerException if an argument is null
         * @throws IllegalStateException if a template was already set for this locale
         */
        public Builder template(Locale locale, String template) {
            Objects.requireNonNull(locale, "locale");
            String checked = TextTemplates.check(template);
            Locale key = TextTemplates.key(locale);
            unset(templates.get(key), "template of locale " + key.toLanguageTag());
            templates.put(key, checked);
            return this;
        }

        /**
         * Sets the locale used when a request names none, or one no template covers; English unless set.
         *
         * @param locale the locale; a template must cover it by {@link #build()}
         * @return this builder
         * @throws NullPointerException if {@code locale} is null
         * @throws IllegalStateException if the default locale was already set
         */
        public Builder defaultLocale(Locale locale) {
            Objects.requireNonNull(locale, "locale");
            unset(this.defaultLocale, "defaultLocale");
            this.defaultLocale = locale;
            return this;
        }

        /**
         * Sets how many codes the in-process store keeps at most, expired ones within their
         * {@linkplain OtpStore#EXPIRED_RETENTION retention} included; {@value OtpEngine#DEFAULT_MAX_PENDING_CODES}
         * unless set. The bound is a memory safety valve: a send that finds the store full is refused with
         * {@link RateLimitException} of scope {@link RateLimitException.Scope#PENDING_CODES} (logged at WARN and
         * reported to listeners), and codes already pending are never pushed out to make room. Under 300 bytes of
         * heap per pending code (see BENCHMARKS.md), so the default bound is under 300 MB.
         *
         * @param maxPendingCodes positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if maxPendingCodes was already set
         */
        public Builder maxPendingCodes(long maxPendingCodes) {
            if (maxPendingCodes < 1) {
                throw new IllegalArgumentException("maxPendingCodes must be positive: " + maxPendingCodes);
            }
            if (maxPendingCodesSet) {
                throw new IllegalStateException("maxPendingCodes was already set");
            }
            this.maxPendingCodes = maxPendingCodes;
            this.maxPendingCodesSet = true;
            return this;
        }

        /**
         * Sets the rate limits of widgets that have none of their own; {@link RateLimits#defaults()} unless set.
         *
         * @param rateLimits the limits; {@link RateLimits#unlimited()} for none
         * @return this builder
         * @throws NullPointerException if {@code rateLimits} is null
         * @throws IllegalStateException if rate limits were already set
         */
        public Builder rateLimits(RateLimits rateLimits) {
            Objects.requireNonNull(rateLimits, "rateLimits");
            unset(this.rateLimits, "rateLimits");
            this.rateLimits = rateLimits;
            return this;
        }

        /**
         * Sets how many buckets each rate-limit scope of the in-process store holds at most (one per IP network,
         * recipient address or widget); {@value OtpEngine#DEFAULT_MAX_RATE_LIMIT_KEYS} unless set. A bucket left alone
         * until its limits are full again is dropped by itself. The bound is shared out equally among ten tiers by load
         * (the most calls any window of a bucket holds: 1, 2–3, 4–7, …, 256–511, 512 or more), so a flood of keys each
         * holding {@code k} calls can only push out buckets holding fewer than {@code 2k}, and keys are hashed with a
         * secret so that no attacker-chosen key can aim at another's place. Each of the six scopes has its own buckets,
         * so a flood of one kind of key never pushes out another kind. About 430 bytes per bucket held. Below ten each
         * tier still holds one bucket.
         *
         * @param maxKeys from 1 to {@value OtpEngine#MAX_RATE_LIMIT_KEYS}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if maxRateLimitKeys was already set
         */
        public Builder maxRateLimitKeys(long maxKeys) {
            if (maxKeys < 1 || maxKeys > MAX_RATE_LIMIT_KEYS) {
                throw new IllegalArgumentException("maxRateLimitKeys must be from 1 to " + MAX_RATE_LIMIT_KEYS + ": "
                        + maxKeys);
            }
            if (maxRateLimitKeysSet) {
                throw new IllegalStateException("maxRateLimitKeys was already set");
            }
            this.maxRateLimitKeys = maxKeys;
            this.maxRateLimitKeysSet = true;
            return this;
        }

        /**
         * Keeps the engine's state (pending codes, rate-limit counters, blocked widgets) in a store instead of in
         * process, as {@code otpengine-redis}'s {@code RedisStore} does for engines on several hosts. The engine does
         * not close the store: close it after every engine using it.
         *
         * @param store the store
         * @return this builder
         * @throws IllegalStateException if a store was already set
         * @throws NullPointerException if {@code store} is null
         */
        public Builder store(OtpStore store) {
            Objects.requireNonNull(store, "store");
            unset(this.store, "store");
            this.store = store;
            return this;
        }

        /**
         * Builds the engine: discovers channels if asked to, and checks that everything fits together.
         *
         * @return a running engine
         * @throws IllegalStateException if the engine would have no channel, a widget names a channel the engine
         *     does not have or requires a captcha without a verifier, a channel timeout names an unknown channel,
         *     no template covers the default locale, or a channel plugin fails to start
         * @throws ChannelConfigurationException if a discovered channel's settings lack a required key or hold a
         *     malformed value, or a channel's own timeouts do not fit its delivery timeout
         *     ({@link dev.otpengine.spi.Channel#checkDeliveryTimeout}); the message names the key
         */
        public OtpEngine build() {
            Map<String, Channel> all = new LinkedHashMap<>();
            channels.forEach(c -> all.put(c.id(), c));
            List<Channel> discovered = discoverySettings == null ? List.of()
                    : ChannelDiscovery.discover(discoverySettings, discoveryLoader, Set.copyOf(all.keySet()),
                            clock != null ? clock : Clock.systemUTC());
            discovered.forEach(c -> all.put(c.id(), c));
            try {
                if (all.isEmpty()) {
                    throw new IllegalStateException("no channel is registered: add otpengine-channels-sms or "
                            + "otpengine-channels-email to the class path and call discoverChannels(settings) with "
                            + "its settings (a plugin given none is not used), or call channel(...)");
                }
                for (String id : channelTimeouts.keySet()) {
                    if (!all.containsKey(id)) {
                        throw new IllegalStateException("deliveryTimeout names channel " + id
                                + ", which the engine does not have; it has " + all.keySet());
                    }
                }
                for (Channel channel : all.values()) {
                    channel.checkDeliveryTimeout(channelTimeouts.getOrDefault(channel.id(),
                            deliveryTimeout != null ? deliveryTimeout : DEFAULT_DELIVERY_TIMEOUT));
                }
                checkStore();
                OtpEngine engine;
                try {
                    engine = new OtpEngine(EngineParts.assemble(settings(Collections.unmodifiableMap(all)),
                            DELIVERY_THREADS), discovered);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                log.info("otpengine started with channels {} and {} widget(s)", all.keySet(), widgets.size());
                return engine;
            } catch (RuntimeException e) {
                discovered.forEach(ChannelDiscovery::closeQuietly);
                throw e;
            }
        }

        private void checkStore() {
            if (store == null) {
                return;
            }
            if (maxPendingCodesSet || maxRateLimitKeysSet) {
                throw new IllegalStateException((maxPendingCodesSet ? "maxPendingCodes" : "maxRateLimitKeys")
                        + " bounds the in-process store, but a store was given with store(...): set its bounds on "
                        + "that store instead");
            }
            if (store.isShared() && secret == null) {
                throw new IllegalStateException("a shared store needs the same secret on every engine: call "
                        + "secret(...) with at least " + CodeHasher.MIN_SECRET_LENGTH + " bytes, or engines would "
                        + "reject each other's codes");
            }
        }

        private EngineSettings settings(Map<String, Channel> all) {
            return new EngineSettings(all, List.copyOf(widgets.values()), captchaVerifier,
                    clock != null ? clock : Clock.systemUTC(), List.copyOf(listeners), executor, secret,
                    deliveryTimeout != null ? deliveryTimeout : DEFAULT_DELIVERY_TIMEOUT, Map.copyOf(channelTimeouts),
                    Map.copyOf(templates), defaultLocale != null ? defaultLocale : Locale.ENGLISH, store,
                    maxPendingCodes, rateLimits != null ? rateLimits : RateLimits.defaults(), maxRateLimitKeys);
        }
    }
}
