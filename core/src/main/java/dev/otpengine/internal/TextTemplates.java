package dev.otpengine.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.otpengine.Widget;
import dev.otpengine.spi.TextBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short texts a code is sent in, per locale. A template holds {@value #CODE} and may hold {@value #NAME} (the
 * widget's name) and {@value #MINUTES} (the time to live, rounded up).
 *
 * <p>Where a text comes from, first found wins: the widget's own templates ({@link Widget.Builder#template}), the
 * class path's {@code widget.<id>.text} ({@link TextBundle}), the engine's templates, the class path's {@code text},
 * the built-in ones. Each source is asked for each of the locale's {@linkplain TextBundle#candidates candidates}, most
 * specific first, before the next source is asked; if none has the locale, the same for the default locale.
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
    /** The longest widget name the shipped texts stay one SMS segment for: {@value}. */
    public static final int ONE_SEGMENT_NAME = 20;
    /** The class path key of the engine's text. */
    static final String KEY = "text";

    /**
     * The shipped texts, by the locales they are shipped as. Each stays one SMS segment (70 UCS-2 units, whatever
     * the characters of the name) for a widget name of up to {@value #ONE_SEGMENT_NAME} characters, a code of 10
     * and a two-digit ttl.
     */
    public static final Map<Locale, String> SHIPPED = shipped(
            "en", "{code} is your {name} code. It expires in {minutes} min.",
            "es", "{code} es tu código de {name}. Caduca en {minutes} min.",
            "pt-BR", "{code} é o seu código {name}. Expira em {minutes} min.",
            "fr", "{code} est votre code {name}. Valable {minutes} min.",
            "it", "{code} è il tuo codice {name}. Scade tra {minutes} min.",
            "de-DE", "{code} ist Ihr Code für {name}. Gültig {minutes} Min.",
            "zh-Hans", "{code}是您的{name}验证码，{minutes}分钟内有效。",
            "zh-Hant", "{code}是您的{name}驗證碼，{minutes}分鐘內有效。",
            "ca-ES", "{code} és el teu codi de {name}. Vàlid {minutes} min.",
            "ja", "{code}は{name}の認証コードです。有効期限は{minutes}分です。",
            "ru", "{code} — ваш код {name}. Действует {minutes} мин.",
            "nl", "{code} is je code voor {name}. Geldig {minutes} min.",
            "pl", "{code} to Twój kod {name}. Ważny {minutes} min.",
            "tr", "{code} {name} doğrulama kodunuzdur. {minutes} dk geçerli.",
            "fa", "کد ورود {name}: {code}\nاعتبار: {minutes} دقیقه",
            "vi", "{code} là mã {name} của bạn, hiệu lực {minutes} phút.",
            "cs", "{code} je váš kód {name}. Platí {minutes} min.");

    /**
     * The shipped texts, also under the bare language of each ({@code de} for {@code de-DE}), but for Chinese, whose
     * {@linkplain TextBundle#candidates candidates} always name a script.
     */
    private static final Map<Locale, String> BUILT_IN = withLanguages(SHIPPED);

    private static final String[] PLACEHOLDERS = {CODE, NAME, MINUTES};

    private static final Logger log = LoggerFactory.getLogger(TextTemplates.class);

    private final Map<Locale, String> engineTemplates;
    /** The invalid class path templates already logged. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final Locale defaultLocale;
    private final TextBundle bundle;
    /**
     * What a request naming no locale gets, by widget: the default locale's resolution with the widget's name and
     * minutes already filled in, made once per widget, so that a send only puts its code between the pieces.
     */
    private final Cache<Widget, Filled> byDefault = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    /** A template and the locale it is written for. */
    private record Template(Locale locale, String text) {
    }

    /**
     * A template with everything but the code filled in: the text around each {@value #CODE}, in order, one more
     * piece than the template has codes.
     */
    private record Filled(Locale locale, String[] pieces) {

        static Filled of(Template template, String name, long minutes) {
            return new Filled(template.locale(), aroundCodes(template.text(), name, minutes));
        }

        String with(String code) {
            return join(pieces, code);
        }
    }

    /**
     * The engine's templates.
     *
     * @param overrides the engine's own templates, each already {@linkplain #check checked}
     * @param defaultLocale the locale used when a request's locale has no template
     * @param bundle the texts on the class path
     * @throws IllegalStateException if no template covers {@code defaultLocale}, or a class path file of a shipped
     *     or the default locale holds a template that is not valid, naming the file
     */
    public TextTemplates(Map<Locale, String> overrides, Locale defaultLocale, TextBundle bundle) {
        Map<Locale, String> engine = new HashMap<>();
        overrides.forEach((locale, text) -> engine.put(key(locale), text));
        this.engineTemplates = Map.copyOf(engine);
        this.defaultLocale = Objects.requireNonNull(defaultLocale, "defaultLocale");
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        List<Locale> probed = new ArrayList<>(BUILT_IN.keySet());
        probed.addAll(TextBundle.candidates(defaultLocale));
        for (Locale locale : probed) {
            String text = classPath(locale, KEY);
            if (text != null) {
                try {
                    check(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(TextBundle.fileName(locale) + ": " + KEY + ": " + e.getMessage(), e);
                }
            }
        }
        if (find(null, defaultLocale) == null) {
            throw new IllegalStateException("no text template for the default locale " + defaultLocale.toLanguageTag()
                    + ": add one with template(Locale, String) or pick a default locale among "
                    + new TreeSet<>(SHIPPED.keySet().stream().map(Locale::toLanguageTag).toList()));
        }
    }

    /** The shipped texts in the map, keyed by locale. */
    private static Map<Locale, String> shipped(String... tagsAndTexts) {
        Map<Locale, String> shipped = new LinkedHashMap<>();
        for (int i = 0; i < tagsAndTexts.length; i += 2) {
            shipped.put(Locale.forLanguageTag(tagsAndTexts[i]), tagsAndTexts[i + 1]);
        }
        return Collections.unmodifiableMap(shipped);
    }

    private static Map<Locale, String> withLanguages(Map<Locale, String> shipped) {
        Map<Locale, String> all = new HashMap<>(shipped);
        shipped.forEach((locale, text) -> {
            if (locale.getScript().isEmpty()) { // a language written in two scripts takes its script from the region
                all.putIfAbsent(Locale.forLanguageTag(locale.getLanguage()), text);
            }
        });
        return Map.copyOf(all);
    }

    /**
     * The form a locale is kept in, for templates keyed by it: language, script and region, without variants or
     * extensions.
     *
     * @param locale the locale
     * @return its most specific {@linkplain TextBundle#candidates candidate}
     */
    public static Locale key(Locale locale) {
        List<Locale> candidates = TextBundle.candidates(locale);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a template's locale must name a language: " + locale);
        }
        return candidates.get(0);
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
     * @param widget the widget
     * @param requested the locale the request asked for, or {@code null}
     * @param phone the phone the code goes to, for a widget that picks the language by the phone's country, or
     *     {@code null}
     * @param code the code
     * @return the locale used and the rendered text
     */
    public Rendered render(Widget widget, Locale requested, String phone, String code) {
        Locale wanted = requested;
        if (wanted == null && phone != null && widget.localeByPhoneCountry()) {
            wanted = CallingCodes.languageOf(phone);
        }
        Template template = wanted == null ? null : find(widget, wanted);
        if (template != null) {
            return new Rendered(template.locale(), fill(template.text(), code, widget.name(), minutes(widget.ttl())));
        }
        // never null: the default locale's resolution was checked in the constructor
        Filled filled = byDefault.get(widget, w -> Filled.of(find(w, defaultLocale), w.name(), minutes(w.ttl())));
        return new Rendered(filled.locale(), filled.with(code));
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

    /** The first template found for a locale, source by source; {@code null} if no source has one. */
    private Template find(Widget widget, Locale locale) {
        List<Locale> candidates = TextBundle.candidates(locale);
        String widgetKey = widget == null ? null : "widget." + widget.id() + "." + KEY;
        for (int source = 0; source < 5; source++) {
            for (Locale candidate : candidates) {
                String text;
                switch (source) {
                    case 0:
                        text = widget == null ? null : widget.templates().get(candidate);
                        break;
                    case 1:
                        text = widgetKey == null ? null : checked(candidate, widgetKey);
                        break;
                    case 2:
                        text = engineTemplates.get(candidate);
                        break;
                    case 3:
                        text = checked(candidate, KEY);
                        break;
                    default:
                        text = BUILT_IN.get(candidate);
                        break;
                }
                if (text != null) {
                    return new Template(candidate, text);
                }
            }
        }
        return null;
    }

    private String classPath(Locale locale, String key) {
        return bundle.get(locale, key).orElse(null);
    }

    /** A class path template, or {@code null} (logged once per file and key) if it is not a valid one. */
    private String checked(Locale locale, String key) {
        String text = classPath(locale, key);
        if (text == null) {
            return null;
        }
        try {
            return check(text);
        } catch (IllegalArgumentException e) {
            if (warned.add(locale + "|" + key)) {
                log.warn("{}: {} is not a valid template, left out: {}", TextBundle.fileName(locale), key, e.getMessage());
            }
            return null;
        }
    }

    static long minutes(Duration ttl) {
        return (ttl.getSeconds() + 59) / 60;
    }

    static String fill(String template, String code, String name, long minutes) {
        return join(aroundCodes(template, name, minutes), code);
    }

    /** The text around each {@value #CODE} of a template, with its other placeholders filled in. */
    private static String[] aroundCodes(String template, String name, long minutes) {
        List<String> pieces = new ArrayList<>(2);
        StringBuilder piece = new StringBuilder(template.length() + name.length());
        int from = 0;
        for (int brace = template.indexOf('{'); brace >= 0; brace = template.indexOf('{', brace + 1)) {
            String placeholder = placeholderAt(template, brace);
            if (placeholder == null) {
                continue;
            }
            piece.append(template, from, brace);
            if (placeholder == CODE) {
                pieces.add(piece.toString());
                piece.setLength(0);
            } else if (placeholder == NAME) {
                piece.append(name);
            } else {
                piece.append(minutes);
            }
            from = brace + placeholder.length();
            brace = from - 1;
        }
        pieces.add(piece.append(template, from, template.length()).toString());
        return pieces.toArray(new String[0]);
    }

    /** The pieces with the code between each two. */
    private static String join(String[] pieces, String code) {
        if (pieces.length == 2) {
            return pieces[0] + code + pieces[1];
        }
        StringBuilder text = new StringBuilder(pieces[0]);
        for (int i = 1; i < pieces.length; i++) {
            text.append(code).append(pieces[i]);
        }
        return text.toString();
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
