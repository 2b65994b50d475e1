package dev.otpengine;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an engine, or one widget, lets through before it answers {@link RateLimitException}: sends per widget, per
 * user IP and per recipient, the pause between two sends to one recipient, verifications per IP, and the wrong
 * guesses one recipient may take across all its codes. An engine given none uses {@link #defaults()}; a widget's
 * own ({@link Widget.Builder#rateLimits}) replace the engine's for that widget.
 *
 * <p>How the limits count:
 * <ul>
 *   <li>Every counter belongs to one widget: an IP's sends through two widgets count separately. A verification
 *       of a request id no code has counts under the engine's limits, apart from every widget.</li>
 *   <li>An IPv4 address counts as itself; an IPv6 address counts by its /64 network, which one end user usually
 *       holds whole, and also by its /48 against the larger per-network budget, so that one customer's allocation
 *       cannot multiply the per-IP budget (both prefixes: {@link Builder#ipv6Prefixes}). An IPv6 address that
 *       carries an IPv4 one (IPv4-mapped {@code ::ffff:a.b.c.d}, SIIT {@code ::ffff:0:a.b.c.d}, NAT64
 *       {@code 64:ff9b::a.b.c.d} and the local-use {@code 64:ff9b:1::/48}, 6to4 {@code 2002:AABB:CCDD::/48}, Teredo
 *       {@code 2001:0::/32}, IPv4-compatible {@code ::a.b.c.d}) counts as that IPv4 address. A request without
 *       {@code userIp} passes the per-IP limits untouched, so pass the IP.</li>
 *   <li>A recipient counts per address: a send to a phone and an email takes from both.</li>
 *   <li>A send is checked against the IP limits (and an IPv6 address's network limits), then the widget limits, then
 *       the cooldown and the recipient limits; a verification against the IP (and network) limits, then the guess
 *       budget. A call one limit refuses is given back to the limits that had already counted it, so one noisy IP
 *       cannot use up its widget's budget, except the IP's own: a request refused for its recipient still costs its
 *       IP one call, so that asking whether a phone just had a code, or has guesses left, is never free. A send that
 *       got past every limit counts even if no channel then delivers it.</li>
 *   <li>{@link Builder#verifyFailuresPerRecipient} counts wrong guesses against the (widget, recipient), not the
 *       code: a resend starts a new code with new attempts, but not a new guess budget. Once it is spent, every
 *       verification for that recipient, the right code too, is refused until the window ends.</li>
 * </ul>
 * Each counter is a Bucket4j token bucket kept in a bounded, expiring table (see
 * {@link OtpEngine.Builder#maxRateLimitKeys}); time is the engine's {@link java.time.Clock}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class RateLimits {

    /** The longest resend cooldown: one day. */
    public static final Duration MAX_RESEND_COOLDOWN = Duration.ofDays(1);

    /**
     * How many times the per-IP counts a network's limits allow when they are derived, not set: {@value}. Each
     * {@link Builder#perIp} limit gives a {@link Builder#perIpNetwork} limit of this many times its count over the same
     * window (capped at {@link Limit#MAX_COUNT}), and each {@link Builder#verifyPerIp} limit a
     * {@link Builder#verifyPerIpNetwork} one, so that a few users (an office, a household) share one /48 and yet a
     * customer's 65,536 /64 networks get four users' budget, not 65,536.
     */
    public static final int NETWORK_FACTOR = 4;

    /**
     * How many times the {@code perWidget} counts the widget's free budget ({@code perWidgetFree}) allows when it is
     * derived, not set: {@value}. An email costs nothing, so the free budget is wider; a derived one follows
     * {@code perWidget}, so that limits built from scratch with only {@code perWidget} still bound free sends.
     */
    public static final int FREE_FACTOR = 10;

    private static final RateLimits UNLIMITED = builder().build();

    private static final RateLimits DEFAULTS = builder()
            .perWidget(Limit.of(100, Duration.ofMinutes(1)), Limit.of(1_000, Duration.ofHours(1)))
            // perWidgetFree: derived, 1,000 a minute and 10,000 an hour
            .perIp(Limit.of(5, Duration.ofMinutes(1)), Limit.of(30, Duration.ofHours(1))) // network: 20/min, 120/h
            .perRecipient(Limit.of(5, Duration.ofHours(1)), Limit.of(10, Duration.ofDays(1)))
            .resendCooldown(Duration.ofSeconds(30))
            .verifyPerIp(Limit.of(30, Duration.ofMinutes(1)), Limit.of(300, Duration.ofHours(1))) // network: 120, 1,200
            .verifyFailuresPerRecipient(Limit.of(10, Duration.ofHours(1)), Limit.of(20, Duration.ofDays(1)))
            .countryConversion(ConversionGuard.of(50, 0.2, Duration.ofDays(1)))
            .build();

    private final List<Limit> perWidget;
    private final List<Limit> perWidgetFree;
    private final List<Limit> perIp;
    private final List<Limit> perRecipient;
    private final Duration resendCooldown;
    private final List<Limit> verifyPerIp;
    private final List<Limit> verifyFailuresPerRecipient;
    private final List<Limit> perIpNetwork;
    private final List<Limit> verifyPerIpNetwork;
    /** Whether {@link #perWidgetFree} follows {@link #perWidget} (neither set nor removed), so that a copy follows too. */
    private final boolean perWidgetFreeDerived;
    /** Whether {@link #perIpNetwork} follows {@link #perIp} (neither set nor removed), so that a copy follows too. */
    private final boolean perIpNetworkDerived;
    /** Whether {@link #verifyPerIpNetwork} follows {@link #verifyPerIp}. */
    private final boolean verifyPerIpNetworkDerived;
    private final int ipv6Prefix;
    private final int ipv6NetworkPrefix;
    private final ConversionGuard countryConversion;

    private RateLimits(Builder b) {
        this.perWidget = b.perWidget;
        this.perWidgetFreeDerived = b.perWidgetFree == null;
        this.perWidgetFree = perWidgetFreeDerived ? scaled(b.perWidget, FREE_FACTOR) : b.perWidgetFree;
        this.perIp = b.perIp;
        this.perRecipient = b.perRecipient;
        this.resendCooldown = b.resendCooldown;
        this.verifyPerIp = b.verifyPerIp;
        this.verifyFailuresPerRecipient = b.verifyFailuresPerRecipient;
        this.perIpNetworkDerived = b.perIpNetwork == null;
        this.verifyPerIpNetworkDerived = b.verifyPerIpNetwork == null;
        this.perIpNetwork = perIpNetworkDerived ? network(b.perIp) : b.perIpNetwork;
        this.verifyPerIpNetwork = verifyPerIpNetworkDerived ? network(b.verifyPerIp) : b.verifyPerIpNetwork;
        this.ipv6Prefix = b.ipv6Prefix;
        this.ipv6NetworkPrefix = b.ipv6NetworkPrefix;
        this.countryConversion = b.countryConversion;
    }

    /** A network's limits derived from one address's: {@value #NETWORK_FACTOR} times each count, same windows. */
    private static List<Limit> network(List<Limit> perAddress) {
        return scaled(perAddress, NETWORK_FACTOR);
    }

    /** Limits with each count multiplied (at most {@link Limit#MAX_COUNT}), the same windows. */
    private static List<Limit> scaled(List<Limit> limits, int factor) {
        return limits.stream()
                .map(l -> Limit.of(Math.min(Limit.MAX_COUNT, l.count() * factor), l.window()))
                .toList();
    }

    /**
     * Starts limits from none at all: only what the builder names is enforced, and the network limits that follow
     * from the per-IP ones (see {@link Builder#perIpNetwork}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Limits safe for a public login page, which an engine uses when it is given none:
     * <table>
     *   <caption>The defaults</caption>
     *   <tr><th>limit</th><th>default</th></tr>
     *   <tr><td>{@code perWidget}</td><td>100 per minute, 1,000 per hour (sends a paid channel may carry)</td></tr>
     *   <tr><td>{@code perWidgetFree}</td><td>1,000 per minute, 10,000 per hour (sends only free channels carry,
     *       such as email)</td></tr>
     *   <tr><td>{@code perIp}</td><td>5 per minute, 30 per hour</td></tr>
     *   <tr><td>{@code perIpNetwork}</td><td>20 per minute, 120 per hour (an IPv6 /48): derived, four times
     *       {@code perIp}</td></tr>
     *   <tr><td>{@code perRecipient}</td><td>5 per hour, 10 per day</td></tr>
     *   <tr><td>{@code resendCooldown}</td><td>30 seconds</td></tr>
     *   <tr><td>{@code verifyPerIp}</td><td>30 per minute, 300 per hour</td></tr>
     *   <tr><td>{@code verifyPerIpNetwork}</td><td>120 per minute, 1,200 per hour (an IPv6 /48): derived, four
     *       times {@code verifyPerIp}</td></tr>
     *   <tr><td>{@code verifyFailuresPerRecipient}</td><td>10 per hour, 20 per day</td></tr>
     *   <tr><td>{@code countryConversion}</td><td>{@code ConversionGuard.of(50, 0.2, Duration.ofDays(1))}: a range
     *       of numbers is cut off (its sends withheld) once its unverified sends pass 50 plus five per verified code in
     *       a sliding day, a region once they pass 500 plus five per verified code</td></tr>
     * </table>
     * Start from them with {@code RateLimits.defaults().toBuilder()} to change one; a changed {@code perIp} or
     * {@code verifyPerIp} takes its network limits along, as the network limits are derived.
     *
     * @return the defaults
     */
    public static RateLimits defaults() {
        return DEFAULTS;
    }

    /**
     * No limit at all: for tests, or for an application that limits in front of the engine. A widget's codes still
     * tolerate only its {@code maxAttempts} wrong guesses each.
     *
     * @return limits that let everything through
     */
    public static RateLimits unlimited() {
        return UNLIMITED;
    }

    /**
     * Starts a changed copy of these limits. Network limits that were derived stay derived: a new {@code perIp} in the
     * copy gives new {@code perIpNetwork} limits.
     *
     * @return a builder holding every limit of this object
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.perWidget = perWidget;
        b.perWidgetFree = perWidgetFreeDerived ? null : perWidgetFree;
        b.perIp = perIp;
        b.perRecipient = perRecipient;
        b.resendCooldown = resendCooldown;
        b.verifyPerIp = verifyPerIp;
        b.verifyFailuresPerRecipient = verifyFailuresPerRecipient;
        b.perIpNetwork = perIpNetworkDerived ? null : perIpNetwork;
        b.verifyPerIpNetwork = verifyPerIpNetworkDerived ? null : verifyPerIpNetwork;
        b.ipv6Prefix = ipv6Prefix;
        b.countryConversion = countryConversion;
        b.ipv6NetworkPrefix = ipv6NetworkPrefix;
        return b;
    }

    /**
     * @return the limits on sends through one widget, from any IP to anyone, that a channel costing money per message
     *     (SMS, a call, WhatsApp) may carry; unmodifiable, empty if none
     */
    public List<Limit> perWidget() {
        return perWidget;
    }

    /**
     * @return the limits on sends through one widget that only channels costing nothing per message (email) carry:
     *     a budget of their own, so a flood of free sends cannot spend the one that guards paid ones; unmodifiable,
     *     empty if none
     */
    public List<Limit> perWidgetFree() {
        return perWidgetFree;
    }

    /** @return the limits on sends from one user IP (an IPv6 /64); unmodifiable, empty if none */
    public List<Limit> perIp() {
        return perIp;
    }

    /**
     * @return the limits on sends from one wider IPv6 network (a /48 unless set), apart from {@link #perIp()}: as set,
     *     or derived from {@link #perIp()} (see {@link Builder#perIpNetwork}); unmodifiable, empty if none
     */
    public List<Limit> perIpNetwork() {
        return perIpNetwork;
    }

    /**
     * @return the limits on verifications from one wider IPv6 network (a /48 unless set): as set, or derived from
     *     {@link #verifyPerIp()}; unmodifiable, empty if none
     */
    public List<Limit> verifyPerIpNetwork() {
        return verifyPerIpNetwork;
    }

    /** @return how many leading bits of an IPv6 address the per-IP limits count by: 64 unless set */
    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    /** @return how many leading bits of an IPv6 address the per-network limits count by: 48 unless set */
    public int ipv6NetworkPrefix() {
        return ipv6NetworkPrefix;
    }

    /** @return the limits on sends to one recipient address; unmodifiable, empty if none */
    public List<Limit> perRecipient() {
        return perRecipient;
    }

    /** @return the least time between two sends to one recipient address; zero if none */
    public Duration resendCooldown() {
        return resendCooldown;
    }

    /** @return the limits on verifications from one user IP (an IPv6 /64); unmodifiable, empty if none */
    public List<Limit> verifyPerIp() {
        return verifyPerIp;
    }

    /** @return the limits on wrong guesses for one recipient address, across its codes; unmodifiable, empty if none */
    public List<Limit> verifyFailuresPerRecipient() {
        return verifyFailuresPerRecipient;
    }

    /** @return the toll-fraud guard, if on; off in {@link #unlimited()} and {@link #builder()}, on in {@link #defaults()} */
    public Optional<ConversionGuard> countryConversion() {
        return Optional.ofNullable(countryConversion);
    }

    /** @return {@code true} if nothing is limited */
    public boolean isUnlimited() {
        return equals(UNLIMITED);
    }

    /**
     * Equal when every limit in force is: network limits derived and the same ones set explicitly are equal.
     *
     * @param o another object
     * @return whether {@code o} enforces the same limits
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RateLimits)) {
            return false;
        }
        RateLimits other = (RateLimits) o;
        return perWidget.equals(other.perWidget) && perWidgetFree.equals(other.perWidgetFree)
                && perIp.equals(other.perIp) && perRecipient.equals(other.perRecipient)
                && resendCooldown.equals(other.resendCooldown) && verifyPerIp.equals(other.verifyPerIp)
                && verifyFailuresPerRecipient.equals(other.verifyFailuresPerRecipient)
                && perIpNetwork.equals(other.perIpNetwork) && verifyPerIpNetwork.equals(other.verifyPerIpNetwork)
                && ipv6Prefix == other.ipv6Prefix && ipv6NetworkPrefix == other.ipv6NetworkPrefix
                && Objects.equals(countryConversion, other.countryConversion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(perWidget, perWidgetFree, perIp, perRecipient, resendCooldown, verifyPerIp, verifyFailuresPerRecipient,
                perIpNetwork, verifyPerIpNetwork, ipv6Prefix, ipv6NetworkPrefix, countryConversion);
    }

    @Override
    public String toString() {
        return "RateLimits[perWidget=" + perWidget + ", perWidgetFree=" + perWidgetFree + ", perIp=" + perIp
                + ", perRecipient=" + perRecipient
                + ", resendCooldown=" + resendCooldown + ", verifyPerIp=" + verifyPerIp
                + ", verifyFailuresPerRecipient=" + verifyFailuresPerRecipient + ", perIpNetwork=" + perIpNetwork
                + ", verifyPerIpNetwork=" + verifyPerIpNetwork + ", ipv6Prefixes=/" + ipv6Prefix + " and /"
                + ipv6NetworkPrefix + ", countryConversion=" + (countryConversion == null ? "off" : countryConversion) + "]";
    }

    /**
     * Builds {@link RateLimits}. Each setter replaces what the scope had, checks its values at once and names the
     * scope in its message; calling one with no limits removes that scope's limits. The setters replace rather than
     * refuse a second call (unlike the engine's builder), since {@link RateLimits#toBuilder()} exists to change what a
     * copy holds. The IPv6 network limits not set follow the per-IP ones (see {@link #perIpNetwork}).
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private List<Limit> perWidget = List.of();
        /** {@code null}: derived from {@link #perWidget} when built. */
        private List<Limit> perWidgetFree;
        private List<Limit> perIp = List.of();
        private List<Limit> perRecipient = List.of();
        private Duration resendCooldown = Duration.ZERO;
        private List<Limit> verifyPerIp = List.of();
        private List<Limit> verifyFailuresPerRecipient = List.of();
        /** {@code null}: derived from {@link #perIp} when built. */
        private List<Limit> perIpNetwork;
        /** {@code null}: derived from {@link #verifyPerIp} when built. */
        private List<Limit> verifyPerIpNetwork;
        private int ipv6Prefix = 64;
        private int ipv6NetworkPrefix = 48;
        private ConversionGuard countryConversion;

        private Builder() {
        }

        /**
         * Turns on the toll-fraud guard, which cuts off sends to a country whose codes stop coming back verified
         * (see {@link ConversionGuard}); {@code null} turns it off.
         *
         * @param guard the guard, or {@code null} for none
         * @return this builder
         */
        public Builder countryConversion(ConversionGuard guard) {
            this.countryConversion = guard;
            return this;
        }

        /**
         * Limits sends through the widget, from anyone to anyone: the backstop against SMS pumping from many IPs.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder perWidget(Limit... limits) {
            this.perWidget = check("perWidget", limits);
            return this;
        }

        /**
         * Limits sends through the widget that reach the recipient only over channels costing nothing per message
         * ({@code Channel.costsPerMessage()} false: email): their own budget, apart from {@link #perWidget}, so that
         * a flood of free sends from many IPs cannot spend the budget that guards paid ones and lock every user of
         * the widget out. A send that a paid channel may carry (an SMS, or SMS and email at once) counts under
         * {@link #perWidget}. Unless set (or removed, with no limits), derived: {@value RateLimits#FREE_FACTOR} times
         * each {@code perWidget} count over the same window.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder perWidgetFree(Limit... limits) {
            this.perWidgetFree = check("perWidgetFree", limits);
            return this;
        }

        /**
         * Limits sends from one user IP address (IPv6: one /64 network); unless {@link #perIpNetwork} is called, also
         * sets the wider network's limits, {@value RateLimits#NETWORK_FACTOR} times these.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder perIp(Limit... limits) {
            this.perIp = check("perIp", limits);
            return this;
        }

        /**
         * Limits sends to one recipient address, from any IP: the guard against bombing one phone or inbox.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder perRecipient(Limit... limits) {
            this.perRecipient = check("perRecipient", limits);
            return this;
        }

        /**
         * Sets the least time between two sends to one recipient address; a send sooner is refused with the time
         * left. Unlike a {@link Limit}, it runs from each send, not from a window's start.
         *
         * @param cooldown zero for none, else up to one day, in whole milliseconds
         * @return this builder
         * @throws IllegalArgumentException if negative, longer than a day, or not whole milliseconds
         * @throws NullPointerException if {@code cooldown} is null
         */
        public Builder resendCooldown(Duration cooldown) {
            Objects.requireNonNull(cooldown, "cooldown");
            if (cooldown.isNegative() || cooldown.compareTo(MAX_RESEND_COOLDOWN) > 0) {
                throw new IllegalArgumentException("resendCooldown must be from PT0S to " + MAX_RESEND_COOLDOWN + ": "
                        + cooldown);
            }
            if (cooldown.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException("resendCooldown must be a whole number of milliseconds: " + cooldown);
            }
            this.resendCooldown = cooldown;
            return this;
        }

        /**
         * Limits verifications from one user IP address (IPv6: one /64 network), right or wrong; unless
         * {@link #verifyPerIpNetwork} is called, also sets the wider network's limits, {@value RateLimits#NETWORK_FACTOR}
         * times these.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder verifyPerIp(Limit... limits) {
            this.verifyPerIp = check("verifyPerIp", limits);
            return this;
        }

        /**
         * Limits wrong guesses for one recipient address of a widget, across every code sent to it: a resend does
         * not give a fresh budget. A guess is counted when it is wrong while its code still takes attempts.
         *
         * @param limits the limits, each with its own window; none to remove them
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder verifyFailuresPerRecipient(Limit... limits) {
            this.verifyFailuresPerRecipient = check("verifyFailuresPerRecipient", limits);
            return this;
        }

        /**
         * Limits sends from one wider IPv6 network (a /48 unless {@link #ipv6Prefixes} says otherwise), on top of
         * {@link #perIp}: one customer is often handed a /56 or a /48, which holds 256 or 65,536 /64 networks, each
         * with its own per-IP budget; this budget is the whole allocation's. Give it more than {@link #perIp}: several
         * users (an office, a campus) may share one. IPv4 addresses are not counted here.
         *
         * <p>Unless this is called, the network's limits follow {@link #perIp} at {@link #build()}:
         * {@value RateLimits#NETWORK_FACTOR} times each per-IP count over the same window, so that limits built from
         * scratch with {@code perIp} alone keep the network's protection. Calling it with no limits removes them: then
         * each /64 has only its own budget.
         *
         * @param limits the limits, each with its own window; none to remove them, even those {@link #perIp} would
         *     give
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder perIpNetwork(Limit... limits) {
            this.perIpNetwork = check("perIpNetwork", limits);
            return this;
        }

        /**
         * Limits verifications from one wider IPv6 network, on top of {@link #verifyPerIp}; see {@link #perIpNetwork}.
         * Unless this is called, they follow {@link #verifyPerIp} at {@link #build()}:
         * {@value RateLimits#NETWORK_FACTOR} times each count over the same window. Calling it with no limits removes
         * them.
         *
         * @param limits the limits, each with its own window; none to remove them, even those {@link #verifyPerIp}
         *     would give
         * @return this builder
         * @throws IllegalArgumentException if two limits have the same window
         * @throws NullPointerException if the array or a limit in it is null
         */
        public Builder verifyPerIpNetwork(Limit... limits) {
            this.verifyPerIpNetwork = check("verifyPerIpNetwork", limits);
            return this;
        }

        /**
         * Sets how IPv6 addresses are counted: by their first {@code perIp} bits for {@link #perIp} and
         * {@link #verifyPerIp} (64 unless set: one end user usually holds a whole /64), and by their first
         * {@code network} bits for {@link #perIpNetwork} and {@link #verifyPerIpNetwork} (48 unless set: the largest
         * allocation one customer usually gets).
         *
         * @param perIp from 32 to 128
         * @param network from 16 to {@code perIp}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder ipv6Prefixes(int perIp, int network) {
            if (perIp < 32 || perIp > 128) {
                throw new IllegalArgumentException("ipv6Prefixes: the per-IP prefix must be from 32 to 128: " + perIp);
            }
            if (network < 16 || network > perIp) {
                throw new IllegalArgumentException("ipv6Prefixes: the network prefix must be from 16 to the per-IP "
                        + "prefix, " + perIp + ": " + network);
            }
            this.ipv6Prefix = perIp;
            this.ipv6NetworkPrefix = network;
            return this;
        }

        private static List<Limit> check(String scope, Limit[] limits) {
            Objects.requireNonNull(limits, scope);
            Set<Duration> windows = new HashSet<>();
            for (Limit limit : limits) {
                Objects.requireNonNull(limit, () -> scope + " limit");
                if (!windows.add(limit.window())) {
                    throw new IllegalArgumentException(scope + " has two limits with window " + limit.window() + ": "
                            + Arrays.toString(limits));
                }
            }
            return List.of(limits);
        }

        /**
         * Builds the limits; the builder is not changed.
         *
         * @return the limits
         */
        public RateLimits build() {
            return new RateLimits(this);
        }
    }
}
