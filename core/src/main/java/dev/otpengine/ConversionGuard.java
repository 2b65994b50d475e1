package dev.otpengine;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The toll-fraud guard: per widget and per destination country calling code, it weighs the codes sent against the
 * codes verified, and once too few of a country's codes come back verified it refuses further sends to that country
 * with {@link RateLimitException} (scope {@link RateLimitException.Scope#COUNTRY_CONVERSION COUNTRY_CONVERSION}) until
 * the country recovers. SMS pumping (bots asking for codes to numbers whose carrier pays the fraudster) sends many
 * codes that nobody ever enters; real users enter theirs.
 *
 * <p>How it counts, over a sliding {@link #window()}: each country starts with room for {@link #minSends()} codes
 * nobody has verified, and never holds more. A send takes one from that room; a verified code gives back
 * {@code 1 / minVerifiedShare} (five at 20 %), so traffic whose verified share stays at or above
 * {@link #minVerifiedShare()} never runs out; the room also refills evenly, {@code minSends} per window. So with
 * nothing verified a country is cut off at its {@code minSends + 1}-th send, and then gets one more send each
 * {@code window / minSends}, or more as codes already sent are verified (never more than {@code minSends} ahead).
 * The counters are Bucket4j buckets in the engine's store, like every other limit, so engines sharing a store share
 * them.
 *
 * <p>Only a code sent to the phone alone earns credit, or marks the phone as verified, when it is verified: a code
 * sent to a phone and an email (or another address) may have been read from the other address, so its send takes
 * from the room like any other, but its verification gives nothing back. (Otherwise anyone with a mailbox could pump
 * SMS.) An application that always sends to both should {@linkplain #trusting trust} its countries or raise
 * {@code minSends}.
 *
 * <p>Never penalized: a widget's test recipients; the calling codes this guard {@linkplain #trusting trusts}; and a
 * phone that verified a code of the same widget (sent to it alone) within {@link #rememberVerified()}, which is let
 * through even while its country is cut off (returning users keep logging in during an attack). The in-process store
 * remembers about a tenth of {@link OtpEngine.Builder#maxRateLimitKeys} such phones in all (2,000 by default, the
 * least recently verified forgotten first; Redis has no such bound): raise it for a site with more returning users. A new phone in a cut-off country is refused until the country recovers: no
 * signal tells it from the attacker's numbers. Every cut-off is logged at WARN once per country and window by each
 * engine, and reported to {@link OtpListener#onCountryCutOff}.
 *
 * <p>{@code ConversionGuard.of(50, 0.2, Duration.ofDays(1))} is what {@link RateLimits#defaults()} holds: a real
 * country's codes come back verified far above 20 % (a failing route brings them below it too, and then its codes do
 * not arrive anyway), so genuine traffic is never cut; 50 lets a burst of 50 sends through before the first of them
 * is verified; and an attack wastes at most 50 sends per country, then about two an hour.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class ConversionGuard {

    /** The largest {@link #minSends()}: {@value}. */
    public static final int MAX_MIN_SENDS = 1_000_000;
    /** The default {@link #rememberVerified()}: 30 days. */
    public static final Duration DEFAULT_REMEMBER_VERIFIED = Duration.ofDays(30);

    private final int minSends;
    private final double minVerifiedShare;
    private final Duration window;
    private final Set<Integer> trustedCallingCodes;
    private final Duration rememberVerified;

    private ConversionGuard(int minSends, double minVerifiedShare, Duration window, Set<Integer> trusted,
                            Duration rememberVerified) {
        this.minSends = minSends;
        this.minVerifiedShare = minVerifiedShare;
        this.window = window;
        this.trustedCallingCodes = trusted;
        this.rememberVerified = rememberVerified;
    }

    /**
     * A guard that trusts no country and remembers a verified phone for {@link #DEFAULT_REMEMBER_VERIFIED 30 days}.
     *
     * @param minSends how many unverified sends a country may have in one window before it is judged, from 1 to
     *     {@value #MAX_MIN_SENDS}
     * @param minVerifiedShare the share of sends that must come back verified, above 0 and at most 1 ({@code 0.2} is
     *     20 %)
     * @param window the sliding window, from one minute to 366 days, in whole milliseconds
     * @return the guard
     * @throws IllegalArgumentException if a value is out of range, naming it
     * @throws NullPointerException if {@code window} is null
     */
    public static ConversionGuard of(int minSends, double minVerifiedShare, Duration window) {
        Objects.requireNonNull(window, "window");
        if (minSends < 1 || minSends > MAX_MIN_SENDS) {
            throw new IllegalArgumentException("minSends must be from 1 to " + MAX_MIN_SENDS + ": " + minSends);
        }
        if (!(minVerifiedShare > 0 && minVerifiedShare <= 1)) {
            throw new IllegalArgumentException("minVerifiedShare must be above 0 and at most 1: " + minVerifiedShare);
        }
        checkDuration("window", window);
        return new ConversionGuard(minSends, minVerifiedShare, window, Set.of(), DEFAULT_REMEMBER_VERIFIED);
    }

    /**
     * A copy that never judges these countries: sends to them are neither counted nor refused. For the countries most
     * of your users are in, where a cut-off would hurt more than an attack costs.
     *
     * @param callingCodes country calling codes from 1 to 999, such as {@code 49} or {@code 1}; none to trust none
     * @return the copy
     * @throws IllegalArgumentException if a code is out of range
     * @throws NullPointerException if {@code callingCodes} is null
     */
    public ConversionGuard trusting(int... callingCodes) {
        Objects.requireNonNull(callingCodes, "callingCodes");
        Set<Integer> trusted = new TreeSet<>();
        for (int code : callingCodes) {
            if (code < 1 || code > 999) {
                throw new IllegalArgumentException("trusting: a country calling code must be from 1 to 999: " + code);
            }
            trusted.add(code);
        }
        return new ConversionGuard(minSends, minVerifiedShare, window, Collections.unmodifiableSet(trusted),
                rememberVerified);
    }

    /**
     * A copy that lets a phone which verified a code through through for this long after, even while its country is
     * cut off.
     *
     * @param duration from one minute to 366 days, in whole milliseconds
     * @return the copy
     * @throws IllegalArgumentException if out of range
     * @throws NullPointerException if {@code duration} is null
     */
    public ConversionGuard rememberingVerified(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        checkDuration("rememberVerified", duration);
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, duration);
    }

    private static void checkDuration(String name, Duration d) {
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Limit.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(name + " must be from one minute to " + Limit.MAX_WINDOW + ": " + d);
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(name + " must be a whole number of milliseconds: " + d);
        }
    }

    /** @return how many unverified sends a country may have in one window before it is cut off */
    public int minSends() {
        return minSends;
    }

    /** @return the share of sends that must come back verified, above 0 and at most 1 */
    public double minVerifiedShare() {
        return minVerifiedShare;
    }

    /** @return the sliding window */
    public Duration window() {
        return window;
    }

    /** @return the calling codes never judged, in ascending order; unmodifiable */
    public Set<Integer> trustedCallingCodes() {
        return trustedCallingCodes;
    }

    /** @return how long a phone that verified a code is let through a cut-off */
    public Duration rememberVerified() {
        return rememberVerified;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConversionGuard)) {
            return false;
        }
        ConversionGuard other = (ConversionGuard) o;
        return minSends == other.minSends && Double.compare(minVerifiedShare, other.minVerifiedShare) == 0
                && window.equals(other.window) && trustedCallingCodes.equals(other.trustedCallingCodes)
                && rememberVerified.equals(other.rememberVerified);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified);
    }

    /** @return for example {@code "ConversionGuard[50 sends at 20.0 % verified per PT24H, trusting [49], ...]"} */
    @Override
    public String toString() {
        return "ConversionGuard[" + minSends + " sends at " + (minVerifiedShare * 100) + " % verified per " + window
                + ", trusting " + (trustedCallingCodes.isEmpty() ? "none" : Arrays.toString(
                trustedCallingCodes.toArray())) + ", remembering verified phones " + rememberVerified + "]";
    }
}
