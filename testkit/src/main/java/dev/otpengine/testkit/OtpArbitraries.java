package dev.otpengine.testkit;

import dev.otpengine.CodeAlphabet;
import dev.otpengine.Widget;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * jqwik arbitraries of what end users send to an OTP flow, valid and invalid, matching exactly what the engine
 * accepts: a valid value always passes {@code SendRequest.Builder}, an invalid one always gets an
 * {@code InvalidRequestException} naming its field.
 *
 * <pre>{@code
 * @Property
 * void anyPhoneGetsACode(@ForAll("phones") String phone) { ... }
 *
 * @Provide
 * Arbitrary<String> phones() {
 *     return OtpArbitraries.phones();
 * }
 * }</pre>
 *
 * <p>Phones are valid for the engine (E.164: {@code +}, a non-zero digit and 6 to 14 more). The SMS channel checks
 * more (with libphonenumber: a real number plan, mobile only), so use these with a {@link CapturingChannel}.
 *
 * <p><b>Thread-safety:</b> stateless; the arbitraries are as safe as jqwik's.
 */
public final class OtpArbitraries {

    private static final String LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ATOM_CHARS = LOWER_DIGITS + "!#$%&'*+/=?^_`{|}~-";
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private OtpArbitraries() {
    }

    // ------------------------------------------------------------------ phones

    /**
     * E.164 phone numbers of any calling code: {@code +}, a digit 1–9 and 6 to 14 more digits.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> phones() {
        return Combinators.combine(Arbitraries.integers().between(1, 9), digits(6, 14))
                .as((first, rest) -> "+" + first + rest);
    }

    /**
     * E.164 phone numbers that start with one country calling code, as {@code Widget.Builder.allowedCallingCodes}
     * matches them.
     *
     * @param callingCode from 1 to 999, such as {@code 7}, {@code 44} or {@code 1}
     * @return the arbitrary
     * @throws IllegalArgumentException if the calling code is out of range
     */
    public static Arbitrary<String> phonesWithCallingCode(int callingCode) {
        if (callingCode < 1 || callingCode > 999) {
            throw new IllegalArgumentException("callingCode must be from 1 to 999: " + callingCode);
        }
        String prefix = "+" + callingCode;
        int used = prefix.length() - 1;
        return digits(7 - used, 15 - used).map(rest -> prefix + rest);
    }

