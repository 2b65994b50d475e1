package dev.otpengine.internal;

import dev.otpengine.Widget;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The short texts a code is sent in, per locale: built-in English and Russian, the engine's own templates
 * over them, and a widget's templates over those. A template holds {@value #CODE} and may hold
 * {@value #NAME} (the widget's name) and {@value #MINUTES} (the time to live, rounded up).
 */
public final class TextTemplates {

    /** The code placeholder: {@value}. Every template has it. */
    public static final String CODE = "{code}";
    /** The widget name placeholder: {@value}. */
    public static final String NAME = "{name}";
    /** The time-to-live placeholder, whole minutes rounded up: {@value}. */
    public static final String MINUTES = "{minutes}";
    /** Longest template: {@value} characters. */
    public static final int MAX_LENGTH = 1000;

    /** The shipped texts. Each stays one SMS segment for a widget name of up to 20 characters. */
    public static final Map<Locale, String> BUILT_IN = Map.of(
            Locale.ENGLISH, "{code} is your {name} code. It expires in {minutes} min.",
            Locale.forLanguageTag("ru"), "{code} — ваш код {name}. Действует {minutes} мин.");

    private static final String[] PLACEHOLDERS = {CODE, NAME, MINUTES};

    private final Map<Locale, String> templates;
    private final Locale defaultLocale;
    private final Map.Entry<Locale, String> defaultTemplate;

    /**
     * The engine's templates.
     *
     * @param overrides the engine's own templates, each already {@linkplain #check checked}
     * @param defaultLocale the locale used when a request's locale has no template
     * @throws IllegalStateException if no template covers {@code defaultLocale}
     */
    public TextTemplates(Map<Locale, String> overrides, Locale defaultLocale) {
        Map<Locale, String> all = new HashMap<>(BUILT_IN);
        all.putAll(overrides);
        this.templates = Map.copyOf(all);
        this.defaultLocale = Objects.requireNonNull(defaultLocale, "defaultLocale");
        this.defaultTemplate = lookup(Map.of(), defaultLocale);
        if (defaultTemplate == null) {
            throw new IllegalStateException("no text template for the default locale " + defaultLocale.toLanguageTag()
                    + ": add one with template(Locale, String) or pick a default locale among " + templates.keySet());
        }
    }

    /**
     * Checks a template.
     *
     * @param template the template
     * @return {@code template}
     * @throws IllegalArgumentException if it lacks {@value #CODE}, has an unknown placeholder or a control
     *     character other than a line feed, or is longer than {@value #MAX_LENGTH}
     * @throws NullPointerException if it is null
     */
    public static String check(String template) {
        Objects.requireNonNull(template, "template");
        if (template.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("template must be at most " + MAX_LENGTH + " characters: " + template.length());
        }
        if (!template.contains(CODE)) {
            throw new IllegalArgumentException("template must contain " + CODE + ": " + template);
        }
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (Character.isISOControl(c) && c != '\n') {
                throw new IllegalArgumentException("template must not contain control characters other than \\n: " + template);
            }
            if (c == '{' && placeholderAt(template, i) == null) {
                throw new IllegalArgumentException("template has an unknown placeholder at index " + i
                        + "; use " + CODE + ", " + NAME + " and " + MINUTES + ": " + template);
            }
        }
        return template;
    }

    /**
     * The text for one send.
     *
     * @param widget the widget, whose templates win over the engine's
     * @param requested the locale the request asked for, or {@code null}
     * @param code the code
     * @return the locale used and the rendered text
     */
    public Rendered render(Widget widget, Locale requested, String code) {
        if (requested == null && widget.templates().isEmpty()) { // the common case, looked up once
            return new Rendered(defaultTemplate.getKey(), fill(defaultTemplate.getValue(), code, widget.name(),
                    minutes(widget.ttl())));
        }
        Map.Entry<Locale, String> template = requested == null ? null : lookup(widget.templates(), requested);
        if (template == null) {
            template = lookup(widget.templates(), defaultLocale); // never null: checked in the constructor
        }
        return new Rendered(template.getKey(), fill(template.getValue(), code, widget.name(), minutes(widget.ttl())));
    }

    /**
     * A rendered text and the locale it is in.
     *
     * @param locale the locale of the template used
     * @param text the text, with the code in it
     */
    public record Rendered(Locale locale, String text) {

        @Override
        public String toString() {
            return "Rendered[locale=" + locale + ", text=<redacted>]";
        }
    }

    /** The most specific template: exact locale before language alone, the widget's before the engine's. */
    private Map.Entry<Locale, String> lookup(Map<Locale, String> widgetTemplates, Locale locale) {
        Locale language = Locale.forLanguageTag(locale.getLanguage());
        for (Locale candidate : new Locale[] {locale, language}) {
            String t = widgetTemplates.getOrDefault(candidate, templates.get(candidate));
            if (t != null) {
                return Map.entry(candidate, t);
            }
        }
        return null;
    }

    static long minutes(Duration ttl) {
        return (ttl.getSeconds() + 59) / 60;
    }

    static String fill(String template, String code, String name, long minutes) {
        StringBuilder text = new StringBuilder(template.length() + name.length() + code.length());
        int from = 0;
        for (int brace = template.indexOf('{'); brace >= 0; brace = template.indexOf('{', brace + 1)) {
            String placeholder = placeholderAt(template, brace);
            if (placeholder == null) {
                continue;
            }
            text.append(template, from, brace);
            if (placeholder == CODE) {
                text.append(code);
            } else if (placeholder == NAME) {
                text.append(name);
            } else {
                text.append(minutes);
            }
            from = brace + placeholder.length();
            brace = from - 1;
        }
        return text.append(template, from, template.length()).toString();
    }

    private static String placeholderAt(String template, int i) {
        for (String p : PLACEHOLDERS) {
            if (template.startsWith(p, i)) {
                return p;
            }
        }
        return null;
    }
}
