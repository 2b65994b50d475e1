package dev.otpengine.internal;

import dev.otpengine.spi.Recipient;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What keeps codes and addresses out of text the engine passes on (a {@code Delivery.error()}, a log line, an event,
 * an exception): text is first read as a reader would see it ({@link #plain}), then each address of the recipient is
 * masked in every spelling gateways echo and the code removed with any separators ({@link #redact}); text about no one
 * in particular has every email-like token and long number masked ({@link #generic}); an exception is copied for a
 * log with its messages redacted and its frames kept ({@link #forLog}). Control characters never pass.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class Redaction {

    private Redaction() {
    }

    /**
     * What gateways put between the digits of a number or a code: any space (no-break ones too), any dash, dots,
     * commas, underscores, slashes, parentheses, and {@code +} (a space in a form-encoded body).
     */
    private static final String SEPARATORS = "[\\s\\p{Z}\\p{Pd}\\p{Sm}_.,:;|*/()'\"\\[\\]{}<>\\\\&#]";
    /**
     * {@code %XX}, {@code &#NN;}, {@code &#xHH;}, {@code \\uXXXX}, {@code \\xHH} and {@code %uXXXX}: how a character is
     * escaped in URLs, HTML, JSON, C-like string literals and JavaScript's {@code escape()}.
     */
    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})|&#([0-9]{1,7});|&#[xX]([0-9A-Fa-f]{1,6});"
            + "|\\\\u([0-9A-Fa-f]{4})|\\\\[xX]([0-9A-Fa-f]{2})|%[uU]([0-9A-Fa-f]{4})");
    /**
     * A run of octal escapes of two or three digits ({@code \\066\\061}, {@code \\66\\61}), as C-like languages write
     * bytes; a lone digit after a backslash is a separator between the digits of a number, not an escape.
     */
    private static final Pattern OCTAL_RUN = Pattern.compile("\\\\[0-7]{2,3}(?:[\\s:,.\\-]{0,2}\\\\[0-7]{2,3})*");
    /** One octal escape of a run. */
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{2,3})");
    /**
     * A run of hexadecimal digits, maybe in groups with {@code 0x} in front or separators between, standing alone: how
     * bytes are dumped ({@code 343833393230}, {@code 0x34 0x38}, {@code 34:38:33}).
     */
    private static final Pattern HEX_RUN = Pattern.compile("(?<![0-9A-Za-z])(?:0[xX])?[0-9A-Fa-f]{2,}"
            + "(?:[\\s:,.\\-]{1,2}(?:0[xX])?[0-9A-Fa-f]{2,})*(?![0-9A-Za-z])");
    /** A token base64 (standard or URL-safe, padded or not) may spell, long enough to hold a 4-character code. */
    private static final Pattern BASE64_TOKEN = Pattern.compile("[A-Za-z0-9+/_\\-]{6,}={0,2}");
    /** A number as gateways echo one: digits with separators between them, maybe a {@code +} or {@code %2B} first. */
    private static final Pattern NUMBER = Pattern.compile("(?:\\+|%2[Bb])?\\d(?:" + SEPARATORS + "*\\d)*");
    /** Fewest digits of a number that can name a phone: {@value}. */
    private static final int PHONE_DIGITS = 7;
    /** Anything shaped like an email address. */
    private static final Pattern ANY_EMAIL = Pattern.compile("[^\\s@<>\"(),;]+\\s*@\\s*[^\\s@<>\"(),;]+");

    /** A custom address that is an email: masked wherever and however an email is. */
    private static final Pattern EMAIL_SHAPED = Pattern.compile("[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+");
    /** A custom address that is a phone number: masked wherever and however a phone is. */
    private static final Pattern PHONE_SHAPED = Pattern.compile("\\+?\\d(?:[\\s().\\-]?\\d){6,}");

    /**
     * Removes the code and the recipient's addresses from text a channel produced, in the forms gateways echo them:
     * a phone with or without its {@code +} (or as {@code %2B}, or written with spaces, dashes and parentheses, or
     * without its country code), an email in any case or URL-encoded, any other address in any case (and, if it is
     * shaped like an email or a phone, in every form those are masked in), the code with separators between its
     * characters or in another case, escaped ({@code \\x34}, {@code %u0034}, {@code %34}, {@code \\u0034},
     * {@code &#52;}), or inside a hexadecimal or base64 token (the whole token goes).
     *
     * @param text an error message
     * @param recipient whose addresses to mask
     * @param code the code to remove, or {@code null} if none was drawn yet
     * @return the text with each address masked and the code replaced
     */
    public static String redact(String text, Recipient recipient, String code) {
        String clean = plain(text);
        for (Map.Entry<String, String> address : recipient.addresses().entrySet()) {
            String kind = address.getKey();
            String value = address.getValue();
            String mask = Recipient.masked(kind, value);
            if (Recipient.PHONE.equals(kind)) {
                clean = redactPhone(clean, value.substring(1), mask);
            } else if (Recipient.EMAIL.equals(kind) || EMAIL_SHAPED.matcher(value).matches()) {
                clean = redactEmail(clean, value, mask); // a custom kind holding an email is echoed like one
            } else {
                if (PHONE_SHAPED.matcher(value).matches()) {
                    clean = redactPhone(clean, value.replaceAll("\\D", ""), mask);
                }
                clean = Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                        .matcher(clean).replaceAll(Matcher.quoteReplacement(mask));
            }
        }
        if (code != null) {
            clean = encodedCodes(clean, HEX_RUN, code, Redaction::hexBytes);
            clean = encodedCodes(clean, OCTAL_RUN, code, Redaction::octalBytes);
            clean = encodedCodes(clean, BASE64_TOKEN, code, Redaction::base64Bytes);
            clean = codePattern(code).matcher(clean).replaceAll("<code>");
        }
        return printable(clean);
    }

    /**
     * Removes from text whatever might name a person when the engine cannot know whom it is about (an exception from
     * inside the engine, a captcha verifier's): every email-like token and every number of
     * {@value #PHONE_DIGITS} digits or more is masked, and the given secrets (a captcha token) are replaced.
     *
     * @param text the text
     * @param secrets values to replace wherever they appear, none if null
     * @return the text, masked
     */
    public static String generic(String text, String... secrets) {
        String clean = plain(text);
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                clean = clean.replace(secret, "<secret>");
            }
        }
        clean = ANY_EMAIL.matcher(clean).replaceAll("***@***");
        Matcher m = NUMBER.matcher(clean);
        StringBuilder out = new StringBuilder(clean.length());
        while (m.find()) {
            String found = m.group();
            long digits = found.chars().filter(c -> c >= '0' && c <= '9').count();
            m.appendReplacement(out, Matcher.quoteReplacement(digits >= PHONE_DIGITS ? "<number>" : found));
        }
        m.appendTail(out);
        return printable(out.toString());
    }

    /**
     * A copy of an exception fit for a log line: each message in its chain passed through {@code redactor} and its
     * class named in front, the stack frames kept, so that a log keeps where it failed and loses what it was about.
     *
     * @param t the exception
     * @param redactor what each message goes through
     * @return the copy
     */
    public static Throwable forLog(Throwable t, UnaryOperator<String> redactor) {
        return forLog(t, redactor, 0);
    }

    private static Throwable forLog(Throwable t, UnaryOperator<String> redactor, int depth) {
        String message = t.getMessage() == null ? t.getClass().getName()
                : t.getClass().getName() + ": " + redactor.apply(t.getMessage());
        Throwable cause = t.getCause() != null && t.getCause() != t && depth < 8
                ? forLog(t.getCause(), redactor, depth + 1) : null;
        Redacted copy = new Redacted(message, cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** An exception's redacted copy; its message names the original class. */
    private static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage(); // the original class is in the message already
        }
    }

    /** Control characters (a CR or LF that would split a log line) and lone surrogates as {@code ?}. */
    private static String printable(String s) {
        // code points: a pair is one supplementary character, a lone surrogate stays a SURROGATE of its own
        return s.codePoints().map(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * The text as a reader would see it, so that masking meets each address and code in one spelling: escapes decoded
     * (URL {@code %XX}, twice for double encoding, HTML numeric entities, JSON {@code \\u}), compatibility forms folded
     * (full-width digits and signs), every decimal digit made ASCII, and invisible format characters (zero-width
     * spaces) removed. A {@code +} is left as it is: it may be part of a number or of an email's tag.
     */
    public static String plain(String text) {
        String decoded = TAG.matcher(text).replaceAll(""); // <b>+447911</b><b>123456</b>
        decoded = encodedWords(decoded);                    // =?UTF-8?Q?ann=40example.com?=
        decoded = unescape(unescape(decoded));
        decoded = namedEntities(decoded);                   // &nbsp; &commat; &plus;
        decoded = AT_WORD.matcher(decoded).replaceAll("@"); // ann (at) example.com
        String folded = Normalizer.normalize(decoded, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); ) {
            int c = folded.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) == Character.FORMAT) {
                continue;
            }
            if (Character.isDigit(c) && (c < '0' || c > '9')) {
                out.append((char) ('0' + Character.digit(c, 10)));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    /** An HTML or XML tag. */
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^<>@]{0,200}>"); // <ann@example.com> is no tag
    /** An email's {@code @} spelled out: {@code (at)}, {@code [at]}, {@code {at}}. */
    private static final Pattern AT_WORD = Pattern.compile("\\s*[(\\[{]\\s*at\\s*[)\\]}]\\s*",
            Pattern.CASE_INSENSITIVE);
    /** An RFC 2047 encoded word, as mail headers and some gateways write non-ASCII text. */
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?\\s]{1,40}\\?([QqBb])\\?([^?\\s]*)\\?=");
    /** The named HTML entities gateways put between the digits of a number or around an email's {@code @}. */
    private static final Map<String, String> ENTITIES = Map.ofEntries(Map.entry("nbsp", " "), Map.entry("commat", "@"),
            Map.entry("plus", "+"), Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("period", "."), Map.entry("hyphen", "-"),
            Map.entry("dash", "-"), Map.entry("ndash", "-"), Map.entry("mdash", "-"), Map.entry("lpar", "("),
            Map.entry("rpar", ")"), Map.entry("lsqb", "["), Map.entry("rsqb", "]"), Map.entry("sol", "/"),
            Map.entry("bsol", "\\"), Map.entry("thinsp", " "), Map.entry("ensp", " "), Map.entry("emsp", " "));
    private static final Pattern ENTITY = Pattern.compile("&([A-Za-z]{2,8});");

    private static String namedEntities(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String plain = ENTITIES.get(m.group(1).toLowerCase(java.util.Locale.ROOT));
            m.appendReplacement(out, Matcher.quoteReplacement(plain != null ? plain : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String encodedWords(String text) {
        Matcher m = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String decoded;
            try {
                if (m.group(1).equalsIgnoreCase("B")) {
                    decoded = new String(java.util.Base64.getDecoder().decode(m.group(2)),
                            java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    decoded = qDecode(m.group(2));
                }
            } catch (IllegalArgumentException e) {
                decoded = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String qDecode(String word) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '=' && i + 2 < word.length()
                    && Character.digit(word.charAt(i + 1), 16) >= 0 && Character.digit(word.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(word.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c == '_' ? ' ' : c);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String unescape(String text) {
        Matcher m = ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            int c;
            if (m.group(1) != null) {
                c = Integer.parseInt(m.group(1), 16);
            } else if (m.group(2) != null) {
                c = Integer.parseInt(m.group(2));
            } else if (m.group(3) != null) {
                c = Integer.parseInt(m.group(3), 16);
            } else if (m.group(4) != null) {
                c = Integer.parseInt(m.group(4), 16);
            } else if (m.group(5) != null) {
                c = Integer.parseInt(m.group(5), 16);
            } else {
                c = Integer.parseInt(m.group(6), 16);
            }
            // a byte escape stands for a character only when it is ASCII; past that it is one byte of a UTF-8 sequence
            boolean decodable = m.group(1) != null || m.group(5) != null ? c < 0x80 : Character.isValidCodePoint(c);
            m.appendReplacement(out, Matcher.quoteReplacement(decodable ? new String(Character.toChars(c)) : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Masks every number in the text whose digits hold the phone's last 7: the number in E.164 with or without its
     * {@code +}, in any national form, with a trunk or international prefix, without its country code, or run together
     * with the numbers around it.
     */
    private static String redactPhone(String text, String digits, String mask) {
        String tail = digits.substring(digits.length() - PHONE_DIGITS);
        Matcher m = NUMBER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String found = m.group();
            String run = (found.startsWith("%") ? found.substring(3) : found).replaceAll("\\D", "");
            m.appendReplacement(out, Matcher.quoteReplacement(run.contains(tail) ? mask : found));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Masks an email in any case, with any {@code +tag} or none, its local part quoted or not, spaces around the
     * {@code @}, its domain in brackets or not.
     */
    private static String redactEmail(String text, String email, String mask) {
        String masked = redactSpelling(text, email, mask);
        String inbox = Recipient.inbox(email.toLowerCase(Locale.ROOT));
        if (!inbox.equalsIgnoreCase(email)) {
            masked = redactSpelling(masked, inbox, mask); // the same inbox as Gmail reads it: dots and alias dropped
        }
        if (inbox.endsWith("@gmail.com")) {
            masked = redactGmail(masked, inbox.substring(0, inbox.length() - "@gmail.com".length()), mask);
        }
        return masked;
    }

    /**
     * Masks every Gmail spelling of one inbox: its local part with dots anywhere, any {@code +tag}, at {@code gmail.com}
     * or {@code googlemail.com}, in any case.
     */
    private static String redactGmail(String text, String dotless, String mask) {
        if (dotless.isEmpty()) {
            return text;
        }
        StringBuilder local = new StringBuilder();
        for (int i = 0; i < dotless.length(); i++) {
            if (i > 0) {
                local.append("\\.?");
            }
            local.append(Pattern.quote(dotless.substring(i, i + 1)));
        }
        Pattern any = Pattern.compile("\"?" + local + "(?:\\+[^@\\s\"]*)?\"?\\s*@\\s*\\[?(?:gmail|googlemail)\\.com\\]?",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return any.matcher(text).replaceAll(Matcher.quoteReplacement(mask));
    }

    private static String redactSpelling(String text, String email, String mask) {
        int at = email.lastIndexOf('@');
        String local = email.substring(0, at);
        int plus = local.indexOf('+');
        String mailbox = plus > 0 ? local.substring(0, plus) : local;
        Pattern any = Pattern.compile("\"?" + Pattern.quote(mailbox) + "(?:\\+[^@\\s\"]*)?\"?\\s*@\\s*\\[?"
                + Pattern.quote(email.substring(at + 1)) + "\\]?", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return any.matcher(text).replaceAll(Matcher.quoteReplacement(mask));
    }

    /**
     * Replaces each token that decodes to bytes holding the code (as ASCII, or as UTF-16 in either byte order: the
     * zero bytes are left out) with {@code <code>}; tokens that do not stay as they are.
     */
    private static String encodedCodes(String text, Pattern tokens, String code, Function<String, byte[]> decoder) {
        String wanted = code.toUpperCase(Locale.ROOT);
        Matcher m = tokens.matcher(text);
        StringBuilder out = null;
        int from = 0;
        while (m.find()) {
            byte[] bytes = decoder.apply(m.group());
            StringBuilder read = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                if (b != 0) {
                    read.append((char) (b & 0xFF));
                }
            }
            if (read.toString().toUpperCase(Locale.ROOT).contains(wanted)) {
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, from, m.start()).append("<code>");
                from = m.end();
            }
        }
        return out == null ? text : out.append(text, from, text.length()).toString();
    }

    /** The bytes a run of octal escapes spells, each escape one byte, the separators between them left out. */
    private static byte[] octalBytes(String run) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(run.length() / 3);
        Matcher m = OCTAL_ESCAPE.matcher(run);
        while (m.find()) {
            bytes.write(Integer.parseInt(m.group(1), 8));
        }
        return bytes.toByteArray();
    }

    /**
     * The bytes a run of hexadecimal digits spells, read from its first digit and, for a run of odd length, also from
     * its second (both readings one after the other, so that either may hold the code).
     */
    private static byte[] hexBytes(String run) {
        String digits = run.replaceAll("0[xX]|[^0-9A-Fa-f]", "");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(digits.length());
        for (int start = 0; start < 2 && start < digits.length(); start++) {
            for (int i = start; i + 1 < digits.length(); i += 2) {
                bytes.write(Character.digit(digits.charAt(i), 16) << 4 | Character.digit(digits.charAt(i + 1), 16));
            }
            if (digits.length() % 2 == 0) {
                break;
            }
            bytes.write(0);
        }
        return bytes.toByteArray();
    }

    /**
     * The bytes a base64 token spells, standard or URL-safe, read from each of its first four characters in turn
     * (a prefix such as {@code v1/} moves where the groups of four begin); padding and a short last group are
     * tolerated.
     */
    private static byte[] base64Bytes(String token) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(token.length() * 3);
        for (int start = 0; start < 4 && start < token.length(); start++) {
            int bits = 0;
            int held = 0;
            for (int i = start; i < token.length(); i++) {
                int value = BASE64.indexOf(token.charAt(i));
                if (value < 0) {
                    break; // the padding
                }
                bits = (bits << 6 | (value < 64 ? value : value - 2)) & 0x3FFF; // '-' and '_' are '+' and '/'
                held += 6;
                if (held >= 8) {
                    held -= 8;
                    bytes.write(bits >>> held);
                }
            }
            bytes.write(0); // the readings apart
        }
        return bytes.toByteArray();
    }

    /** The base64 alphabet, then the URL-safe alphabet's two letters for 62 and 63, at 64 and 65. */
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";

    /** The code in any case, with any separators between its characters. */
    private static Pattern codePattern(String code) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            if (i > 0) {
                regex.append(SEPARATORS).append('*');
            }
            regex.append(Pattern.quote(String.valueOf(code.charAt(i))));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
