package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimits;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@link RequestGuard} that enforces {@link RateLimits} with Bucket4j buckets kept by the engine's
 * {@link OtpStore}, one proxy manager per scope.
 *
 * <p>A send takes one call from the cooldown and limits of each recipient address, then from its IP, then from
 * its widget; a verification from its IP, then from the guess budget of each address its code went to, which is
 * given back unless the guess turns out wrong. When a check refuses, the calls taken before it in the same request
 * are given back: a refused request counts against nothing.
 *
 * <p>A bucket's key is {@code <limits fingerprint>|<widget id>|<address kind>|<address>} (an IP network's kind is
 * {@code ip}; the widget's own bucket has no address part), so widgets never share a bucket and a widget whose limits
 * change starts afresh.
 */
public final class RateLimiter implements RequestGuard {

    private final RateLimits defaults;
    private final Budgets defaultBudgets;
    private final Cache<RateLimits, Budgets> compiled = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final Counter widgets;
    private final Counter cooldowns;
    private final Counter recipients;
    private final Counter sendIps;
    private final Counter verifyIps;
    private final Counter guesses;

    /** {@link RateLimits} compiled for Bucket4j, scope by scope; {@code null} where a scope has no limit. */
    private static final class Budgets {
        final Budget widget;
        final Budget cooldown;
        final Budget recipient;
        final Budget ip;
        final Budget verifyIp;
        final Budget guesses;
        /** No send limit at all: a send costs the limiter nothing. */
        final boolean none;

        Budgets(RateLimits limits) {
            this.widget = Budget.of(limits.perWidget());
            this.cooldown = Budget.cooldown(limits.resendCooldown());
            this.recipient = Budget.of(limits.perRecipient());
            this.ip = Budget.of(limits.perIp());
            this.verifyIp = Budget.of(limits.verifyPerIp());
            this.guesses = Budget.of(limits.verifyFailuresPerRecipient());
            this.none = widget == null && cooldown == null && recipient == null && ip == null;
        }
    }

    /**
     * A limiter.
     *
     * @param defaults the limits of widgets that have none of their own
     * @param store where the buckets are kept
     * @param clock the engine's clock, which every refill follows
     */
    public RateLimiter(RateLimits defaults, OtpStore store, TimeMeter clock) {
        this.defaults = defaults;
        this.defaultBudgets = new Budgets(defaults);
        this.widgets = new Counter(Scope.WIDGET, store, clock);
        this.cooldowns = new Counter(Scope.RESEND_COOLDOWN, store, clock);
        this.recipients = new Counter(Scope.RECIPIENT, store, clock);
        this.sendIps = new Counter(Scope.IP, store, clock);
        this.verifyIps = new Counter(Scope.VERIFY_IP, store, clock);
        this.guesses = new Counter(Scope.VERIFY_FAILURES, store, clock);
    }

    /** The engine's limits come ready; only a widget's own go through the cache (a read of it costs a buffer write). */
    private Budgets budgets(Widget widget) {
        RateLimits limits = widget == null ? defaults : widget.rateLimits().orElse(defaults);
        return limits == defaults ? defaultBudgets : compiled.get(limits, Budgets::new);
    }

    @Override
    public Permit beforeSend(Widget widget, Recipient recipient, String userIp) {
        Budgets b = budgets(widget);
        if (b.none) {
            return Permit.NONE;
        }
        String widgetId = widget.id().toString();
        Taken taken = new Taken();
        try {
            if (b.cooldown != null || b.recipient != null) {
                List<String> addresses = addressParts(recipient);
                for (String address : addresses) {
                    taken.acquire(cooldowns, b.cooldown, widgetId, address);
                }
                for (String address : addresses) {
                    taken.acquire(recipients, b.recipient, widgetId, address);
                }
            }
            if (userIp != null && b.ip != null) {
                taken.acquire(sendIps, b.ip, widgetId, ipPart(userIp));
            }
            taken.acquire(widgets, b.widget, widgetId, "");
        } catch (RuntimeException e) {
            taken.releaseAll(e);
            throw e;
        }
        return taken.isEmpty() ? Permit.NONE : taken::releaseAll;
    }

    @Override
    public VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp) {
        Budgets b = budgets(widget);
        if (b.verifyIp == null && (recipient == null || b.guesses == null)) {
            return VerifyPermit.NONE;
        }
        String widgetPart = String.valueOf(widgetId);
        Taken ip = new Taken();
        if (userIp != null && b.verifyIp != null) {
            ip.acquire(verifyIps, b.verifyIp, widgetPart, ipPart(userIp));
        }
        if (recipient == null || b.guesses == null) {
            return VerifyPermit.NONE;
        }
        Taken guessed = new Taken();
        try {
            for (String address : addressParts(recipient)) {
                guessed.acquire(guesses, b.guesses, widgetPart, address);
            }
        } catch (RuntimeException e) {
            guessed.releaseAll(e);
            ip.releaseAll(e);
            throw e;
        }
        return status -> {
            if (status != VerifyResult.Status.INVALID_CODE) {
                guessed.releaseAll(); // only a wrong guess that counted against its code spends the budget
            }
        };
    }

    /** One key part per address of the recipient, {@code kind|address}. */
    private static List<String> addressParts(Recipient recipient) {
        List<String> parts = new ArrayList<>(2);
        recipient.addresses().forEach((kind, value) -> parts.add(kind + '|' + value));
        return parts;
    }

    private static String ipPart(String userIp) {
        return "ip|" + IpAddresses.network(userIp);
    }

    /** One scope's buckets in the store. */
    private static final class Counter {
        final Scope scope;
        final RemoteBucketBuilder<String> buckets;

        Counter(Scope scope, OtpStore store, TimeMeter clock) {
            this.scope = scope;
            this.buckets = store.rateLimitBuckets(scope, clock).builder();
        }
    }

    /** The calls one request has taken so far, to give back if a later check refuses it. */
    private static final class Taken {

        private final List<BucketProxy> buckets = new ArrayList<>(4);

        void acquire(Counter counter, Budget budget, String widgetId, String address) {
            if (budget == null) {
                return;
            }
            String key = address.isEmpty() ? budget.fingerprint() + '|' + widgetId
                    : budget.fingerprint() + '|' + widgetId + '|' + address;
            BucketProxy bucket = counter.buckets.build(key, budget.supplier());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                throw new RateLimitException(counter.scope, Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
            buckets.add(bucket);
        }

        boolean isEmpty() {
            return buckets.isEmpty();
        }

        void releaseAll() {
            for (int i = buckets.size() - 1; i >= 0; i--) {
                buckets.get(i).addTokens(1);
            }
            buckets.clear();
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
}