    /**
     * Texts the engine refuses as a phone: no {@code +}, a leading zero, too few or too many digits, letters,
     * two plus signs.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> invalidPhones() {
        Arbitrary<String> nonZero = Arbitraries.integers().between(1, 9).map(String::valueOf);
        return Arbitraries.oneOf(
                phones().map(p -> p.substring(1)),
                digits(6, 14).map(rest -> "+0" + rest),
                Combinators.combine(nonZero, digits(0, 5)).as((first, rest) -> "+" + first + rest),
                Combinators.combine(nonZero, digits(15, 20)).as((first, rest) -> "+" + first + rest),
                Combinators.combine(phones(), Arbitraries.integers().between(1, 14), Arbitraries.of(LETTERS.toCharArray()))
                        .as((p, at, letter) -> {
                            int i = Math.min(at, p.length() - 1);
                            return p.substring(0, i) + letter + p.substring(i + 1);
                        }),
                phones().map(p -> "+" + p));
    }

    // ------------------------------------------------------------------ emails

    /**
     * Email addresses the engine accepts, already in its normal form (lowercase): a dot-atom local part of at most
     * 64 characters and a domain of two to four labels.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> emails() {
        return Combinators.combine(localParts(), domains()).as((local, domain) -> local + "@" + domain);
    }

    /**
     * Texts the engine refuses as an email: no {@code @}, an empty local part or domain, a one-label domain, a dot
     * at an end of the local part or two in a row, a space, a local part over 64 characters.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> invalidEmails() {
        return Arbitraries.oneOf(
                Combinators.combine(localParts(), domains()).as((local, domain) -> local + domain),
                domains().map(domain -> "@" + domain),
                localParts().map(local -> local + "@"),
                Combinators.combine(localParts(), label()).as((local, host) -> local + "@" + host),
                emails().map(e -> "." + e),
                Combinators.combine(localParts(), domains()).as((local, domain) -> local + ".@" + domain),
                Combinators.combine(atom(), atom(), domains()).as((a, b, domain) -> a + ".." + b + "@" + domain),
                Combinators.combine(atom(), atom(), domains()).as((a, b, domain) -> a + " " + b + "@" + domain),
                Combinators.combine(atom(), domains()).as((a, domain) -> (a + "x".repeat(65)) + "@" + domain));
    }

    // ------------------------------------------------------------------ IP addresses

    /**
     * IPv4 addresses in dotted-quad form, such as {@code 203.0.113.7}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> ipv4() {
        return octet().list().ofSize(4)
                .map(octets -> octets.stream().map(String::valueOf).collect(Collectors.joining(".")));
    }

    /**
     * IPv6 addresses, in full ({@code 2001:db8:0:0:0:0:0:7}) and compressed ({@code 2001:db8::7}) forms, often with
     * runs of zero groups.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> ipv6() {
        Arbitrary<Integer> group = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(7, Arbitraries.integers().between(0, 0xffff)));
        return Combinators.combine(group.list().ofSize(8), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(OtpArbitraries::ipv6Text);
    }

    /**
     * IPv4 and IPv6 addresses, as {@link #ipv4()} and {@link #ipv6()}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> ips() {
        return Arbitraries.oneOf(ipv4(), ipv6());
    }

    /**
     * Texts the engine refuses as an IP address: an octet over 255 or with a leading zero, three or five octets,
     * a group of five hex digits, two {@code ::}, letters beyond {@code f}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> invalidIps() {
        return Arbitraries.oneOf(
                Combinators.combine(ipv4(), Arbitraries.integers().between(256, 999))
                        .as((ip, big) -> big + ip.substring(ip.indexOf('.'))),
                Combinators.combine(ipv4(), Arbitraries.integers().between(0, 99))
                        .as((ip, small) -> "0" + small + ip.substring(ip.indexOf('.'))),
                ipv4().map(ip -> ip.substring(ip.indexOf('.') + 1)),
                ipv4().map(ip -> ip + ".1"),
                ipv6().map(ip -> "12345:" + ip.substring(ip.indexOf(':') + 1)),
                Combinators.combine(Arbitraries.integers().between(1, 0xffff), Arbitraries.integers().between(1, 0xffff))
                        .as((a, b) -> hex(a) + "::" + hex(b) + "::1"),
                Arbitraries.strings().withCharRange('g', 'z').ofMinLength(1).ofMaxLength(12));
    }

    // ------------------------------------------------------------------ widgets and codes

    /**
     * Widgets with random ids, names (Latin, Cyrillic, digits, spaces), code lengths, alphabets, ttls and attempt
     * limits across their whole ranges. They name no channels (so they use all of an engine's), deliver to
     * {@code ALL}, require no captcha and use the engine's rate limits; change what a test needs with
     * {@code map(w -> w.toBuilder()...build())}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Widget> widgets() {
        Arbitrary<UUID> ids = Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong()));
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars(' ').withCharRange('а', 'я')
                .ofMinLength(1).ofMaxLength(Widget.MAX_NAME_LENGTH).filter(s -> !s.isBlank());
        Arbitrary<Duration> ttls = Arbitraries.longs()
                .between(Widget.MIN_TTL.toSeconds(), Widget.MAX_TTL.toSeconds()).map(Duration::ofSeconds);
        return Combinators.combine(ids, names, Arbitraries.integers().between(Widget.MIN_CODE_LENGTH, Widget.MAX_CODE_LENGTH),
                        Arbitraries.of(CodeAlphabet.class), ttls, Arbitraries.integers().between(1, Widget.MAX_MAX_ATTEMPTS))
                .as((id, name, length, alphabet, ttl, attempts) -> Widget.builder(id).name(name).codeLength(length)
                        .alphabet(alphabet).ttl(ttl).maxAttempts(attempts).build());
    }

    /**
     * Codes as a widget draws them: its code length, from its alphabet.
     *
     * @param widget the widget
     * @return the arbitrary
     * @throws NullPointerException if {@code widget} is null
     */
    public static Arbitrary<String> codes(Widget widget) {
        Objects.requireNonNull(widget, "widget");
        return Arbitraries.strings().withChars(widget.alphabet().symbols().toCharArray()).ofLength(widget.codeLength());
    }

    // ------------------------------------------------------------------ parts

    private static Arbitrary<String> digits(int min, int max) {
        return Arbitraries.strings().numeric().ofMinLength(min).ofMaxLength(max);
    }

    private static Arbitrary<Integer> octet() {
        return Arbitraries.integers().between(0, 255);
    }

    private static Arbitrary<String> atom() {
        return Arbitraries.strings().withChars(ATOM_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<String> localParts() {
        return atom().list().ofMinSize(1).ofMaxSize(4).map(atoms -> String.join(".", atoms))
                .filter(local -> local.length() <= 64);
    }

    private static Arbitrary<String> label() {
        return Combinators.combine(Arbitraries.strings().withChars(LOWER_DIGITS.toCharArray()).ofMinLength(1).ofMaxLength(10),
                        Arbitraries.of("", "-", "--"),
                        Arbitraries.strings().withChars(LOWER_DIGITS.toCharArray()).ofMinLength(1).ofMaxLength(10))
                .as((head, hyphens, tail) -> hyphens.isEmpty() ? head : head + hyphens + tail);
    }

    private static Arbitrary<String> domains() {
        Arbitrary<String> tld = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6);
        return Combinators.combine(label().list().ofMinSize(1).ofMaxSize(3), tld)
                .as((labels, top) -> String.join(".", labels) + "." + top);
    }

    private static String hex(int group) {
        return Integer.toHexString(group);
    }

    private static String ipv6Text(List<Integer> groups, boolean compress, boolean upper) {
        List<String> parts = new ArrayList<>(8);
        groups.forEach(g -> parts.add(hex(g)));
        String text = String.join(":", parts);
        if (compress) {
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; i++) {
                int j = i;
                while (j < 8 && groups.get(j) == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
            }
            if (bestStart >= 0) {
                text = String.join(":", parts.subList(0, bestStart)) + "::"
                        + String.join(":", parts.subList(bestStart + bestLength, 8));
            }
        }
        return upper ? text.toUpperCase(Locale.ROOT) : text;
    }
}
