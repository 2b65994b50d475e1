package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.otpengine.ConversionGuard;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimits;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncCommandExecutor;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.CommandExecutor;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteAsyncBucketBuilder;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.OptimizationListener;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.RemoteCommand;
import io.github.bucket4j.distributed.remote.commands.CreateInitialStateAndExecuteCommand;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestGuard} that enforces {@link RateLimits} with Bucket4j buckets kept by the engine's
 * {@link OtpStore}, one proxy manager per scope.
 *
 * <p>A send takes one call from its IP (an IPv6 address also from its wider network), then from its widget, then
 * from the cooldown and limits of each recipient address; a verification from its IP (and network), then from the
 * guess budget of each address its code went to, which is given back unless the guess turns out wrong. The IP and
 * widget come first so that a request they refuse learns nothing about any recipient. When a check refuses, the
 * calls taken before it in the same request are given back, but for one: a request refused for its recipient keeps
 * its IP's call, so that probing recipients (has this phone had a code in the last 30 seconds? is its guess budget
 * spent?) costs the prober.
 *
 * <p>On a shared store whose proxy managers have an asynchronous API (Redis), the calls of one group go out at once, in
 * waves that keep that order's meaning: the requester's (IP, network, widget), then the recipient's (cooldowns, limits,
 * the toll-fraud guard's country), so that a requester refused never touches a recipient's counters; a refusal gives
 * back every call of its wave, which is what the one-by-one order would have taken and given back or never taken,
 * and the first refusal in that order is the answer. A verification's guess budget is given back while a verified
 * phone is credited. In process, each call is made one after another, as it costs no round trip.
 *
 * <p>A bucket's key is {@code <limits fingerprint>|<widget id>|<address kind>|<address>} (an IP network's kind is
 * {@code ip}; the widget's own bucket has no address part), so widgets never share a bucket and a widget whose limits
 * change starts afresh.
 */
public final class RateLimiter implements RequestGuard {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final RateLimits defaults;
    private final Budgets defaultBudgets;
    private final Cache<RateLimits, Budgets> compiled = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final Counter widgets;
    private final Counter cooldowns;
    private final Counter recipients;
    private final Counter sendIps;
    private final Counter verifyIps;
    private final Counter guesses;
    private final Counter conversions;
    /** Whether the calls of one group go out at once: a shared store with asynchronous buckets. */
    private final boolean waves;
    private final Clock clock;
    private final OtpListener listener;
    private final PhoneFacts phoneFacts;
    /**
     * The countries cut off lately, by widget, each kept for its guard's window: a cut-off is logged and reported once
     * per window, not once per refused send. Keys are widget and calling code, at most a thousand per widget.
     */
    private final Cache<String, Duration> cutOff;
    /**
     * In waves only: the requesters (widget and IP) this engine saw refused by their IP's or network's limit lately,
     * each kept until its retry-after. Their next send asks the IP alone before the widget, so that a refused requester
     * hammering the engine never holds the widget's calls in flight (the wave gives a refused requester's widget call
     * back only once answered, and enough of them in flight would spend the widget's limit for everyone). At most
     * {@value #MAX_REFUSED_REQUESTERS}.
     */
    private final Cache<String, Duration> refusedRequesters;
    /** The most requesters {@link #refusedRequesters} remembers: {@value}. */
    static final int MAX_REFUSED_REQUESTERS = 10_000;

    /**
     * What the toll-fraud guard judges a phone by: the facts the widget's phone channels read for it (its region, the
     * main country of its calling code), or none.
     */
    public interface PhoneFacts {

        /** No facts: every phone is judged by its calling code. */
        PhoneFacts NONE = (widget, phone) -> Map.of();

        /**
         * The facts of a phone.
         *
         * @param widget the widget the phone is sent to, or {@code null} if unknown
         * @param phone the phone, E.164
         * @return its facts ({@link AddressReading#facts()}); empty if none
         */
        Map<String, String> of(Widget widget, String phone);
    }

    /**
     * The toll-fraud guard of some limits: a range's and a region's room for unverified sends, in
     * {@link Budget#TOKENS_PER_SEND}ths of a send so that a verification can give back a fraction, and the marks of
     * phones that verified lately.
     */
    private record Conversion(ConversionGuard guard, Bound range, Bound region, Bound verifiedPhone) {

        /** What a verified code gives back: a send's tokens divided by the share that must come back verified. */
        long credit() {
            return Math.round(Budget.TOKENS_PER_SEND / guard.minVerifiedShare());
        }
    }

