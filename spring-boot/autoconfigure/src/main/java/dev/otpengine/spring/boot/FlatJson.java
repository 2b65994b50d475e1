package dev.otpengine.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a flat JSON object, such as Vonage's delivery receipt when the account sends them as {@code POST-JSON}:
 * each member's value a string, a number, {@code true} or {@code false} (kept as its text), or {@code null} (left
 * out). A nested object or array, a duplicate name, or anything else that is not such an object is refused: a
 * receipt is flat, and its signature is over the members as strings. Small on purpose, so the webhook needs no JSON
 * library of the application's choosing and reads exactly what it signs.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class FlatJson {

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * Reads an object.
     *
     * @param text the JSON
     * @return its members, in order
     * @throws IllegalArgumentException if it is not a flat object, or has more than {@value FormFields#MAX_FIELDS}
     *     members
     */
    static Map<String, String> parse(String text) {
        FlatJson json = new FlatJson(text);
        Map<String, String> members = json.object();
        json.space();
        if (json.at != text.length()) {
            throw new IllegalArgumentException("text after the object at " + json.at);
        }
        return members;
    }

    private Map<String, String> object() {
        space();
        expect('{');
        Map<String, String> members = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            space();
            String name = string();
            space();
            expect(':');
            space();
            String value = value();
            if (members.containsKey(name)) {
                throw new IllegalArgumentException("a duplicate member at " + at);
            }
            if (members.size() == FormFields.MAX_FIELDS) {
                throw new IllegalArgumentException("an object has at most " + FormFields.MAX_FIELDS + " members");
            }
            members.put(name, value); // a null is kept until the end, so a duplicate of it is still found
            space();
            char c = next();
            if (c == '}') {
                members.values().removeIf(v -> v == null);
                return members;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (at - 1));
            }
        }
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int start = at;
            while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            try {
                new java.math.BigDecimal(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a malformed number at " + start, e);
            }
            return number;
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, at)) {
                at += word.length();
                return word.equals("null") ? null : word;
            }
        }
        throw new IllegalArgumentException("expected a string, a number, true, false or null at " + at);
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("a control character in a string at " + (at - 1));
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': case '\\': case '/':
                    s.append(e);
                    break;
                case 'b':
                    s.append('\b');
                    break;
                case 'f':
                    s.append('\f');
                    break;
                case 'n':
                    s.append('\n');
                    break;
                case 'r':
                    s.append('\r');
                    break;
                case 't':
                    s.append('\t');
                    break;
                case 'u':
                    if (at + 4 > text.length()) {
                        throw new IllegalArgumentException("a short \\u escape at " + at);
                    }
                    try {
                        s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw new IllegalArgumentException("a malformed \\u escape at " + at, x);
                    }
                    at += 4;
                    break;
                default:
                    throw new IllegalArgumentException("a malformed escape at " + (at - 1));
            }
        }
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("the text ends early");
        }
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
        }
    }
}
