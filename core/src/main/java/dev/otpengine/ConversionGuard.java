package dev.otpengine;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The toll-fraud guard: per widget, it weighs the codes sent to each range of phone numbers, and to each country or
 * territory, against the codes verified there, and once too few come back verified it stops sending to that range (or
 * that country) until it recovers. SMS pumping (bots asking for codes to numbers whose carrier pays the fraudster)
 * sends many codes that nobody ever enters; real users enter theirs.
 *
 * <p><b>Rooms.</b> A phone's <em>region</em> is its country or territory as the phone channels read it
 * ({@code otpengine-phone}: Guernsey's {@code +44 7781} is {@code GG}, not {@code GB}; Jamaica's {@code +1 876} is
 * {@code JM}; Kazakhstan's {@code +7 7} is {@code KZ}); without that reading, its calling code ({@code +44}). Its
 * <em>range</em> is the region and the first {@link #rangeDigits()} digits of its national number ({@code GG 7781}).
 * Each range has room for {@link #minSends()} codes nobody has verified, each region for {@link #regionSends()}
 * ({@code 10 × minSends} unless set), and a send takes one from both. A verified code gives back
 * {@code 1 / minVerifiedShare} (five at 20 %) to its own range and region only, so traffic whose verified share stays
 * at or above {@link #minVerifiedShare()} never runs out, and genuine users in one range never pay for pumping in
 * another; both rooms also refill evenly over the sliding {@link #window()}. So a pumped range is cut off at its
 * {@code minSends + 1}-th unverified send while the rest of its country goes on; only an attack spread over many ranges
 * of one region ({@code regionSends} unverified sends in a window) cuts the region. The counters are Bucket4j buckets
 * in the engine's store, like every other limit, so engines sharing a store share them.
 *
 * <p><b>What a cut-off answers.</b> By default a send into a cut-off range or region is <em>withheld</em>: it is
 * answered exactly as a delivered one (a request id, a code stored that verifies like any other) but nothing is
 * delivered, so its answer is the same for a phone that verified lately (let through, see below), a new phone and a
 * test recipient, and nobody can learn from it who signed in lately. The cost: a genuine new user in a cut-off range
 * waits for a code that does not come, rather than reading a refusal. {@link #refusingOpenly()} trades that back: a
 * cut-off send is refused with {@link RateLimitException} (scope
 * {@link RateLimitException.Scope#COUNTRY_CONVERSION COUNTRY_CONVERSION}), which tells anyone who asks for a code
 * whether a phone verified lately. Either way the widget's listeners hear of each withheld or refused send
 * ({@link OtpListener#onRejected}, scope {@code COUNTRY_CONVERSION}).
 *
 * <p>Only a code sent to the phone alone earns credit, or marks the phone as verified, when it is verified: a code
 * sent to a phone and an email (or another address) may have been read from the other address, so its send takes
 * from the room like any other, but its verification gives nothing back. (Otherwise anyone with a mailbox could pump
 * SMS.) An application that always sends to both should {@linkplain #trusting trust} its countries or raise
 * {@code minSends}.
 *
 * <p>Never judged: a widget's test recipients; the countries this guard {@linkplain #trusting trusts} (a trusted
 * calling code trusts its main country only, never the territories that share it: {@code trusting(44)} trusts
 * {@code GB}, not {@code GG}, {@code JE} or {@code IM}; {@link #trustingRegions} names any region); and a phone that
 * verified a code of the same widget (sent to it alone) within {@link #rememberVerified()} of its last verification,
 * which is let through even while its range is cut off (returning users keep logging in during an attack), however
 * many codes anyone asks for it meanwhile (the per-recipient limits bound those). The in-process store keeps about a tenth of
 * {@link OtpEngine.Builder#maxRateLimitKeys} such marks in all (2,000 by default, which ones past that is Caffeine's
 * frequency-based choice; Redis and PostgreSQL keep them all): raise it for a site with more returning users. Every cut-off is
 * logged at WARN once per range (or region) and window by each engine, and reported to
 * {@link OtpListener#onCountryCutOff}.
 *
 * <p>{@code ConversionGuard.of(50, 0.2, Duration.ofDays(1))} is what {@link RateLimits#defaults()} holds: a real
 * country's codes come back verified far above 20 % (a failing route brings them below it too, and then its codes do
 * not arrive anyway), so genuine traffic is never cut; 50 lets a burst of 50 sends to one range through before the
 * first of them is verified; and an attack wastes at most 50 sends per range, then about two an hour, and at most 500
 * per region, then about twenty an hour, each region judged alone (list the countries you serve with
 * {@link Widget.Builder#allowedCallingCodes} to bound the sum).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class ConversionGuard {

    /** The largest {@link #minSends()}: {@value}. */
    public static final int MAX_MIN_SENDS = 1_000_000;
    /** The default {@link #rememberVerified()}: 30 days. */
    public static final Duration DEFAULT_REMEMBER_VERIFIED = Duration.ofDays(30);
    /** The default {@link #rangeDigits()}: {@value}, such as {@code 7781} of Guernsey's {@code +44 7781 123456}. */
    public static final int DEFAULT_RANGE_DIGITS = 4;
    /** The largest {@link #rangeDigits()}: {@value}. */
    public static final int MAX_RANGE_DIGITS = 8;
    /** How many ranges' rooms a region's room holds unless set ({@link #regionSends()}): {@value}. */
    public static final int DEFAULT_RANGES_PER_REGION = 10;

    private final int minSends;
    private final double minVerifiedShare;
    private final Duration window;
    private final Set<Integer> trustedCallingCodes;
    private final Duration rememberVerified;
    private final Set<String> trustedRegions;
    private final int rangeDigits;
    /** The region's room, or 0 for {@link #DEFAULT_RANGES_PER_REGION} × minSends. */
    private final int regionSends;
    private final boolean refusesOpenly;

    private ConversionGuard(int minSends, double minVerifiedShare, Duration window, Set<Integer> trusted,
                            Duration rememberVerified, Set<String> trustedRegions, int rangeDigits, int regionSends,
                            boolean refusesOpenly) {
        this.minSends = minSends;
        this.minVerifiedShare = minVerifiedShare;
        this.window = window;
        this.trustedCallingCodes = trusted;
        this.rememberVerified = rememberVerified;
        this.trustedRegions = trustedRegions;
        this.rangeDigits = rangeDigits;
        this.regionSends = regionSends;
        this.refusesOpenly = refusesOpenly;
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
        return new ConversionGuard(minSends, minVerifiedShare, window, Set.of(), DEFAULT_REMEMBER_VERIFIED, Set.of(),
                DEFAULT_RANGE_DIGITS, 0, false);
    }

    /**
     * A copy that never judges these countries: sends to them are neither counted nor refused. For the countries most
     * of your users are in, where a cut-off would hurt more than an attack costs. A calling code trusts its main
     * country only ({@link dev.otpengine.spi.AddressReading#MAIN_REGION} as the phone channels read it):
     * {@code trusting(44)} trusts {@code GB} but not Guernsey, Jersey or the Isle of Man, {@code trusting(1)} the
     * United States but not Canada or the Caribbean, {@code trusting(7)} Russia but not Kazakhstan; name those with
     * {@link #trustingRegions}. Without a reading that tells a number's region apart (no phone channel on
     * {@code otpengine-phone}), the whole calling code is trusted.
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
                rememberVerified, trustedRegions, rangeDigits, regionSends, refusesOpenly);
    }

    /**
     * A copy that never judges these countries or territories, named as the phone channels read a number's region
     * (ISO 3166-1 alpha-2, such as {@code "CA"} or {@code "GG"}): for a territory that shares a calling code, which
     * {@link #trusting} leaves judged.
     *
     * @param regions two capital letters each; none to trust none
     * @return the copy
     * @throws IllegalArgumentException if a region is not two capital letters, naming it
     * @throws NullPointerException if {@code regions} or one of them is null
     */
    public ConversionGuard trustingRegions(String... regions) {
        Objects.requireNonNull(regions, "regions");
        Set<String> trusted = new TreeSet<>();
        for (String region : regions) {
            Objects.requireNonNull(region, "trustingRegions: a region");
            if (!region.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("trustingRegions: a region must be two capital letters (ISO 3166-1 "
                        + "alpha-2, such as CA): " + region);
            }
            trusted.add(region);
        }
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified,
                Collections.unmodifiableSet(trusted), rangeDigits, regionSends, refusesOpenly);
    }

    /**
     * A copy whose ranges are this many leading digits of a number's national number: more digits judge narrower
     * ranges (an attack on one is cut off with less of its country beside it, but an attack spread over many ranges
     * has more rooms to spend before its region's room stops it).
     *
     * @param digits from 1 to {@value #MAX_RANGE_DIGITS}; {@value #DEFAULT_RANGE_DIGITS} by default
     * @return the copy
     * @throws IllegalArgumentException if out of range
     */
    public ConversionGuard withRangeDigits(int digits) {
        if (digits < 1 || digits > MAX_RANGE_DIGITS) {
            throw new IllegalArgumentException("rangeDigits must be from 1 to " + MAX_RANGE_DIGITS + ": " + digits);
        }
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified,
                trustedRegions, digits, regionSends, refusesOpenly);
    }

    /**
     * A copy whose regions each have room for this many unverified sends in a window, over all their ranges.
     *
     * @param sends from {@link #minSends()} to {@value #MAX_MIN_SENDS}; {@value #DEFAULT_RANGES_PER_REGION} ×
     *     {@code minSends} by default
     * @return the copy
     * @throws IllegalArgumentException if out of range
     */
    public ConversionGuard withRegionSends(int sends) {
        if (sends < minSends || sends > MAX_MIN_SENDS) {
            throw new IllegalArgumentException("regionSends must be from minSends (" + minSends + ") to "
                    + MAX_MIN_SENDS + ": " + sends);
        }
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified,
                trustedRegions, rangeDigits, sends, refusesOpenly);
    }

    /**
     * A copy that refuses a cut-off send with {@link RateLimitException} (scope
     * {@link RateLimitException.Scope#COUNTRY_CONVERSION COUNTRY_CONVERSION}) instead of withholding it. A new user
     * then reads why no code comes, but anyone can ask for a code to a phone and learn from the answer whether that
     * phone verified a code lately (let through) or not (refused), at no SMS cost: choose it only where who signs in
     * is no secret.
     *
     * @return the copy
     */
    public ConversionGuard refusingOpenly() {
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified,
                trustedRegions, rangeDigits, regionSends, true);
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
        return new ConversionGuard(minSends, minVerifiedShare, window, trustedCallingCodes, duration, trustedRegions,
                rangeDigits, regionSends, refusesOpenly);
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

    /** @return the regions never judged, in ascending order; unmodifiable */
    public Set<String> trustedRegions() {
        return trustedRegions;
    }

    /** @return how many leading digits of a national number make its range */
    public int rangeDigits() {
        return rangeDigits;
    }

    /** @return how many unverified sends a region may have in one window, over all its ranges */
    public int regionSends() {
        return regionSends != 0 ? regionSends : (int) Math.min(MAX_MIN_SENDS, (long) DEFAULT_RANGES_PER_REGION * minSends);
    }

    /** @return whether a cut-off send is refused ({@link #refusingOpenly()}) rather than withheld */
    public boolean refusesOpenly() {
        return refusesOpenly;
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
                && rememberVerified.equals(other.rememberVerified) && trustedRegions.equals(other.trustedRegions)
                && rangeDigits == other.rangeDigits && regionSends() == other.regionSends()
                && refusesOpenly == other.refusesOpenly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minSends, minVerifiedShare, window, trustedCallingCodes, rememberVerified, trustedRegions,
                rangeDigits, regionSends(), refusesOpenly);
    }

    /**
     * @return for example {@code "ConversionGuard[50 sends a range (4 digits), 500 a region, at 20.0 % verified per
     *     PT24H, trusting [49], ...]"}
     */
    @Override
    public String toString() {
        return "ConversionGuard[" + minSends + " sends a range (" + rangeDigits + " digits), " + regionSends()
                + " a region, at " + (minVerifiedShare * 100) + " % verified per " + window
                + ", trusting " + (trustedCallingCodes.isEmpty() ? "none" : Arrays.toString(
                trustedCallingCodes.toArray())) + (trustedRegions.isEmpty() ? "" : " and " + trustedRegions)
                + ", remembering verified phones " + rememberVerified + (refusesOpenly ? ", refusing openly" : "")
                + "]";
    }
}
