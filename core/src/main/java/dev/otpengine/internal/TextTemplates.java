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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /**
     * The longest widget name the shipped texts show whole with a 10-character code and the WebOTP line in GSM 7-bit:
     * {@value}. Past that, or in UCS-2 (any character outside the GSM alphabet, in the name or the locale's text), the
     * text is {@linkplain #render fitted} into one segment.
     */
    public static final int ONE_SEGMENT_NAME = 20;
    /**
     * The longest WebOTP domain the shipped texts leave room for: {@value} characters, as in
     * {@code login.example-shop.com}. The SMS channel appends {@code \n\n@<domain> #<code>} when
     * {@code sms.webotp.domain} is set; the shipped texts are fitted with room for that line whether it is set or not,
     * so that the requester's choice of locale never makes a second segment.
     */
    public static final int WEBOTP_DOMAIN_ROOM = 22;
    /** What a WebOTP line takes besides its domain and code: {@code "\n\n@"} and {@code " #"}. */
    private static final int WEBOTP_LINE_OVERHEAD = 5;
    /** The class path key of the engine's text. */
    static final String KEY = "text";

    /**
     * The shipped texts, by the locales they are shipped as: the code, the widget's name and the validity. Rendered,
     * each is one SMS segment (160 GSM 7-bit septets, or 70 UTF-16 units once any character is outside the GSM
     * alphabet) together with a WebOTP line for a domain of up to {@value #WEBOTP_DOMAIN_ROOM} characters, whatever the
     * name and the code's length: when the whole text does not fit, the {@linkplain #render render} drops the validity
     * (the shorter form of the same locale) and then shortens the name to whole characters and an ellipsis. The code is
     * never shortened.
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
            "pl", "{code} to Twój kod {name}. Ważny {minutes} min",
            "tr", "{code} {name} doğrulama kodunuzdur. {minutes} dk geçerli.",
            "fa", "کد ورود {name}: {code}\nاعتبار: {minutes} دقیقه",
            "vi", "{code} là mã {name} của bạn, hiệu lực {minutes} phút.",
            "cs", "{code} je váš kód {name}. Platí {minutes} min.");

    /**
     * The shorter form of each shipped text, by the shipped text: the code and the name, without the validity. Each
     * has at most {@value #SHORTER_FIXED} units besides the code and the name, so that with a 10-character code and a
     * WebOTP line for a {@value #WEBOTP_DOMAIN_ROOM}-character domain, 9 UTF-16 units are left for the name: one
     * character of any kind (a family emoji is 8) and an ellipsis.
     */
    private static final Map<String, String> SHORTER = shorter(SHIPPED,
            "en", "{code} is your {name} code",
            "es", "{code} es tu código {name}",
            "pt-BR", "{code} é seu código {name}",
            "fr", "{code} est le code {name}",
            "it", "{code} è il codice {name}",
            "de-DE", "{code} ist Ihr {name}-Code",
            "zh-Hans", "{code}是您的{name}验证码",
            "zh-Hant", "{code}是您的{name}驗證碼",
            "ca-ES", "{code} és el codi {name}",
            "ja", "{code}は{name}の認証コード",
            "ru", "{code} — ваш код {name}",
            "nl", "{code} is je {name}-code",
            "pl", "{code} to kod {name}",
            "tr", "{code} {name} kodunuz",
            "fa", "کد ورود {name}: {code}",
            "vi", "{code} là mã {name}",
            "cs", "{code} je kód {name}");
    /** The most units a {@linkplain #SHORTER shorter form} has besides its code and name: {@value}. */
    static final int SHORTER_FIXED = 14;
    /** One user-perceived character: an extended grapheme cluster (a flag, a family emoji, a letter and its marks). */
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

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

    /**
     * A template and the locale it is written for.
     *
     * @param shipped whether it is one of the {@link #SHIPPED} texts, which are fitted into one segment
     */
    private record Template(Locale locale, String text, boolean shipped) {
    }

    /**
     * A template with everything but the code filled in: the text around each {@value #CODE}, in order, one more
     * piece than the template has codes.
     */
    private record Filled(Locale locale, String[] pieces) {

        static Filled of(Template template, Widget widget) {
            String name = widget.name();
            long minutes = minutes(widget.ttl());
            if (!template.shipped()) {
                return new Filled(template.locale(), aroundCodes(template.text(), name, minutes));
            }
            return new Filled(template.locale(), fitted(template.text(), name, minutes, widget.codeLength()));
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
     * The text for one send. A {@linkplain #SHIPPED shipped} text is fitted into one SMS segment with room for a
     * WebOTP line ({@value #WEBOTP_DOMAIN_ROOM}-character domain and the code): whole if it fits; else its shorter
     * form, without the validity; else that with the name cut to its longest prefix of whole characters that fits,
     * and an ellipsis ({@code ...} in a GSM 7-bit text, {@code …} in UCS-2). A text from the widget, the engine or the
     * class path is used as written: its author chose its length.
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
            return new Rendered(template.locale(), Filled.of(template, widget).with(code));
        }
        // never null: the default locale's resolution was checked in the constructor
        Filled filled = byDefault.get(widget, w -> Filled.of(find(w, defaultLocale), w));
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
                    return new Template(candidate, text, source == 4);
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

    /** The shorter forms, keyed by the shipped text of the same locale. */
    private static Map<String, String> shorter(Map<Locale, String> shipped, String... tagsAndTexts) {
        Map<String, String> shorter = new HashMap<>();
        for (int i = 0; i < tagsAndTexts.length; i += 2) {
            shorter.put(shipped.get(Locale.forLanguageTag(tagsAndTexts[i])), tagsAndTexts[i + 1]);
        }
        return Map.copyOf(shorter);
    }

    /**
     * A shipped template's pieces around its code, fitted into one SMS segment with room for the WebOTP line; see
     * {@link #render}.
     */
    static String[] fitted(String shipped, String name, long minutes, int codeLength) {
        int room = WEBOTP_LINE_OVERHEAD + WEBOTP_DOMAIN_ROOM + codeLength;
        String[] whole = aroundCodes(shipped, name, minutes);
        if (SmsUnits.fits(whole, codeLength, room)) {
            return whole;
        }
        String shorter = SHORTER.getOrDefault(shipped, shipped);
        String[] pieces = aroundCodes(shorter, name, minutes);
        if (SmsUnits.fits(pieces, codeLength, room)) {
            return pieces;
        }
        List<String> graphemes = new ArrayList<>();
        Matcher m = GRAPHEME.matcher(name);
        while (m.find()) {
            graphemes.add(m.group());
        }
        for (int kept = graphemes.size() - 1; kept >= 0; kept--) {
            String prefix = String.join("", graphemes.subList(0, kept)).stripTrailing();
            String gsm = prefix + "...";
            pieces = aroundCodes(shorter, SmsUnits.isGsm7(aroundCodes(shorter, gsm, minutes)) ? gsm : prefix + "…",
                    minutes);
            if (SmsUnits.fits(pieces, codeLength, room)) {
                return pieces;
            }
        }
        return pieces; // only an ellipsis for a name: every shorter form fits that (SHORTER_FIXED)
    }

    /**
     * How an SMS counts a text: GSM 03.38 7-bit septets (two for the extension table's characters) when every
     * character is in that alphabet, else UTF-16 units; one segment holds 160 septets or 70 units. The SMS channel
     * counts the same way (its {@code SmsText}); its tests measure every shipped text with its own counter.
     */
    private static final class SmsUnits {

        /** The GSM 03.38 default alphabet; the escape (position 0x1B) is left out, as no text may hold it. */
        private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        /** The extension table: two septets each. */
        private static final String EXTENSION = "\f^{}\\[~]|€";

        private SmsUnits() {
        }

        /**
         * Whether the text the pieces make with a code of {@code codeLength} (letters and digits, one septet each) and
         * {@code room} more GSM characters is one segment.
         */
        static boolean fits(String[] pieces, int codeLength, int room) {
            int units = 0;
            boolean gsm = true;
            int length = 0;
            for (String piece : pieces) {
                for (int i = 0; i < piece.length(); i++) {
                    char c = piece.charAt(i);
                    if (gsm && BASIC.indexOf(c) < 0) {
                        if (EXTENSION.indexOf(c) >= 0) {
                            units++;
                        } else {
                            gsm = false;
                        }
                    }
                    units++;
                }
                length += piece.length();
            }
            int codes = codeLength * (pieces.length - 1);
            return gsm ? units + codes + room <= 160 : length + codes + room <= 70;
        }

        static boolean isGsm7(String[] pieces) {
            for (String piece : pieces) {
                for (int i = 0; i < piece.length(); i++) {
                    char c = piece.charAt(i);
                    if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
                        return false;
                    }
                }
            }
            return true;
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
