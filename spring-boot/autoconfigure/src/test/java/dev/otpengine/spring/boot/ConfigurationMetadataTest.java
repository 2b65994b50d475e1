package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated configuration metadata, which IDEs complete keys from, covers every {@code otpengine.*} key the README
 * documents (a newcomer found none of the rate-limit or widget keys in it).
 *
 * <p>A key is found as an IDE finds it. A key outside a collection must be a property or group of the metadata itself:
 * Spring Boot's annotation processor generates those (the rate limits only since they are marked nested). Keys inside
 * a list or a map ({@code otpengine.widgets[0].escalate-after}) are never generated, by design: the processor writes
 * one property for the collection, with its full generic type
 * ({@code java.util.List<dev.otpengine.spring.boot.OtpEngineProperties$WidgetProperties>}), and IntelliJ IDEA and
 * Spring Tools (VS Code, Eclipse) complete an element's keys from the public getters of that element type. So such a
 * key is found when the collection is a metadata property whose type names the element type, and the rest of the key
 * walks that type's getters (hyphenated) as the IDE does.
 */
final class ConfigurationMetadataTest {

    private static final Path README = Path.of("../../README.md");

    @Test
    void metadata_listsEveryRateLimitKey_theReadmeUses() throws IOException {
        Metadata metadata = Metadata.load();
        for (String key : List.of("otpengine.rate-limits.base", "otpengine.rate-limits.per-widget",
                "otpengine.rate-limits.per-widget-free", "otpengine.rate-limits.per-ip",
                "otpengine.rate-limits.per-ip-network", "otpengine.rate-limits.per-recipient",
                "otpengine.rate-limits.resend-cooldown", "otpengine.rate-limits.verify-per-ip",
                "otpengine.rate-limits.verify-failures-per-recipient", "otpengine.secret", "otpengine.store",
                "otpengine.web.enabled", "otpengine.web.public-url", "otpengine.widgets")) {
            assertTrue(metadata.properties.containsKey(key), key + " is not in the configuration metadata");
        }
    }

    @Test
    void metadata_findsEveryKeyTheReadmeDocuments() throws IOException {
        Metadata metadata = Metadata.load();
        Set<String> keys = documentedKeys(Files.readString(README));

        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            String why = metadata.resolve(key);
            if (why != null) {
                missing.add(key + " (" + why + ")");
            }
        }

