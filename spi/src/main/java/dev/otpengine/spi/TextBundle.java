package dev.otpengine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Texts an application puts on the class path, one properties file per locale in {@code ResourceBundle} style, and
 * the order in which locales stand in for one another. The engine reads {@code text} (and {@code widget.<id>.text})
 * from it; the email channel {@code email.subject}, {@code email.heading} and {@code email.expiry}.
 *
 * <p>A file is named {@value #BASE_NAME}, then the locale as {@code java.util.ResourceBundle} names it, then
 * {@code .properties}: {@code otpengine-texts_de.properties}, {@code otpengine-texts_pt_BR.properties},
 * {@code otpengine-texts_zh_Hans.properties}. Files are read as UTF-8. A file without a locale is not read: a
 * text belongs to a language. Each file is read once, when a message first needs its locale.
 *
 * <p><b>How a locale is chosen</b> ({@link #candidates}), as BCP 47 users and {@code java.util.ResourceBundle}
 * expect: the exact tag, then the language with its script ({@code zh-Hant-TW} → {@code zh-Hant}; a Chinese tag
 * without a script takes the one its region writes, {@code zh-TW} → {@code zh-Hant}, else {@code zh-Hans}), then the
 * language with its region where the region writes that script ({@code zh-Hant-TW} → {@code zh-TW}, but not
 * {@code zh-Hans-TW}), then the language alone ({@code pt-BR} →
 * {@code pt}). Variants and extensions are dropped, and letter case does not matter ({@code pt-br} is {@code pt-BR}).
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class TextBundle {

    /** The base name of the files: {@value}. */
    public static final String BASE_NAME = "otpengine-texts";

    /** Files kept read, by locale: the most recently used this many (a request's locale is the requester's choice). */
    private static final int MAX_CACHED = 256;
    private static final Set<String> TRADITIONAL_CHINESE_REGIONS = Set.of("TW", "HK", "MO");

    private final ClassLoader loader;
    /** The files read lately, least recently used first; guarded by itself. */
    private final Map<Locale, Map<String, String>> files = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Locale, Map<String, String>> eldest) {
            return size() > MAX_CACHED;
        }
    };

    private TextBundle(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The texts on a class loader's class path.
     *
     * @param loader the class loader to read the files with
     * @return the bundle
     * @throws NullPointerException if {@code loader} is null
     */
    public static TextBundle of(ClassLoader loader) {
        return new TextBundle(Objects.requireNonNull(loader, "loader"));
    }

    /**
     * The texts on the class path of the current thread's context class loader, or of this library's when there is
     * none.
     *
     * @return the bundle
     */
    public static TextBundle onClassPath() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return of(context != null ? context : TextBundle.class.getClassLoader());
    }

    /**
     * The locales that stand in for one, most specific first: the tag (language, script, region), the same with the
     * script a Chinese region writes, the language with its script, the language with its region (where the region
     * writes that script), the language. Each appears once.
     *
     * @param locale the locale asked for
     * @return the candidates, one to five
     * @throws NullPointerException if {@code locale} is null
     */
    public static List<Locale> candidates(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        String language = locale.getLanguage();
        String script = locale.getScript();
        String region = locale.getCountry();
        if (script.isEmpty() && language.equals("zh")) {
            script = chineseScript(region);
        }
        List<Locale> candidates = new ArrayList<>(3);
        try {
            add(candidates, new Locale.Builder().setLanguage(language).setScript(locale.getScript()).setRegion(region)
                    .build());
            add(candidates, new Locale.Builder().setLanguage(language).setScript(script).setRegion(region).build());
            add(candidates, new Locale.Builder().setLanguage(language).setScript(script).build());
            // The language with its region only where the region writes that script: a zh-TW text is Traditional,
            // so it stands in for zh-Hant-TW but never for zh-Hans-TW; for other languages the script is unknown.
            String asked = locale.getScript();
            if (asked.isEmpty() || (language.equals("zh") && asked.equals(chineseScript(region)))) {
                add(candidates, new Locale.Builder().setLanguage(language).setRegion(region).build());
            }
        } catch (IllformedLocaleException e) {
            // a locale made with the Locale constructor from text that is not BCP 47: its language alone
        }
        add(candidates, Locale.forLanguageTag(language));
        return candidates;
    }

    /** The script a Chinese region writes: Traditional in Taiwan, Hong Kong and Macau, Simplified elsewhere. */
    private static String chineseScript(String region) {
        return TRADITIONAL_CHINESE_REGIONS.contains(region) ? "Hant" : "Hans";
    }

    private static void add(List<Locale> candidates, Locale locale) {
        if (!locale.getLanguage().isEmpty() && !candidates.contains(locale)) {
            candidates.add(locale);
        }
    }

    /**
     * A text of exactly this locale, from its file.
     *
     * @param locale the locale, one of {@link #candidates}; not looked up further
     * @param key the key, such as {@code text}
     * @return the text, if the locale's file has one
     * @throws NullPointerException if an argument is null
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public Optional<String> get(Locale locale, String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(file(Objects.requireNonNull(locale, "locale")).get(key));
    }

    /**
     * The name of the file for a locale, as it is looked up on the class path.
     *
     * @param locale the locale
     * @return for example {@code otpengine-texts_pt_BR.properties}
     * @throws NullPointerException if {@code locale} is null
     */
    public static String fileName(Locale locale) {
        StringBuilder name = new StringBuilder(BASE_NAME).append('_').append(locale.getLanguage());
        if (!locale.getScript().isEmpty()) {
            name.append('_').append(locale.getScript());
        }
        if (!locale.getCountry().isEmpty()) {
            name.append('_').append(locale.getCountry());
        }
        return name.append(".properties").toString();
    }

    private Map<String, String> file(Locale locale) {
        synchronized (files) {
            Map<String, String> file = files.get(locale);
            if (file != null) {
                return file;
            }
        }
        Map<String, String> file = read(locale); // outside the lock: a class path lookup may take a while
        synchronized (files) {
            files.putIfAbsent(locale, file);
        }
        return file;
    }

    private Map<String, String> read(Locale locale) {
        String name = fileName(locale);
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                return Map.of();
            }
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Map<String, String> texts = new HashMap<>();
            properties.stringPropertyNames().forEach(key -> texts.put(key, properties.getProperty(key)));
            return Map.copyOf(texts);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("the text file " + name + " could not be read",
                    e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e));
        }
    }
}
