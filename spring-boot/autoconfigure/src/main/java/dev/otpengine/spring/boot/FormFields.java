package dev.otpengine.spring.boot;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an {@code application/x-www-form-urlencoded} body (or of a query string), in the order received,
 * duplicates kept: what a vendor's signature is computed over. Read from the raw bytes rather than from the servlet's
 * parameter map, which would mix the query string's parameters in with the body's (Twilio signs the query as part of
 * the URL and the body's fields after it, each once).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class FormFields {

    /** The most fields a form may have: {@value}; a vendor's callback has a few dozen. */
    static final int MAX_FIELDS = 256;

    private final List<Map.Entry<String, String>> fields;

    private FormFields(List<Map.Entry<String, String>> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    /**
     * Reads {@code name=value&name=value}, each part percent-decoded as UTF-8 with {@code +} as a space; an empty part
     * is skipped, a part without {@code =} is a field with an empty value.
     *
     * @param encoded the body or query string; {@code null} or empty gives no fields
     * @return the fields
     * @throws IllegalArgumentException if a percent escape is malformed or there are more than {@value #MAX_FIELDS}
     *     fields
     */
    static FormFields parse(String encoded) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String part : encoded.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                if (fields.size() == MAX_FIELDS) {
                    throw new IllegalArgumentException("a form has at most " + MAX_FIELDS + " fields");
                }
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                fields.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8)));
            }
        }
        return new FormFields(fields);
    }

    /**
     * Fields from a map, in its order (a JSON body's members).
     *
     * @param map the fields
     * @return the fields
     */
    static FormFields of(Map<String, String> map) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        map.forEach((name, value) -> fields.add(Map.entry(name, value)));
        return new FormFields(fields);
    }

    /**
     * The first value of a field.
     *
     * @param name the field's name, case-sensitive
     * @return the value, or {@code null} if the form has no such field
     */
    String first(String name) {
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /**
     * The fields sorted by name, then by value, in Java's (UTF-16, case-sensitive) order: Twilio's "sorted by name".
     *
     * @return a new list
     */
    List<Map.Entry<String, String>> sorted() {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(fields);
        sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        return sorted;
    }

    /**
     * The first value of each field, in the order received.
     *
     * @return a new map
     */
    Map<String, String> firstValues() {
        Map<String, String> map = new LinkedHashMap<>();
        fields.forEach(f -> map.putIfAbsent(f.getKey(), f.getValue()));
        return map;
    }

    /**
     * How many fields there are, duplicates counted.
     *
     * @return the count
     */
    int size() {
        return fields.size();
    }

    /** Names only: a form can hold a phone number. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.getKey()));
        names.sort(Comparator.naturalOrder());
        return "FormFields" + names;
    }
}
