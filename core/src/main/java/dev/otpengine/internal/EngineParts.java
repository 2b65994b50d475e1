package dev.otpengine.internal;

import dev.otpengine.OtpListener;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.TextBundle;
import dev.otpengine.store.OtpStore;

import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * An engine's working parts, assembled once from its settings: its store (the one given, or an in-process one it
 * owns), the rate limits over that store, the send and verify paths, and its own delivery threads if it has them.
 *
 * @param channels every channel by id, in registration order
 * @param widgets the widgets
 * @param store where state is kept
 * @param ownsStore whether the engine made the store, and so closes it
 * @param ownExecutor the engine's own delivery threads, or {@code null} if the application gave an executor
 * @param send the send path
 * @param verify the verify path
 * @param refusals reports refusals, for requests refused before either path sees them
 * @param reports takes delivery reports
 * @param escalator runs escalation steps
 */
public record EngineParts(Map<String, Channel> channels, WidgetRegistry widgets, OtpStore store, boolean ownsStore,
                          ExecutorService ownExecutor, SendPath send, VerifyPath verify, Refusals refusals,
                          ReportPath reports, Escalator escalator) {

    /**
     * Assembles an engine.
     *
     * @param s the settings
     * @param maxDeliveryThreads the ceiling of the engine's own delivery threads
     * @return the parts
     * @throws IllegalArgumentException if a widget does not fit the engine (an unknown channel, a captcha without a
     *     verifier) or no template covers the default locale
     */
    public static EngineParts assemble(EngineSettings s, int maxDeliveryThreads) {
        OtpListener listener = Listeners.of(s.listeners());
        TextTemplates texts = new TextTemplates(s.templates(), s.defaultLocale(), TextBundle.onClassPath());
        ThreadLocalSecureRandom random = new ThreadLocalSecureRandom();
        byte[] secret = s.secret();
        if (secret == null) {
            secret = new byte[CodeHasher.MIN_SECRET_LENGTH];
            random.nextBytes(secret);
        }
        CodeHasher hasher = new CodeHasher(secret);
        WidgetRegistry widgets = new WidgetRegistry(s.channels(), s.captchaVerifier() != null);
        s.widgets().forEach(widgets::put);
        boolean ownsStore = s.store() == null;
        OtpStore store = ownsStore ? new InProcessStore(s.clock(), s.maxPendingCodes(), s.maxRateLimitKeys()) : s.store();
        RequestGuard guard = new RateLimiter(s.rateLimits(), store, s.clock(), listener, (widget, phone) -> {
            // the toll-fraud guard's rooms by the region the widget's phone channels read (Guernsey is not Britain)
            WidgetRegistry.Entry entry = widget == null ? null : widgets.find(widget.id());
            return entry == null ? Map.of() : AddressReader.regionFacts(entry.channels(), phone);
        });
        ExecutorService ownExecutor = s.executor() == null ? DeliveryThreads.pool(maxDeliveryThreads) : null;
        DeliveryRunner deliveries = new DeliveryRunner(ownExecutor != null ? ownExecutor : s.executor(),
                s.deliveryTimeout(), s.channelTimeouts());
        Refusals refusals = new Refusals(s.clock(), listener);
        Escalator escalator = new Escalator(s.clock(), widgets, store, s.channels(), new CodeSealer(secret, random),
                texts, deliveries, guard, listener);
        s.widgets().forEach(escalator::watch);
        SendPath send = new SendPath(s.clock(), widgets, store, s.captchaVerifier(), guard,
                new CodeGenerator(random), hasher, texts, deliveries, listener, refusals, escalator);
        VerifyPath verify = new VerifyPath(s.clock(), widgets, store, guard, hasher, listener, refusals);
        return new EngineParts(s.channels(), widgets, store, ownsStore, ownExecutor, send, verify, refusals,
                new ReportPath(s.clock(), store, listener, escalator), escalator);
    }
}
