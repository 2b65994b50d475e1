package dev.otpengine.spring.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON shape the login reads, a flat object of strings ({@code {"requestId":"…","code":"…"}}), and the
 * quoting of the strings it writes: small enough to read here rather than bring a JSON library into every
 * application that signs in with a code.
 */
final class JsonFields {

    private final String s;
    private int i;

    private JsonFields(String s) {
        this.s = s;
    }

    /**
     * The string fields of a flat JSON object; other values (numbers, booleans, null) as their text.
     *
     * @throws IllegalArgumentException if it is not a flat JSON object
     */
    static Map<String, String> read(String json) {
        JsonFields r = new JsonFields(json);
        Map<String, String> fields = new LinkedHashMap<>();
        r.skip();
        r.expect('{');
        r.skip();
        if (r.peek() == '}') {
            r.i++;
        } else {
            while (true) {
                r.skip();
                String name = r.string();
                r.skip();
                r.expect(':');
                r.skip();
                fields.put(name, r.peek() == '"' ? r.string() : r.bare());
                r.skip();
                char c = r.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or } at " + (r.i - 1));
                }
            }
        }
        r.skip();
        if (r.i != json.length()) {
            throw new IllegalArgumentException("text after the object at " + r.i);
        }
        return fields;
    }

    /** A string as a JSON string literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
        }
    }

    private String bare() {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("expected a value at " + i);
        }
        return s.substring(start, i);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in a string at " + (i - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw new IllegalArgumentException("short \\u escape at " + i);
                    }
                    try {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw new IllegalArgumentException("bad \\u escape at " + i, x);
                    }
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape at " + (i - 1));
            }
        }
    }
}
