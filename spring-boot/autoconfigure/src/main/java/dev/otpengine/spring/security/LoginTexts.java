package dev.otpengine.spring.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The login page's texts in the engine's 17 locales, from {@code messages_<tag>.properties} (UTF-8) next to this
 * class, each falling back to English key by key; and the choice of one by {@code Accept-Language}. Only our own tags
 * and texts ever reach a page: nothing of the header is echoed.
 */
final class LoginTexts {

    /** The tags, as the engine ships them; the file suffix is the tag with '-' as '_'. */
    static final List<String> TAGS = List.of("en", "es", "pt-BR", "fr", "it", "de-DE", "zh-Hans", "zh-Hant", "ca-ES",
            "ja", "ru", "nl", "pl", "tr", "fa", "vi", "cs");

    private static final Map<String, LoginTexts> ALL = load();

    private final String tag;
    private final Properties texts;

    private LoginTexts(String tag, Properties texts) {
        this.tag = tag;
        this.texts = texts;
    }

    private static Map<String, LoginTexts> load() {
        Map<String, LoginTexts> all = new LinkedHashMap<>();
        Properties english = read("messages.properties", null);
        for (String tag : TAGS) {
            all.put(tag, new LoginTexts(tag, tag.equals("en") ? english
                    : read("messages_" + tag.replace('-', '_') + ".properties", english)));
        }
        return all;
    }

    private static Properties read(String name, Properties defaults) {
        Properties p = defaults == null ? new Properties() : new Properties(defaults);
        try (InputStream in = LoginTexts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from otpengine-spring-boot-autoconfigure");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** English. */
    static LoginTexts english() {
        return ALL.get("en");
    }

    /**
     * The texts an {@code Accept-Language} header asks for: the first range, by quality, whose language we have
     * (Chinese by script, or by region for zh-TW, zh-HK and zh-MO); English if none, or if the header is malformed.
     */
    static LoginTexts forAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 512) {
            return english();
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            return english();
        }
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() <= 0 || range.getRange().equals("*")) {
                continue;
            }
            LoginTexts found = forTag(range.getRange());
            if (found != null) {
                return found;
            }
        }
        return english();
    }

    private static LoginTexts forTag(String range) {
        Locale locale = Locale.forLanguageTag(range);
        String language = locale.getLanguage();
        if (language.equals("zh")) {
            String script = locale.getScript();
            String region = locale.getCountry();
            boolean traditional = script.equals("Hant") || script.isEmpty()
                    && (region.equals("TW") || region.equals("HK") || region.equals("MO"));
            return ALL.get(traditional ? "zh-Hant" : "zh-Hans");
        }
        for (String tag : TAGS) {
            if (Locale.forLanguageTag(tag).getLanguage().equals(language)) {
                return ALL.get(tag);
            }
        }
        return null;
    }

    /** The BCP 47 tag, for {@code <html lang>} and the SMS text's locale. */
    String tag() {
        return tag;
    }

    /** Whether the language is written right to left (Persian). */
    boolean rightToLeft() {
        return tag.equals("fa");
    }

    /** A text, its {@code {0}} filled with a number written with Locale.ROOT digits. */
    String text(String key, Object... args) {
        String pattern = texts.getProperty(key);
        if (pattern == null) {
            throw new IllegalArgumentException("no login text " + key);
        }
        if (args.length == 0) {
            return pattern;
        }
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = args[i] instanceof Number ? String.valueOf(args[i]) : args[i];
        }
        return new MessageFormat(pattern.replace("'", "''"), Locale.ROOT).format(plain);
    }
}
