package dev.otpengine.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a code is for: a phone number (E.164), an email address, and any addresses custom channels need
 * ({@code address("telegram")}). At least one address is present.
 *
 * <p>This class is also the one place that knows the address formats: {@link #normalizePhone} and
 * {@link #normalizeEmail} say what is accepted, and {@link #maskPhone} and {@link #maskEmail} how an address
 * is shown in logs. {@link #toString()} masks every address.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Recipient {

    /** The address kind of {@link #phone()}: {@value}. */
    public static final String PHONE = "phone";
    /** The address kind of {@link #email()}: {@value}. */
    public static final String EMAIL = "email";

    /** Longest email address SMTP allows (RFC 5321): {@value}. */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** Longest custom address value: {@value}. */
    public static final int MAX_ADDRESS_LENGTH = 256;

    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern EMAIL_LOCAL = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*");
    private static final Pattern EMAIL_DOMAIN =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private final String phone;
    private final String email;
    private final Map<String, String> custom;

    private Recipient(String phone, String email, Map<String, String> custom) {
        this.phone = phone;
        this.email = email;
        this.custom = custom;
    }

    /**
     * A recipient with a phone number only.
     *
     * @param phone an E.164 number; spaces, dots, dashes and parentheses are removed first
     * @return the recipient
     * @throws IllegalArgumentException if the number is not E.164 after normalizing
     * @throws NullPointerException if {@code phone} is null
     */
    public static Recipient ofPhone(String phone) {
        return builder().phone(phone).build();
    }

    /**
     * A recipient with an email address only.
     *
     * @param email an email address; it is lowercased
     * @return the recipient
     * @throws IllegalArgumentException if the address is malformed
     * @throws NullPointerException if {@code email} is null
     */
    public static Recipient ofEmail(String email) {
        return builder().email(email).build();
    }

    /**
     * The kind of an address typed into one field that takes either a phone or an email (a login form, the REST API's
     * {@code recipient}, a widget's test recipient): {@link #EMAIL} when it holds an {@code @}, else {@link #PHONE}.
     * The one place this guess is made.
     *
     * @param address the address as typed
     * @return {@link #EMAIL} or {@link #PHONE}
     * @throws NullPointerException if {@code address} is null
     */
    public static String kindOf(String address) {
        return Objects.requireNonNull(address, "address").indexOf('@') >= 0 ? EMAIL : PHONE;
    }

    /**
     * A recipient from an address typed into one field that takes either a phone or an email: an email when it holds
     * an {@code @}, else a phone ({@link #kindOf}).
     *
     * @param address the address as typed
     * @return the recipient
     * @throws IllegalArgumentException if the address is malformed for its kind
     * @throws NullPointerException if {@code address} is null
     */
    public static Recipient of(String address) {
        return builder().address(kindOf(address), address).build();
    }

    /**
     * Starts a recipient with several addresses.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The phone number in E.164 form ({@code +12025550162}).
     *
     * @return the number, or empty if the recipient has none
     */
    public Optional<String> phone() {
        return Optional.ofNullable(phone);
    }

    /**
     * The email address, lowercased.
     *
     * @return the address, or empty if the recipient has none
     */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /**
     * The address of one kind: {@value #PHONE}, {@value #EMAIL}, or a custom kind such as {@code "telegram"}.
     *
     * @param kind the address kind
     * @return the address, or empty if the recipient has none of that kind
     * @throws NullPointerException if {@code kind} is null
     */
    public Optional<String> address(String kind) {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case PHONE:
                return phone();
            case EMAIL:
                return email();
            default:
                return Optional.ofNullable(custom.get(kind));
        }
    }

    /**
     * Every address, kind to value: phone first, then email, then custom kinds in the order they were added.
     *
     * @return an unmodifiable map with at least one entry
     */
    public Map<String, String> addresses() {
        if (custom.isEmpty() && (phone == null || email == null)) { // one address: the common case, cheaply
            return phone != null ? Map.of(PHONE, phone) : Map.of(EMAIL, email);
        }
        Map<String, String> all = new LinkedHashMap<>();
        if (phone != null) {
            all.put(PHONE, phone);
        }
        if (email != null) {
            all.put(EMAIL, email);
        }
        all.putAll(custom);
        return Collections.unmodifiableMap(all);
    }

    /**
     * Normalizes a phone number to E.164: removes a bracketed trunk prefix {@code (0)} (as in
     * {@code +44 (0)7911 123456}), spaces, dots, dashes and parentheses, then requires {@code +}, a non-zero digit and
     * 6 to 14 more digits. A channel that knows a country's numbering (the SMS channel, with libphonenumber) reads the
     * result further, before anything is counted: see {@link Channel#readAddress}.
     *
     * @param raw the number as typed
     * @return the E.164 number
     * @throws IllegalArgumentException if the result is not E.164; the message names the field, not the input
     * @throws NullPointerException if {@code raw} is null
     */
    public static String normalizePhone(String raw) {
        Objects.requireNonNull(raw, PHONE);
        if (raw.indexOf("(0)") >= 0) {
            // the bracketed trunk prefix of national writing after a country code: +44 (0)7911 123456 is +447911123456
            raw = raw.replace("(0)", "");
        }
        // By hand rather than with regular expressions: every send and verification passes here. Equivalent to
        // removing [\s().-] and matching \+[1-9][0-9]{6,14}, without allocating when nothing is removed.
        int n = raw.length();
        StringBuilder kept = null;
        int length = 0;
        boolean valid = true;
        for (int i = 0; i < n && valid; i++) {
            char c = raw.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r'
                    || c == '(' || c == ')' || c == '.' || c == '-') {
                if (kept == null) {
                    kept = new StringBuilder(n).append(raw, 0, i);
                }
                continue;
            }
            if (length == 0) {
                valid = c == '+';
            } else if (length == 1) {
                valid = c >= '1' && c <= '9';
            } else {
                valid = c >= '0' && c <= '9' && length < 16;
            }
            length++;
            if (kept != null) {
                kept.append(c);
            }
        }
        if (!valid || length < 8) {
            // never the value: a message may reach a client or a log, and a swapped argument may be a code
            throw new IllegalArgumentException("phone must be in E.164 format, a + and 7 to 15 digits such as +12025550162");
        }
        return kept == null ? raw : kept.toString();
    }

    /**
     * Normalizes an email address: trims it, checks it is {@code local@domain} with an RFC 5321 dot-atom local
     * part of at most 64 characters and a domain of at least two labels, and lowercases it, so that
     * {@code Ann@Example.com} and {@code ann@example.com} count as one recipient for resends and limits.
     *
     * @param raw the address as typed
     * @return the normalized address
     * @throws IllegalArgumentException if the address is malformed; the message shows it masked
     * @throws NullPointerException if {@code raw} is null
     */
    public static String normalizeEmail(String raw) {
        Objects.requireNonNull(raw, EMAIL);
        String trimmed = raw.strip();
        int at = trimmed.lastIndexOf('@');
        boolean valid = trimmed.length() <= MAX_EMAIL_LENGTH
                && at > 0 && at <= 64 && at < trimmed.length() - 1
                && EMAIL_LOCAL.matcher(trimmed).region(0, at).matches()
                && EMAIL_DOMAIN.matcher(trimmed).region(at + 1, trimmed.length()).matches();
        if (!valid) {
            throw new IllegalArgumentException("email must be an address such as ann@example.com"); // never the value
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    /**
     * The inbox an email address reaches, as the engine counts it for limits and resend cooldowns: the normalized
     * address without a subaddress tag ({@code ann+promo@example.com} is {@code ann@example.com}, RFC 5233), and for
     * Gmail ({@code gmail.com} and its alias {@code googlemail.com}) without the dots of the local part, which Gmail
     * ignores ({@code a.n.n@googlemail.com} is {@code ann@gmail.com}). A message still goes to the address as given;
     * only its counting is per inbox, so that {@code victim+1@…} … {@code victim+60@…} are one recipient, not sixty.
     *
     * @param email a normalized address ({@link #normalizeEmail})
     * @return the inbox's key, an address
     * @throws NullPointerException if {@code email} is null
     */
    public static String inbox(String email) {
        Objects.requireNonNull(email, EMAIL);
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return email;
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            String undotted = local.replace(".", "");
            local = undotted.isEmpty() ? local : undotted;
            domain = "gmail.com";
        }
        return local + '@' + domain;
    }

    /**
     * Masks a phone number for logs and messages: the {@code +} and first digit, then stars, then the last four
     * digits ({@code +79991234567} becomes {@code +7******4567}). Short or odd input is starred whole.
     *
     * @param phone the number, may be malformed
     * @return the masked form; {@code "null"} for null
     */
    public static String maskPhone(String phone) {
        if (phone == null) {
            return "null";
        }
        int n = phone.length();
        if (n < 8) {
            return "*".repeat(n);
        }
        return printable(phone.substring(0, 2) + "*".repeat(Math.min(n - 6, 16)) + phone.substring(n - 4));
    }

    /**
     * Masks an email address for logs and messages: the first character of the local part, {@code ***}, and the
     * domain ({@code ann@example.com} becomes {@code a***@example.com}). Input without an {@code @} is starred.
     *
     * @param email the address, may be malformed
     * @return the masked form; {@code "null"} for null
     */
    public static String maskEmail(String email) {
        if (email == null) {
            return "null";
        }
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return "***";
        }
        String domain = email.substring(at);
        return printable(email.charAt(0) + "***" + (domain.length() <= 64 ? domain : domain.substring(0, 61) + "..."));
    }

    /** A masked form fit for a log line or a message: control characters (CR, LF) and lone surrogates as {@code ?}. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return out.toString();
    }

    private static String maskCustom(String value) {
        return value.length() < 8 ? "***" : printable(value.charAt(0) + "***" + value.charAt(value.length() - 1));
    }

    /**
     * Equal when every address is equal.
     *
     * @param o another object
     * @return whether {@code o} is a recipient with the same addresses
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Recipient)) {
            return false;
        }
        Recipient other = (Recipient) o;
        return Objects.equals(phone, other.phone) && Objects.equals(email, other.email) && custom.equals(other.custom);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phone, email, custom);
    }

    /**
     * Lists the addresses masked, such as {@code Recipient[phone=+7******4567, email=a***@example.com]}.
     *
     * @return a string that is safe to log
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Recipient[");
        String separator = "";
        for (Map.Entry<String, String> e : addresses().entrySet()) {
            s.append(separator).append(e.getKey()).append('=').append(masked(e.getKey(), e.getValue()));
            separator = ", ";
        }
        return s.append(']').toString();
    }

    /**
     * Masks an address of any kind the way {@link #toString()} does.
     *
     * @param kind the address kind
     * @param value the address
     * @return the masked form
     */
    public static String masked(String kind, String value) {
        switch (kind) {
            case PHONE:
                return maskPhone(value);
            case EMAIL:
                return maskEmail(value);
            default:
                return value == null ? "null" : maskCustom(value);
        }
    }

    /**
     * Builds a {@link Recipient}. Each setter validates at once.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private String phone;
        private String email;
        private final Map<String, String> custom = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the phone number.
         *
         * @param phone an E.164 number, see {@link Recipient#normalizePhone}
         * @return this builder
         * @throws IllegalArgumentException if the number is not E.164
         * @throws NullPointerException if {@code phone} is null
         */
        public Builder phone(String phone) {
            this.phone = normalizePhone(phone);
            return this;
        }

        /**
         * Sets the email address.
         *
         * @param email an address, see {@link Recipient#normalizeEmail}
         * @return this builder
         * @throws IllegalArgumentException if the address is malformed
         * @throws NullPointerException if {@code email} is null
         */
        public Builder email(String email) {
            this.email = normalizeEmail(email);
            return this;
        }

        /**
         * Sets the address of one kind; {@value #PHONE} and {@value #EMAIL} go to {@link #phone} and
         * {@link #email}, other kinds are kept as given.
         *
         * @param kind lowercase letters, digits, {@code -} and {@code _}, starting with a letter, at most 32
         * @param value the address: not blank, at most {@value #MAX_ADDRESS_LENGTH} characters, no unpaired surrogate, no control
         *     characters
         * @return this builder
         * @throws IllegalArgumentException if the kind or the value is malformed
         * @throws NullPointerException if {@code kind} or {@code value} is null
         */
        public Builder address(String kind, String value) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
            switch (kind) {
                case PHONE:
                    return phone(value);
                case EMAIL:
                    return email(value);
                default:
                    custom.put(checkKind(kind), checkCustomValue(kind, value));
                    return this;
            }
        }

        /**
         * Builds the recipient.
         *
         * @return the recipient
         * @throws IllegalStateException if no address was set
         */
        public Recipient build() {
            if (phone == null && email == null && custom.isEmpty()) {
                throw new IllegalStateException("a recipient needs at least one address: set phone, email or address(kind, value)");
            }
            Map<String, String> copy = custom.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(custom));
            return new Recipient(phone, email, copy);
        }

        private static String checkKind(String kind) {
            if (!KIND.matcher(kind).matches()) {
                throw new IllegalArgumentException(
                        "address kind must be lowercase letters, digits, - or _, starting with a letter, at most 32"); // never the value
            }
            return kind;
        }

        private static String checkCustomValue(String kind, String value) {
            String v = value.strip();
            if (v.isEmpty() || v.length() > MAX_ADDRESS_LENGTH || v.chars().anyMatch(Character::isISOControl)
                    || hasUnpairedSurrogate(v)) {
                throw new IllegalArgumentException("address " + kind + " must be 1 to " + MAX_ADDRESS_LENGTH
                        + " characters without control characters or unpaired surrogates"); // never the value
            }
            return v;
        }

        /**
         * Whether a string is not well-formed UTF-16. Such a string has no UTF-8 form: a store that writes it as bytes
         * (Redis) would write {@code ?} in its place, and two different addresses would share one key.
         */
        private static boolean hasUnpairedSurrogate(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true;
                }
            }
            return false;
        }
    }
}
