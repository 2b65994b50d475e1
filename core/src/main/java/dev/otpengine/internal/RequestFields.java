package dev.otpengine.internal;

import dev.otpengine.InvalidRequestException;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;

import java.util.Locale;
import java.util.UUID;

/**
 * Checks request data that comes from end users and turns every defect into an
 * {@link InvalidRequestException} naming the field. Address formats themselves are {@link Recipient}'s.
 */
public final class RequestFields {

    private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** Longest captcha token accepted: {@value}. */
    public static final int MAX_CAPTCHA_TOKEN_LENGTH = 4096;

    private RequestFields() {
    }

    /**
     * Requires a value that is present.
     *
     * @param field the field's name
     * @param value the value
     * @param <T> the value's type
     * @return {@code value}
     * @throws InvalidRequestException if {@code value} is null
     */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        return value;
    }

    /**
     * Parses a UUID given as text.
     *
     * @param field the field's name
     * @param text the text
     * @return the UUID
     * @throws InvalidRequestException if {@code text} is null or not a UUID in its 36-character form
     */
    public static UUID uuid(String field, String text) {
        required(field, text);
        String t = text.strip();
        if (t.length() == 36) {
            try {
                return UUID.fromString(t);
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
        }
        // never the value: swapped arguments would put a code or a phone here
        throw new InvalidRequestException(field, field + " must be a UUID such as 123634df-ddfe-4dda-b31d-f3b4e75fc5dc, "
                + "36 characters; got " + t.length());
    }

    /**
     * Checks an address of any kind by building a one-address {@link Recipient}.
     *
     * @param kind the address kind, the field's name
     * @param raw the address
     * @return the normalized address
     * @throws InvalidRequestException if it is null or malformed
     */
    public static String address(String kind, String raw) {
        if (!Recipient.PHONE.equals(kind) && !Recipient.EMAIL.equals(kind) && !KIND.matcher(kind).matches()) {
            // a malformed kind names no field a client could know: the field is "kind", and the kind is not repeated
            throw new InvalidRequestException("kind",
                    "address kind must be lowercase letters, digits, - or _, starting with a letter, at most 32");
        }
        required(kind, raw);
        try {
            switch (kind) {
                case Recipient.PHONE:
                    return Recipient.normalizePhone(raw);
                case Recipient.EMAIL:
                    return Recipient.normalizeEmail(raw);
                default:
                    return Recipient.builder().address(kind, raw).build().address(kind).orElseThrow();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(kind, e.getMessage());
        }
    }

    /**
     * Canonicalizes the user's IP address.
     *
     * @param raw an IPv4 or IPv6 literal, or {@code null} for none
     * @return the canonical form, or {@code null} for none
     * @throws InvalidRequestException if it is not an IP address literal
     */
    public static String userIp(String raw) {
        if (raw == null) {
            return null;
        }
        return IpAddresses.canonical(raw.strip()).orElseThrow(() -> new InvalidRequestException("userIp",
                "userIp must be an IPv4 or IPv6 address such as 203.0.113.7 or 2001:db8::7")); // never the value
    }

    /**
     * Checks a captcha token's size.
     *
     * @param raw the token, or {@code null} or blank for none
     * @return the trimmed token, or {@code null} for none
     * @throws InvalidRequestException if it is longer than {@value #MAX_CAPTCHA_TOKEN_LENGTH} characters
     */
    public static String captchaToken(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String t = raw.strip();
        if (t.length() > MAX_CAPTCHA_TOKEN_LENGTH) {
            throw new InvalidRequestException("captchaToken",
                    "captchaToken must be at most " + MAX_CAPTCHA_TOKEN_LENGTH + " characters: " + t.length());
        }
        return t;
    }

    /**
     * Normalizes a code as typed: removes spaces and dashes and uppercases, so {@code "123 456"} and
     * {@code "ab-c2"} work. The message never repeats the code.
     *
     * @param raw the code
     * @return the normalized code
     * @throws InvalidRequestException if it is null, or not {@link Widget#MIN_CODE_LENGTH} to
     *     {@link Widget#MAX_CODE_LENGTH} ASCII letters and digits
     */
    public static String code(String raw) {
        required("code", raw);
        StringBuilder code = new StringBuilder(Widget.MAX_CODE_LENGTH);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!alphanumeric || code.length() == Widget.MAX_CODE_LENGTH) {
                throw badCode();
            }
            code.append(c);
        }
        if (code.length() < Widget.MIN_CODE_LENGTH) {
            throw badCode();
        }
        return code.toString().toUpperCase(Locale.ROOT);
    }

    private static InvalidRequestException badCode() {
        return new InvalidRequestException("code", "code must be " + Widget.MIN_CODE_LENGTH + " to "
                + Widget.MAX_CODE_LENGTH + " letters or digits");
    }
}
