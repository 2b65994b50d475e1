package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimits;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;
import io.github.bucket4j.BucketConfiguration;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link RequestGuard} that enforces {@link RateLimits}: one {@link LimitTable} per scope, so a flood of one
 * kind of key (verifications from a million IPs, say) cannot push out the counters of another (a recipient's
 * guess budget).
 *
 * <p>A send takes one call from the cooldown and limits of each recipient address, then from its IP, then from
 * its widget; a verification from its IP, then from the guess budget of each address its code went to, which is
 * given back unless the guess turns out wrong. When a check refuses, the calls taken before it in the same request
 * are given back: a refused request counts against nothing.
 */
public final class RateLimiter implements RequestGuard {

    private final RateLimits defaults;
    private final Budgets defaultBudgets;
    private final Cache<RateLimits, Budgets> compiled = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final LimitTable<UUID> widgets;
    private final LimitTable<LimitKey> cooldowns;
    private final LimitTable<LimitKey> recipients;
    private final LimitTable<LimitKey> sendIps;
    private final LimitTable<LimitKey> verifyIps;
    private final LimitTable<LimitKey> guesses;

    /** {@link RateLimits} compiled for Bucket4j, scope by scope; {@code null} where a scope has no limit. */
    private static final class Budgets {
        final BucketConfiguration widget;
        final BucketConfiguration cooldown;
        final BucketConfiguration recipient;
        final BucketConfiguration ip;
        final BucketConfiguration verifyIp;
        final BucketConfiguration guesses;

        Budgets(RateLimits limits) {
            this.widget = Budget.of(limits.perWidget());
            this.cooldown = Budget.cooldown(limits.resendCooldown());
            this.recipient = Budget.of(limits.perRecipient());
            this.ip = Budget.of(limits.perIp());
            this.verifyIp = Budget.of(limits.verifyPerIp());
            this.guesses = Budget.of(limits.verifyFailuresPerRecipient());
        }
    }

    /**
     * A limiter.
     *
     * @param defaults the limits of widgets that have none of their own
     * @param clock the engine's clock
     * @param maxKeys the most keys each scope's table holds
     */
    public RateLimiter(RateLimits defaults, Clock clock, long maxKeys) {
        this.defaults = defaults;
        this.defaultBudgets = new Budgets(defaults);
        ClockTimeMeter time = new ClockTimeMeter(clock);
        this.widgets = new LimitTable<>(Scope.WIDGET, time, maxKeys);
        this.cooldowns = new LimitTable<>(Scope.RESEND_COOLDOWN, time, maxKeys);
        this.recipients = new LimitTable<>(Scope.RECIPIENT, time, maxKeys);
        this.sendIps = new LimitTable<>(Scope.IP, time, maxKeys);
        this.verifyIps = new LimitTable<>(Scope.VERIFY_IP, time, maxKeys);
        this.guesses = new LimitTable<>(Scope.VERIFY_FAILURES, time, maxKeys);
    }

    /** The engine's limits come ready; only a widget's own go through the cache (a read of it costs a buffer write). */
    private Budgets budgets(Widget widget) {
        RateLimits limits = widget == null ? defaults : widget.rateLimits().orElse(defaults);
        return limits == defaults ? defaultBudgets : compiled.get(limits, Budgets::new);
    }

    @Override
    public void beforeSend(Widget widget, Recipient recipient, String userIp) {
        Budgets b = budgets(widget);
        UUID widgetId = widget.id();
        Taken taken = new Taken();
        try {
            if (b.cooldown != null || b.recipient != null) {
                List<LimitKey> addresses = addressKeys(widgetId, recipient);
                for (LimitKey address : addresses) {
                    taken.acquire(cooldowns, address, b.cooldown);
                }
                for (LimitKey address : addresses) {
                    taken.acquire(recipients, address, b.recipient);
                }
            }
            if (userIp != null) {
                taken.acquire(sendIps, new LimitKey(widgetId, null, IpAddresses.network(userIp)), b.ip);
            }
            taken.acquire(widgets, widgetId, b.widget);
        } catch (RateLimitException e) {
            taken.releaseAll();
            throw e;
        }
    }

    @Override
    public VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp) {
        Budgets b = budgets(widget);
        Taken ip = new Taken();
        if (userIp != null) {
            ip.acquire(verifyIps, new LimitKey(widgetId, null, IpAddresses.network(userIp)), b.verifyIp);
        }
        if (recipient == null || b.guesses == null) {
            return VerifyPermit.NONE;
        }
        Taken guessed = new Taken();
        try {
            for (LimitKey address : addressKeys(widgetId, recipient)) {
                guessed.acquire(guesses, address, b.guesses);
            }
        } catch (RateLimitException e) {
            guessed.releaseAll();
            ip.releaseAll();
            throw e;
        }
        return status -> {
            if (status != VerifyResult.Status.INVALID_CODE) {
                guessed.releaseAll(); // only a wrong guess that counted against its code spends the budget
            }
        };
    }

    /** One key per address of the recipient; {@link Recipient#addresses()} builds a map on every call. */
    private static List<LimitKey> addressKeys(UUID widgetId, Recipient recipient) {
        List<LimitKey> keys = new ArrayList<>(2);
        recipient.addresses().forEach((kind, value) -> keys.add(new LimitKey(widgetId, kind, value)));
        return keys;
    }

    /** How many keys each scope's table holds, for tests and measurements. */
    Map<Scope, Long> sizes() {
        return Map.of(Scope.WIDGET, widgets.size(), Scope.RESEND_COOLDOWN, cooldowns.size(),
                Scope.RECIPIENT, recipients.size(), Scope.IP, sendIps.size(), Scope.VERIFY_IP, verifyIps.size(),
                Scope.VERIFY_FAILURES, guesses.size());
    }

    /** The calls one request has taken so far, to give back if a later check refuses it. */
    private static final class Taken {

        private final List<Runnable> releases = new ArrayList<>(4);

        <K> void acquire(LimitTable<K> table, K key, BucketConfiguration budget) {
            if (budget != null) {
                table.acquire(key, budget);
                releases.add(() -> table.release(key, budget));
            }
        }

        void releaseAll() {
            for (int i = releases.size() - 1; i >= 0; i--) {
                releases.get(i).run();
            }
            releases.clear();
        }
    }
}