    /** {@link RateLimits} compiled for Bucket4j, scope by scope; {@code null} where a scope has no limit. */
    private final class Budgets {
        final Bound widget;
        final Bound widgetFree;
        final Bound cooldown;
        final Bound recipient;
        final Bound ip;
        final Bound verifyIp;
        final Bound guesses;
        final Bound ipNetwork;
        final Bound verifyIpNetwork;
        final Conversion conversion;
        final RateLimits limits;
        /** No send limit at all: a send costs the limiter nothing. */
        final boolean none;

        Budgets(RateLimits limits) {
            this.limits = limits;
            this.ipNetwork = Bound.of(sendIps, Budget.of(limits.perIpNetwork()));
            this.verifyIpNetwork = Bound.of(verifyIps, Budget.of(limits.verifyPerIpNetwork()));
            this.widget = Bound.of(widgets, Budget.of(limits.perWidget()));
            this.widgetFree = Bound.of(widgets, Budget.of(limits.perWidgetFree()));
            this.cooldown = Bound.of(cooldowns, Budget.cooldown(limits.resendCooldown()));
            this.recipient = Bound.of(recipients, Budget.of(limits.perRecipient()));
            this.ip = Bound.of(sendIps, Budget.of(limits.perIp()));
            this.verifyIp = Bound.of(verifyIps, Budget.of(limits.verifyPerIp()));
            this.guesses = Bound.of(RateLimiter.this.guesses, Budget.of(limits.verifyFailuresPerRecipient()));
            this.conversion = limits.countryConversion().map(g -> new Conversion(g,
                    Bound.of(conversions, Budget.conversion(g)), Bound.of(conversions, Budget.conversionRegion(g)),
                    Bound.of(conversions, Budget.remembered(g)))).orElse(null);
            this.none = widget == null && widgetFree == null && cooldown == null && recipient == null && ip == null && ipNetwork == null
                    && conversion == null;
        }
    }

    /**
     * One scope's budget with the builder of its buckets, which creates a missing bucket in the same step as the
     * command that finds it missing: Bucket4j's own proxy would first run the command, learn the bucket is missing,
     * and run it again wrapped in a creating command, two steps (one more round trip to a remote store) for every new
     * key, and most keys of a flood are new.
     */
    private record Bound(Counter counter, Budget budget, RemoteBucketBuilder<String> buckets,
                         RemoteAsyncBucketBuilder<String> asyncBuckets) {

        static Bound of(Counter counter, Budget budget) {
            if (budget == null) {
                return null;
            }
            CreatedOnFirstUse created = new CreatedOnFirstUse(budget.configuration());
            return new Bound(counter, budget, counter.manager.builder().withOptimization(created),
                    counter.async ? counter.manager.asAsync().builder().withOptimization(created) : null);
        }
    }

    /** Wraps each command of a bucket so that it creates the bucket if missing; see {@link Bound}. */
    private static final class CreatedOnFirstUse implements Optimization {

        private final BucketConfiguration configuration;

        CreatedOnFirstUse(BucketConfiguration configuration) {
            this.configuration = configuration;
        }

        private <T> RemoteCommand<T> creating(RemoteCommand<T> command) {
            return command.isInitializationCommand() ? command
                    : new CreateInitialStateAndExecuteCommand<>(configuration, command);
        }

        @Override
        public CommandExecutor apply(CommandExecutor executor) {
            return new CommandExecutor() {
                @Override
                public <T> CommandResult<T> execute(RemoteCommand<T> command) {
                    return executor.execute(creating(command));
                }
            };
        }

        @Override
        public AsyncCommandExecutor apply(AsyncCommandExecutor executor) {
            return new AsyncCommandExecutor() {
                @Override
                public <T> CompletableFuture<CommandResult<T>> executeAsync(RemoteCommand<T> command) {
                    return executor.executeAsync(creating(command));
                }
            };
        }

        @Override
        public Optimization withListener(OptimizationListener listener) {
            return this;
        }
    }

    /**
     * A limiter.
     *
     * @param defaults the limits of widgets that have none of their own
     * @param store where the buckets are kept
     * @param clock the engine's clock, which every refill follows
     * @param listener told of each country the toll-fraud guard cuts off
     */
    public RateLimiter(RateLimits defaults, OtpStore store, Clock clock, OtpListener listener) {
        this(defaults, store, clock, listener, PhoneFacts.NONE);
    }

