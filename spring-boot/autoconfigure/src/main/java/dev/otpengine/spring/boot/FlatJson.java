package dev.otpengine.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a flat JSON object, such as Vonage's delivery receipt when the account sends them as {@code POST-JSON}:
 * each member's value a string, a number, {@code true} or {@code false} (kept as its text), or {@code null} (left
 * out). A nested object or array, a duplicate name, or anything else that is not such an object is refused: a
 * receipt is flat, and its signature is over the members as strings. Small on purpose, so the webhook needs no JSON
 * library of the application's choosing and reads exactly what it signs.
 *
 * <p>{@link #nested} reads the same way an object whose members may also be objects and arrays, at most
 * {@value #MAX_DEPTH} deep, for Meta's WhatsApp webhooks (their signature is over the body's bytes, checked before
 * this reads them).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class FlatJson {

    /** The most levels of objects and arrays {@link #nested} reads: {@value}; Meta's status webhook has seven. */
    static final int MAX_DEPTH = 16;

    private final String text;
    private final int maxDepth;
    private int at;

    private FlatJson(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
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
        Map<String, Object> members = read(text, 1);
        Map<String, String> flat = new LinkedHashMap<>();
        members.forEach((name, value) -> flat.put(name, (String) value)); // depth 1: only strings
        return flat;
    }

    /**
     * Reads an object whose members may be objects ({@link Map}) and arrays ({@link List}) too; every other value
     * is its text as in {@link #parse}, and a {@code null} is left out of objects and arrays alike.
     *
     * @param text the JSON
     * @return its members, in order
     * @throws IllegalArgumentException if it is not an object, is nested deeper than {@value #MAX_DEPTH}, or an object
     *     or array in it has more than {@value FormFields#MAX_FIELDS} members
     */
    static Map<String, Object> nested(String text) {
        return read(text, MAX_DEPTH);
    }

    private static Map<String, Object> read(String text, int maxDepth) {
        FlatJson json = new FlatJson(text, maxDepth);
        Map<String, Object> members = json.object(1);
        json.space();
        if (json.at != text.length()) {
            throw new IllegalArgumentException("text after the object at " + json.at);
        }
        return members;
    }

    private Map<String, Object> object(int depth) {
        space();
        expect('{');
        Map<String, Object> members = new LinkedHashMap<>();
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
            Object value = value(depth);
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

    private List<Object> array(int depth) {
        expect('[');
        List<Object> elements = new ArrayList<>();
        space();
        if (peek() == ']') {
            at++;
            return elements;
        }
        while (true) {
            space();
            Object value = value(depth);
            if (elements.size() == FormFields.MAX_FIELDS) {
                throw new IllegalArgumentException("an array has at most " + FormFields.MAX_FIELDS + " elements");
            }
            if (value != null) {
                elements.add(value);
            }
            space();
            char c = next();
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or ] at " + (at - 1));
            }
        }
    }

    /** A value inside an object or array at {@code depth}; one that opens another is at {@code depth + 1}. */
    private Object value(int depth) {
        char c = peek();
        if ((c == '{' || c == '[') && depth < maxDepth) {
            return c == '{' ? object(depth + 1) : array(depth + 1);
        }
        if ((c == '{' || c == '[') && maxDepth > 1) {
            throw new IllegalArgumentException("nested deeper than " + maxDepth + " at " + at);
        }
        return scalar();
    }

    private String scalar() {
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