        assertEquals(List.of(), missing, "README keys the metadata does not give an IDE, of " + keys);
        // So that this test cannot pass by reading nothing: the README's widget keys, every kind of them, are among
        // those found.
        assertTrue(keys.containsAll(List.of("otpengine.widgets[0].escalate-after",
                "otpengine.widgets[0].locale-by-phone-country", "otpengine.widgets[0].rate-limits.per-recipient",
                "otpengine.widgets[0].test-recipients[+12015550123]", "otpengine.templates[de]",
                "otpengine.channels.sms.gateway",
                "otpengine.rate-limits.country-conversion.trusted-calling-codes")), keys::toString);
    }

    @Test
    void readme_namesEveryWidgetKey_anIdeOffers() throws IOException {
        Set<String> offered = new TreeSet<>(getterKeys(OtpEngineProperties.WidgetProperties.class));

        Set<String> documented = new TreeSet<>(list(Files.readString(README),
                "Every `Widget` setting has its property ("));

        assertEquals(offered, documented);
    }

    @Test
    void resolve_keysNoIdeWouldComplete_areNotFound() throws IOException {
        Metadata metadata = Metadata.load();

        assertEquals("otpengine is a group without a property rate-limit",
                metadata.resolve("otpengine.rate-limit.per-ip"));
        assertEquals("WidgetProperties has no getter for escalate-afterwards",
                metadata.resolve("otpengine.widgets[0].escalate-afterwards"));
        assertEquals("otpengine.widgets is a list: an element is written [index]",
                metadata.resolve("otpengine.widgets.name"));
        assertEquals("RateLimitsProperties has no getter for per-nothing",
                metadata.resolve("otpengine.widgets[0].rate-limits.per-nothing"));
        assertEquals("otpengine.rate-limits is a group without a property per-nothing",
                metadata.resolve("otpengine.rate-limits.per-nothing"));
    }

    /**
     * Every {@code otpengine.*} key the README documents: the keys of its YAML examples (a list item as {@code [0]},
     * a quoted {@code "[de]"} map key as {@code [de]}), every {@code otpengine.x.y} in its text (braces expanded:
     * {@code a.{b,c}} is {@code a.b} and {@code a.c}), and the two lists of the widget's and the engine's properties.
     */
    static Set<String> documentedKeys(String readme) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher block = Pattern.compile("(?ms)^```yaml\\n(.*?)^```").matcher(readme);
        while (block.find()) {
            keys.addAll(yamlKeys(block.group(1)));
        }
        Matcher inline = Pattern.compile("(?<![\\w.\\-/@])otpengine\\.[a-z][\\w\\-.\\[\\]{},+]*").matcher(readme);
        while (inline.find()) {
            keys.addAll(expandBraces(inline.group().replaceAll("[.,]+$", "")));
        }
        list(readme, "Every `Widget` setting has its property (").forEach(k -> keys.add("otpengine.widgets[0]." + k));
        list(readme, "and so do\nthe engine's (").forEach(k -> keys.add("otpengine." + k));
        return keys;
    }

    /** The backquoted names of a parenthesized list that follows {@code intro}; fails if the README lost it. */
    private static List<String> list(String readme, String intro) {
        int at = readme.indexOf(intro);
        assertTrue(at >= 0, "the README no longer has: " + intro);
        String body = readme.substring(at + intro.length(), readme.indexOf(')', at + intro.length()));
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("`([a-z][a-z-]*)`").matcher(body);
        while (name.find()) {
            names.add(name.group(1));
        }
        assertTrue(names.size() > 5, intro + " lists " + names);
        return names;
    }

    private static List<String> expandBraces(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return List.of(key);
        }
        int close = key.indexOf('}', open);
        List<String> out = new ArrayList<>();
        for (String part : key.substring(open + 1, close).split(",")) {
            out.addAll(expandBraces(key.substring(0, open) + part + key.substring(close + 1)));
        }
        return out;
    }

    /** The keys of the {@code otpengine:} tree of one YAML block (other roots are Spring's own). */
    private static List<String> yamlKeys(String yaml) {
        List<String> keys = new ArrayList<>();
        Deque<int[]> indents = new ArrayDeque<>();
        Deque<String> path = new ArrayDeque<>();
        boolean inside = false;
        for (String raw : yaml.split("\n")) {
            String line = raw.replaceAll("\\s+#.*$", "");
            if (line.isBlank()) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String content = line.strip();
            if (indent == 0) {
                inside = content.equals("otpengine:");
                indents.clear();
                path.clear();
                if (inside) {
                    indents.push(new int[] {0});
                    path.push("otpengine");
                }
                continue;
            }
            if (!inside) {
                continue;
            }
            if (content.startsWith("- ")) {
                pop(indents, path, indent);
                indents.push(new int[] {indent});
                path.push("[0]");
                indent += 2;
                content = content.substring(2).strip();
            }
            pop(indents, path, indent);
            int colon = content.indexOf(':');
            String key = content.substring(0, colon).strip().replace("\"", "");
            String full = join(path) + (key.startsWith("[") ? "" : ".") + key;
            keys.add(full);
            if (content.substring(colon + 1).isBlank()) {
                indents.push(new int[] {indent});
                path.push((key.startsWith("[") ? "" : ".") + key);
            }
        }
        return keys;
    }

    private static void pop(Deque<int[]> indents, Deque<String> path, int indent) {
        while (indents.peek()[0] >= indent) {
            indents.pop();
            path.pop();
        }
    }

    private static String join(Deque<String> path) {
        List<String> parts = new ArrayList<>(path);
        StringBuilder out = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            out.append(parts.get(i));
        }
        return out.toString();
    }

    /** The keys an IDE offers for an element of this type: its public getters, hyphenated. */
    private static List<String> getterKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers()) && property(m.getName()) != null) {
                keys.add(property(m.getName()));
            }
        }
        return keys;
    }

    private static String property(String getter) {
        int prefix = getter.startsWith("get") ? 3 : getter.startsWith("is") ? 2 : -1;
        if (prefix < 0 || getter.length() == prefix) {
            return null;
        }
        return getter.substring(prefix).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The generated metadata: properties by name with their types, and group names. */
    private record Metadata(Map<String, String> properties, Set<String> groups) {

        static Metadata load() throws IOException {
            JsonNode root;
            try (InputStream in = ConfigurationMetadataTest.class
                    .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
                assertTrue(in != null, "no generated metadata on the class path");
                root = JsonMapper.builder().build().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (JsonNode p : root.get("properties")) {
                properties.put(p.get("name").asString(), p.get("type").asString());
            }
            Set<String> groups = new LinkedHashSet<>();
            for (JsonNode g : root.get("groups")) {
                groups.add(g.get("name").asString());
            }
            return new Metadata(properties, groups);
        }

        /**
         * Finds a key as an IDE does.
         *
         * @return null if found, else why not
         */
        String resolve(String key) {
            String dotted = key.replaceAll("\\[.*$", "");
            String prefix = dotted;
            while (!properties.containsKey(prefix) && !groups.contains(prefix) && prefix.contains(".")) {
                prefix = prefix.substring(0, prefix.lastIndexOf('.'));
            }
            if (!properties.containsKey(prefix) && !groups.contains(prefix)) {
                return "no property or group " + key;
            }
            String rest = key.substring(prefix.length());
            if (rest.isEmpty()) {
                return null;
            }
            if (!properties.containsKey(prefix)) {
                return prefix + " is a group without a property " + rest.substring(1).split("[.\\[]")[0];
            }
            Type type = parse(properties.get(prefix));
            if (isBean(raw(type))) {
                return prefix + " is one property of type " + raw(type).getSimpleName()
                        + ": the processor lists a nested type's keys only when it is marked nested";
            }
            return walk(prefix, type, rest);
        }

        /** Walks the rest of a key ({@code [0].rate-limits.per-ip}) into a collection's element type. */
        private static String walk(String where, Type type, String rest) {
            if (rest.isEmpty()) {
                return null;
            }
            Class<?> raw = raw(type);
            if (Collection.class.isAssignableFrom(raw)) {
                Matcher index = Pattern.compile("^\\[\\d+]").matcher(rest);
                if (!index.find()) {
                    return where + " is a list: an element is written [index]";
                }
                return walk(where + index.group(), argument(type, 0), rest.substring(index.end()));
            }
            if (Map.class.isAssignableFrom(raw)) {
                Type value = argument(type, 1);
                if (!isBean(raw(value))) {
                    return null; // a map of values takes any key, dots included (sms.gateway)
                }
                Matcher entry = Pattern.compile("^(\\[[^]]+]|\\.[^.\\[]+)").matcher(rest);
                entry.find();
                return walk(where + entry.group(), value, rest.substring(entry.end()));
            }
            if (!isBean(raw)) {
                return where + " is a value, not " + rest;
            }
            Matcher name = Pattern.compile("^\\.([a-z0-9-]+)").matcher(rest);
            if (!name.find()) {
                return where + " takes .name, not " + rest;
            }
            for (Method m : raw.getMethods()) {
                if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                        && name.group(1).equals(property(m.getName()))) {
                    return walk(where + name.group(), m.getGenericReturnType(), rest.substring(name.end()));
                }
            }
            return raw.getSimpleName() + " has no getter for " + name.group(1);
        }

        private static boolean isBean(Class<?> type) {
            return !type.isEnum() && type.getPackageName().startsWith("dev.otpengine.spring");
        }

        private static Class<?> raw(Type type) {
            return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        }

        private static Type argument(Type type, int i) {
            assertTrue(type instanceof ParameterizedType, () -> type + " names no element type for an IDE");
            return ((ParameterizedType) type).getActualTypeArguments()[i];
        }

        /** A metadata type, {@code java.util.List<a.B$C>}, as a reflective type (the IDE reads the same string). */
        private static Type parse(String name) {
            int lt = name.indexOf('<');
            Class<?> raw = load(lt < 0 ? name : name.substring(0, lt));
            if (lt < 0) {
                return raw;
            }
            List<Type> args = new ArrayList<>();
            int depth = 0;
            int start = lt + 1;
            for (int i = start; i < name.length() - 1; i++) {
                char c = name.charAt(i);
                depth += c == '<' ? 1 : c == '>' ? -1 : 0;
                if (c == ',' && depth == 0) {
                    args.add(parse(name.substring(start, i).strip()));
                    start = i + 1;
                }
            }
            args.add(parse(name.substring(start, name.length() - 1).strip()));
            Type[] actual = args.toArray(Type[]::new);
            return new ParameterizedType() {
                @Override
                public Type[] getActualTypeArguments() {
                    return actual.clone();
                }

                @Override
                public Type getRawType() {
                    return raw;
                }

                @Override
                public Type getOwnerType() {
                    return null;
                }
            };
        }

        private static Class<?> load(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("the metadata names a type that is not there: " + name, e);
            }
        }
    }
}