    /**
     * A limiter whose toll-fraud guard tells a phone's region apart within its calling code.
     *
     * @param defaults the limits of widgets that have none of their own
     * @param store where the buckets are kept
     * @param clock the engine's clock, which every refill follows
     * @param listener told of each country the toll-fraud guard cuts off
     * @param phoneFacts the facts of a phone, as the widget's phone channels read it
     */
    public RateLimiter(RateLimits defaults, OtpStore store, Clock clock, OtpListener listener, PhoneFacts phoneFacts) {
        TimeMeter meter = new ClockTimeMeter(clock);
        this.phoneFacts = phoneFacts;
        this.defaults = defaults;
        this.clock = clock;
        this.listener = listener;
        this.widgets = new Counter(Scope.WIDGET, store, meter);
        this.cooldowns = new Counter(Scope.RESEND_COOLDOWN, store, meter);
        this.recipients = new Counter(Scope.RECIPIENT, store, meter);
        this.sendIps = new Counter(Scope.IP, store, meter);
        this.verifyIps = new Counter(Scope.VERIFY_IP, store, meter);
        this.guesses = new Counter(Scope.VERIFY_FAILURES, store, meter);
        this.conversions = new Counter(Scope.COUNTRY_CONVERSION, store, meter);
        this.waves = store.isShared() && List.of(widgets, cooldowns, recipients, sendIps, verifyIps, guesses, conversions)
                .stream().allMatch(c -> c.async);
        this.cutOff = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run)
                .ticker(meter::currentTimeNanos)
                .expireAfter(Expiry.creating((String key, Duration window) -> window)).build();
        this.refusedRequesters = Caffeine.newBuilder().maximumSize(MAX_REFUSED_REQUESTERS).executor(Runnable::run)
                .ticker(meter::currentTimeNanos)
                .expireAfter(Expiry.creating((String key, Duration retryAfter) -> retryAfter)).build();
        this.defaultBudgets = new Budgets(defaults);
    }

    /** The engine's limits come ready; only a widget's own go through the cache (a read of it costs a buffer write). */
    private Budgets budgets(Widget widget) {
        RateLimits limits = widget == null ? defaults : widget.rateLimits().orElse(defaults);
        return limits == defaults ? defaultBudgets : compiled.get(limits, Budgets::new);
    }

    @Override
    public boolean limitsSends(Widget widget) {
        return !budgets(widget).none;
    }

    @Override
    public boolean limitsVerifies(Widget widget) {
        Budgets b = budgets(widget);
        return b.verifyIp != null || b.verifyIpNetwork != null || b.guesses != null || b.conversion != null;
    }

    @Override
    public Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient) {
        return beforeSend(widget, recipient, userIp, testRecipient, Permit.NONE);
    }

    /** The IP's calls a requester made before its captcha was checked. */
    private static final class RequesterPermit implements Permit {
        final Taken ip;

        RequesterPermit(Taken ip) {
            this.ip = ip;
        }

        @Override
        public void release() {
            ip.releaseAll();
        }
    }

    @Override
    public Permit beforeCaptcha(Widget widget, String userIp) {
        Budgets b = budgets(widget);
        if (b.none || userIp == null) {
            return Permit.NONE;
        }
        Taken ip = new Taken();
        try {
            Wave wave = new Wave();
            takeIp(wave, ip, b.ip, b.ipNetwork, widget.id().toString(), userIp, b.limits);
            wave.join();
        } catch (RuntimeException e) {
            ip.releaseAll(e);
            throw e;
        }
        return new RequesterPermit(ip);
    }

    @Override
    public Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient,
                             Permit requester) {
        return beforeSend(widget, recipient, userIp, testRecipient, true, requester);
    }

    @Override
    public Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient, boolean paid,
                             Permit requester) {
        return beforeSend(widget, recipient, userIp, testRecipient, paid, requester, () -> { });
    }

    @Override
    public Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient, boolean paid,
                             Permit requester, Runnable afterRequester) {
        Budgets b = budgets(widget);
        if (b.none) {
            afterRequester.run();
            return Permit.NONE;
        }
        String widgetId = widget.id().toString();
        // The IP and the widget first: a send they refuse learns nothing about any recipient. An IP already counted
        // before a captcha is not counted again.
        Taken ip = requester instanceof RequesterPermit ? ((RequesterPermit) requester).ip : new Taken();
        Taken widgetCall = new Taken();
        String[] requesterKeys = null;
        try {
            Wave wave = new Wave();
            if (userIp != null && !(requester instanceof RequesterPermit)) {
                takeIp(wave, ip, b.ip, b.ipNetwork, widgetId, userIp, b.limits);
                if (waves) {
                    requesterKeys = requesterKeys(widgetId, userIp, b.limits);
                    if (refusedRequesters.getIfPresent(requesterKeys[0]) != null
                            || requesterKeys.length > 1 && refusedRequesters.getIfPresent(requesterKeys[1]) != null) {
                        wave.join(); // refused lately: its IP answers before the widget is asked
                        wave = new Wave();
                    }
                }
            }
            // a send only free channels carry spends the widget's free budget, never the one guarding paid sends
            wave.add(widgetCall, paid ? b.widget : b.widgetFree, widgetId, paid ? "" : "free");
            wave.join();
            afterRequester.run();
        } catch (RuntimeException e) {
            widgetCall.releaseAll(e);
            ip.releaseAll(e);
            if (requesterKeys != null && e instanceof RateLimitException refusal
                    && (refusal.scope() == Scope.IP) && !refusal.retryAfter().isZero()) {
                for (String key : requesterKeys) { // an IPv6 address's /64 and /48 both: new addresses hold nothing
                    refusedRequesters.put(key, refusal.retryAfter());
                }
            }
            throw e;
        }
        Taken recipientCalls = new Taken();
        RateLimitException withheld = null;
        try {
            Wave wave = new Wave();
            if (b.cooldown != null || b.recipient != null) {
                List<String> addresses = addressParts(recipient);
                for (String address : addresses) {
                    wave.add(recipientCalls, b.cooldown, widgetId, address);
                }
                for (String address : addresses) {
                    wave.add(recipientCalls, b.recipient, widgetId, address);
                }
            }
            String phone = b.conversion != null && !testRecipient ? recipient.phone().orElse(null) : null;
            Room room = null;
            if (phone != null) {
                // the phone's room and mark read while the wave's calls are answered (a read changes nothing); the
                // rooms themselves are taken only once the cooldown and the recipient's limit let the send through, so
                // that a send those refuse never touches the guard's rooms nor reports a cut-off
                room = judgedRoom(b.conversion, widget, phone);
            }
            wave.join();
            if (room != null) {
                Duration cutFor = takeRooms(recipientCalls, b.conversion, widget, room);
                if (cutFor != null) {
                    withheld = new RateLimitException(Scope.COUNTRY_CONVERSION, cutFor);
                }
            }
        } catch (RuntimeException e) {
            // Refused for its recipient: the widget's call is given back, the IP's is not, so that asking about
            // recipients (has this phone had a code in the last 30 s?) costs the asker's own budget.
            recipientCalls.releaseAll(e);
            widgetCall.releaseAll(e);
            throw e;
        }
        if (withheld == null && ip.isEmpty() && widgetCall.isEmpty() && recipientCalls.isEmpty()) {
            return Permit.NONE;
        }
        RateLimitException refusal = withheld;
        return new Permit() {
            @Override
            public void release() {
                recipientCalls.releaseAll();
                widgetCall.releaseAll();
                ip.releaseAll();
            }

            @Override
            public RateLimitException withheld() {
                return refusal;
            }
        };
    }

    @Override
    public void beforeEscalation(Widget widget, String phone) {
        Budgets b = budgets(widget);
        if (b.conversion != null) {
            // nothing to give back: the step is sent or not; a step into a cut-off range is not sent, whoever asks
            Duration cutFor = takeRange(new Taken(), b.conversion, widget, phone);
            if (cutFor != null) {
                throw new RateLimitException(Scope.COUNTRY_CONVERSION, cutFor);
            }
        }
    }

    /**
     * The rooms a phone is judged in ({@link ConversionGuard}): its region (as the widget's phone channels read it, else
     * its calling code) and its range (the region and the leading digits of its national number), or {@code null} if
     * the guard does not judge it (no calling code, or a trusted country).
     */
    private record Room(int callingCode, String region, String range) {

        String regionKey() {
            return "rr|" + region;
        }

        String rangeKey() {
            return "rg|" + region + '|' + range;
        }
    }

    private Room roomOf(ConversionGuard guard, Widget widget, String phone) {
        int callingCode = CallingCodes.of(phone);
        if (callingCode < 0) {
            return null;
        }
        Map<String, String> facts;
        try {
            facts = phoneFacts.of(widget, phone);
        } catch (RuntimeException e) {
            facts = Map.of(); // judged by its calling code, the coarser room
        }
        String read = facts.get(AddressReading.REGION);
        // no country (001, +800) or no reading: the calling code is the region
        String region = AddressReader.isRegion(read) && !read.equals("001") ? read : null;
        String main = facts.get(AddressReading.MAIN_REGION);
        // a calling code is trusted for its main country only; a number whose region was read but not its main country's
        // is not trusted by its calling code, and one with no reading at all is (nothing tells its territories apart)
        boolean trusted = region != null && guard.trustedRegions().contains(region)
                || guard.trustedCallingCodes().contains(callingCode) && (read == null || region != null && region.equals(main));
        if (trusted) {
            return null;
        }
        String national = phone.substring(1 + Integer.toString(callingCode).length());
        return new Room(callingCode, region != null ? region : "+" + callingCode,
                national.substring(0, Math.min(guard.rangeDigits(), national.length())));
    }

    /**
     * Takes a send from the rooms of the phone's range and region, unless the guard does not judge the phone or it
     * verified a code of the widget lately: a returning user is neither counted nor refused, so that real users keep
     * logging in through an attack on their range and their verifications fund no one else's sends.
     *
     * @return {@code null} if the send may go; else how long until one more would, having taken nothing (or, if the
     *     guard {@linkplain ConversionGuard#refusesOpenly refuses openly}, throws)
     * @throws RateLimitException if the guard refuses openly and a room is spent
     */
    private Duration takeRange(Taken taken, Conversion conversion, Widget widget, String phone) {
        Room room = judgedRoom(conversion, widget, phone);
        return room == null ? null : takeRooms(taken, conversion, widget, room);
    }

    /**
     * The rooms a send to the phone is judged in, or {@code null} if the guard does not judge it: no calling code, a
     * trusted country, or a phone that verified a code of the widget lately (its mark read, nothing taken).
     */
    private Room judgedRoom(Conversion conversion, Widget widget, String phone) {
        Room room = roomOf(conversion.guard(), widget, phone);
        return room == null || verifiedLately(conversion, widget.id().toString(), phone) ? null : room;
    }

    /** Takes a send from the room's range and region; see {@link #takeRange}. */
    private Duration takeRooms(Taken taken, Conversion conversion, Widget widget, Room room) {
        String widgetId = widget.id().toString();
        if (waves) {
            // both rooms at once; a refusal gives back what the one-by-one order below would not have taken
            Wave wave = new Wave();
            wave.add(taken, conversion.range(), widgetId, room.rangeKey(), Budget.TOKENS_PER_SEND);
            wave.add(taken, conversion.region(), widgetId, room.regionKey(), Budget.TOKENS_PER_SEND);
            ConsumptionProbe[] probes = wave.probes();
            if (!probes[0].isConsumed()) {
                if (probes[1].isConsumed()) {
                    taken.releaseLast(); // the region's send
                }
                return cut(conversion, widget, room, true, probes[0]);
            }
            if (!probes[1].isConsumed()) {
                taken.releaseLast(); // the range's send
                return cut(conversion, widget, room, false, probes[1]);
            }
            return null;
        }
        ConsumptionProbe range = taken.tryAcquire(conversion.range(), widgetId, room.rangeKey(), Budget.TOKENS_PER_SEND);
        if (!range.isConsumed()) {
            return cut(conversion, widget, room, true, range);
        }
        ConsumptionProbe region = taken.tryAcquire(conversion.region(), widgetId, room.regionKey(),
                Budget.TOKENS_PER_SEND);
        if (!region.isConsumed()) {
            taken.releaseLast(); // the range's send: nothing of a send that does not go is taken
            return cut(conversion, widget, room, false, region);
        }
        return null;
    }

    /** A spent room: logged and reported once per room and window; refused openly, or how long to withhold for. */
    private Duration cut(Conversion conversion, Widget widget, Room room, boolean range, ConsumptionProbe probe) {
        Duration retryAfter = Duration.ofNanos(probe.getNanosToWaitForRefill());
        String widgetId = widget.id().toString();
        String key = widgetId + '|' + (range ? room.rangeKey() : room.regionKey());
        if (cutOff.asMap().putIfAbsent(key, conversion.guard().window()) == null) {
            log.warn("toll-fraud guard: widget {} cuts off sends to {} {}: too few of its codes there were verified "
                    + "lately ({}); next send in {}", widgetId, range ? "range" : "region",
                    range ? room.region() + ' ' + room.range() : room.region(), conversion.guard(), retryAfter);
            listener.onCountryCutOff(new OtpEvent.CountryCutOff(clock.instant(), widget.id(), room.callingCode(),
                    retryAfter, room.region(), range ? room.range() : null));
        }
        if (conversion.guard().refusesOpenly()) {
            throw new RateLimitException(Scope.COUNTRY_CONVERSION, retryAfter);
        }
        return retryAfter;
    }

    /**
     * Whether the phone verified a code of the widget within the guard's memory: it has a mark, not yet refilled (see
     * {@link Budget#remembered}). Sends do not wear a mark out: anyone may ask for codes to a phone, and a mark that
     * sends spent would let anyone withhold a returning user's codes during a cut-off. Most phones have no mark, and
     * asking whether a bucket exists creates none.
     */
    private static boolean verifiedLately(Conversion conversion, String widgetId, String phone) {
        Bound marks = conversion.verifiedPhone();
        String key = key(marks, widgetId, "vp|" + phone);
        // never marked, or the mark refilled: rememberVerified since the last verification
        return marks.counter().manager.getProxyConfiguration(key).isPresent()
                && marks.buckets().build(key, marks.budget().supplier()).getAvailableTokens() < Budget.MARK_TOKENS;
    }

    /**
     * After a verified code sent to the phone alone: the phone is marked as verified and, if it was not already (a
     * returning user's send took nothing from the room), the country's room gets the verification's credit.
     */
    private void creditVerified(Conversion conversion, Widget widget, String widgetId, String phone) {
        Room room = roomOf(conversion.guard(), widget, phone);
        if (room == null) {
            return;
        }
        Bound marks = conversion.verifiedPhone();
        long emptied = marks.buckets().build(key(marks, widgetId, "vp|" + phone), marks.budget().supplier())
                .tryConsumeAsMuchAsPossible(); // marked (again) from now: the last verification counts
        if (emptied < Budget.MARK_TOKENS) {
            return; // it was marked already: its sends took nothing from the rooms, so it earns nothing
        }
        // its own range and region only: genuine users in one range never pay for pumping in another
        Bound range = conversion.range();
        if (waves) { // both at once
            Bound region = conversion.region();
            join(CompletableFuture.allOf(
                    range.asyncBuckets().build(key(range, widgetId, room.rangeKey()), range.budget().configuration())
                            .addTokens(conversion.credit()),
                    region.asyncBuckets().build(key(region, widgetId, room.regionKey()), region.budget().configuration())
                            .addTokens(conversion.credit())));
            return;
        }
        range.buckets().build(key(range, widgetId, room.rangeKey()), range.budget().supplier())
                .addTokens(conversion.credit());
        Bound region = conversion.region();
        region.buckets().build(key(region, widgetId, room.regionKey()), region.budget().supplier())
                .addTokens(conversion.credit());
    }

    @Override
    public VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp,
                                     boolean testRecipient) {
        Budgets b = budgets(widget);
        // Only a code sent to the phone alone proves, once verified, that the phone got it: one sent to a phone and an
        // email may have been read from the email, and crediting it would let anyone with a mailbox pump SMS.
        String verifiedPhone = b.conversion != null && !testRecipient && recipient != null
                && recipient.addresses().size() == 1 ? recipient.phone().orElse(null) : null;
        if (verifiedPhone != null) {
            Settlement limits = beforeVerify(b, widgetId, recipient, userIp);
            return status -> {
                CompletableFuture<Void> givenBack = limits.begin(status); // in a wave: out while the phone is credited
                try {
                    if (status == VerifyResult.Status.VERIFIED) {
                        creditVerified(b.conversion, widget, String.valueOf(widgetId), verifiedPhone);
                    }
                } catch (RuntimeException e) {
                    try {
                        join(givenBack);
                    } catch (RuntimeException alsoFailed) {
                        e.addSuppressed(alsoFailed);
                    }
                    throw e;
                }
                join(givenBack);
            };
        }
        return beforeVerify(b, widgetId, recipient, userIp);
    }

    /** A verification's permit whose giving back can be started and waited for apart. */
    private interface Settlement extends VerifyPermit {

        Settlement NONE = status -> DONE;

        /** Starts settling; the future ends when it is done. */
        CompletableFuture<Void> begin(VerifyResult.Status status);

        @Override
        default void settle(VerifyResult.Status status) {
            join(begin(status));
        }
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private Settlement beforeVerify(Budgets b, UUID widgetId, Recipient recipient, String userIp) {
        if (b.verifyIp == null && b.verifyIpNetwork == null && (recipient == null || b.guesses == null)) {
            return Settlement.NONE;
        }
        String widgetPart = String.valueOf(widgetId);
        Taken ip = new Taken();
        if (userIp != null) {
            try {
                Wave wave = new Wave();
                takeIp(wave, ip, b.verifyIp, b.verifyIpNetwork, widgetPart, userIp, b.limits);
                wave.join();
            } catch (RuntimeException e) {
                ip.releaseAll(e);
                throw e;
            }
        }
        if (recipient == null || b.guesses == null) {
            return Settlement.NONE;
        }
        Taken guessed = new Taken();
        try {
            Wave wave = new Wave();
            for (String address : addressParts(recipient)) {
                wave.add(guessed, b.guesses, widgetPart, address);
            }
            wave.join();
        } catch (RuntimeException e) {
            guessed.releaseAll(e); // the IP's call is not given back: a refused guess still cost the asker
            throw e;
        }
        return status -> {
            if (status != VerifyResult.Status.INVALID_CODE) {
                return guessed.releaseLater(); // only a wrong guess that counted against its code spends the budget
            }
            return DONE;
        };
    }

    /** One key part per address of the recipient, {@code kind|address}. */
    /**
     * The recipient's keys for its limits, cooldown and guess budget: an email by its inbox ({@link Recipient#inbox}),
     * so that plus-addresses and Gmail's dots are one recipient; every other address as the channels read it.
     */
    private static List<String> addressParts(Recipient recipient) {
        List<String> parts = new ArrayList<>(2);
        recipient.addresses().forEach((kind, value) -> parts.add(kind + '|'
                + (kind.equals(Recipient.EMAIL) ? Recipient.inbox(value) : value)));
        return parts;
    }

    /**
     * Takes a call from an IP's budget and, for an IPv6 network (not an IPv4 address, nor one an IPv6 address carries),
     * from its wider network's: each address parsed once for what it counts as.
     */
    private static void takeIp(Wave wave, Taken taken, Bound address, Bound network, String widgetPart, String userIp,
                               RateLimits limits) {
        String counted = IpAddresses.network(userIp, limits.ipv6Prefix());
        wave.add(taken, address, widgetPart, "ip|" + counted);
        if (counted.indexOf(':') >= 0) {
            wave.add(taken, network, widgetPart, "ipn|" + IpAddresses.network(userIp, limits.ipv6NetworkPrefix()));
        }
    }

    /**
     * The keys a requester is remembered by in {@link #refusedRequesters}: what its IP counts as (an IPv6 address's
     * /64), and for IPv6 its wider network, so that fresh addresses of a refused network are known too.
     */
    private static String[] requesterKeys(String widgetId, String userIp, RateLimits limits) {
        String counted = IpAddresses.network(userIp, limits.ipv6Prefix());
        return counted.indexOf(':') < 0 ? new String[] {widgetId + "|a|" + counted}
                : new String[] {widgetId + "|a|" + counted,
                    widgetId + "|n|" + IpAddresses.network(userIp, limits.ipv6NetworkPrefix())};
    }

    /** One scope's buckets in the store. */
    private static final class Counter {
        final Scope scope;
        final ProxyManager<String> manager;
        /** Whether the manager has an asynchronous API. */
        final boolean async;

        Counter(Scope scope, OtpStore store, TimeMeter clock) {
            this.scope = scope;
            this.manager = store.rateLimitBuckets(scope, clock);
            this.async = manager.isAsyncModeSupported();
        }
    }

    /** A bucket's key: {@code <limits fingerprint>|<widget id>[|<address part>]}. */
    private static String key(Bound bound, String widgetId, String address) {
        String fingerprint = bound.budget().fingerprint();
        return address.isEmpty() ? fingerprint + '|' + widgetId : fingerprint + '|' + widgetId + '|' + address;
    }

    /** The calls one request has taken so far, to give back if a later check refuses it. */
    private static final class Taken {

        /** Each a {@link BucketProxy} or an {@link AsyncBucketProxy}. */
        private final List<Object> buckets = new ArrayList<>(4);
        private final List<Long> tokens = new ArrayList<>(4);

        void acquire(Bound bound, String widgetId, String address) {
            if (bound == null) {
                return;
            }
            ConsumptionProbe probe = tryAcquire(bound, widgetId, address, 1);
            if (!probe.isConsumed()) {
                throw new RateLimitException(bound.counter().scope, Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
        }

        /** Takes {@code count} tokens if the bucket has them, to give back with the rest; says whether it did. */
        ConsumptionProbe tryAcquire(Bound bound, String widgetId, String address, long count) {
            BucketProxy bucket = bound.buckets().build(key(bound, widgetId, address), bound.budget().supplier());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(count);
            if (probe.isConsumed()) {
                buckets.add(bucket);
                tokens.add(count);
            }
            return probe;
        }

        /** A call a wave took. */
        void taken(AsyncBucketProxy bucket, long count) {
            buckets.add(bucket);
            tokens.add(count);
        }

        boolean isEmpty() {
            return buckets.isEmpty();
        }

        /** Gives back the last call taken, and forgets it. */
        void releaseLast() {
            int last = buckets.size() - 1;
            Object bucket = buckets.remove(last);
            long count = tokens.remove(last);
            if (bucket instanceof BucketProxy proxy) {
                proxy.addTokens(count);
            } else {
                join(((AsyncBucketProxy) bucket).addTokens(count));
            }
        }

        void releaseAll() {
            join(releaseLater());
        }

        /**
         * Starts giving back every call: one by one for a store without an asynchronous API, all at once otherwise.
         *
         * @return done once every call is given back
         */
        CompletableFuture<Void> releaseLater() {
            CompletableFuture<?>[] pending = null;
            int n = 0;
            for (int i = buckets.size() - 1; i >= 0; i--) {
                Object bucket = buckets.get(i);
                if (bucket instanceof BucketProxy proxy) {
                    proxy.addTokens(tokens.get(i));
                } else {
                    if (pending == null) {
                        pending = new CompletableFuture<?>[i + 1];
                    }
                    pending[n++] = ((AsyncBucketProxy) bucket).addTokens(tokens.get(i));
                }
            }
            buckets.clear();
            tokens.clear();
            return pending == null ? DONE : CompletableFuture.allOf(Arrays.copyOf(pending, n));
        }

        /**
         * Gives back what was taken because a later check failed with {@code failure}; should the store fail here too
         * (a shared store gone), {@code failure} stays the answer and carries this one as suppressed.
         */
        void releaseAll(RuntimeException failure) {
            try {
                releaseAll();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * The calls of one group (a request's requester, or its recipient): one by one on a store without an asynchronous
     * API, the first refusal thrown at once; otherwise all sent at once and waited for in {@link #join}, which records
     * what was taken and throws the first refusal in the order the calls were added.
     */
    private final class Wave {

        private List<Taken> into;
        private List<Long> counts;
        private List<Bound> bounds;
        private List<AsyncBucketProxy> proxies;
        private List<CompletableFuture<ConsumptionProbe>> probes;

        /** A call of one token from a bound's bucket; nothing for a {@code null} bound. */
        void add(Taken taken, Bound bound, String widgetId, String address) {
            if (bound == null) {
                return;
            }
            if (!waves) {
                taken.acquire(bound, widgetId, address);
                return;
            }
            add(taken, bound, widgetId, address, 1);
        }

        /** A call of {@code count} tokens from a bound's bucket, sent at once: only on a store with waves. */
        void add(Taken taken, Bound bound, String widgetId, String address, long count) {
            if (into == null) {
                into = new ArrayList<>(4);
                counts = new ArrayList<>(4);
                bounds = new ArrayList<>(4);
                proxies = new ArrayList<>(4);
                probes = new ArrayList<>(4);
            }
            AsyncBucketProxy bucket = bound.asyncBuckets().build(key(bound, widgetId, address),
                    bound.budget().configuration());
            CompletableFuture<ConsumptionProbe> probe;
            try {
                probe = bucket.tryConsumeAndReturnRemaining(count);
            } catch (RuntimeException e) {
                probe = CompletableFuture.failedFuture(e);
            }
            into.add(taken);
            counts.add(count);
            bounds.add(bound);
            proxies.add(bucket);
            probes.add(probe);
        }

        /**
         * Waits for the wave's calls; each one taken goes to its {@link Taken}.
         *
         * @throws RateLimitException the first refusal, in the order the calls were added
         * @throws RuntimeException the store's failure, if any call failed
         */
        void join() {
            if (probes == null) {
                return;
            }
            ConsumptionProbe[] answers = probes();
            for (int i = 0; i < answers.length; i++) {
                if (!answers[i].isConsumed()) {
                    throw new RateLimitException(bounds.get(i).counter().scope,
                            Duration.ofNanos(answers[i].getNanosToWaitForRefill()));
                }
            }
        }

        /**
         * Waits for the wave's calls; each one taken goes to its {@link Taken}, in the order the calls were added.
         *
         * @return each call's answer, in that order
         * @throws RuntimeException the store's failure, if any call failed (what the others took is recorded)
         */
        ConsumptionProbe[] probes() {
            ConsumptionProbe[] answers = new ConsumptionProbe[probes.size()];
            RuntimeException failed = null;
            for (int i = 0; i < answers.length; i++) {
                try {
                    answers[i] = RateLimiter.join(probes.get(i));
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    }
                    continue;
                }
                if (answers[i].isConsumed()) {
                    into.get(i).taken(proxies.get(i), counts.get(i));
                }
            }
            if (failed != null) {
                throw failed;
            }
            return answers;
        }
    }

    /** Waits for a call of the store; its failure thrown as it is (the store's {@code NoConnectionException}). */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
