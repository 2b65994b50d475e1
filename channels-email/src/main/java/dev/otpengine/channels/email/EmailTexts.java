package dev.otpengine.channels.email;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.TextBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an email says: a subject, a heading and an expiry line per locale, built in for the 17 locales the engine
 * ships texts in and overridable by settings or class path files, and the plain-text and HTML parts made from them
 * and the engine's text.
 *
 * <p>Settings {@code subject}, {@code heading} and {@code expiry}, optionally followed by {@code .<language tag>}
 * ({@code email.subject.ru}), override the built-in texts; the same under {@code widget.<widget id>.} override them
 * for one widget. A class path file {@code otpengine-texts_<locale>.properties} ({@link TextBundle}) may hold
 * {@code email.subject}, {@code email.heading} and {@code email.expiry}, and the same under
 * {@code widget.<widget id>.}. Placeholders: {@code {code}}, {@code {name}} (the widget's name), {@code {minutes}} and
 * {@code {expiresAt}} (HH:mm UTC). In HTML every value is escaped; the subject never holds a line break.
 */
final class EmailTexts {

    private static final Logger log = LoggerFactory.getLogger(EmailTexts.class);

    static final String SUBJECT = "subject";
    static final String HEADING = "heading";
    static final String EXPIRY = "expiry";
    private static final String[] KINDS = {SUBJECT, HEADING, EXPIRY};
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The built-in texts: subject, heading and expiry line per shipped locale, as the engine ships its texts. */
    private static final Map<Locale, String[]> SHIPPED = shipped(
            "en", "{code} is your {name} code", "Your {name} code",
            "It expires in {minutes} min, at {expiresAt} UTC. If you did not ask for it, ignore this email.",
            "es", "{code} es tu código de {name}", "Tu código de {name}",
            "Caduca en {minutes} min, a las {expiresAt} UTC. Si no lo has solicitado, ignora este correo.",
            "pt-BR", "{code} é o seu código {name}", "Seu código {name}",
            "Ele expira em {minutes} min, às {expiresAt} UTC. Se você não o solicitou, ignore este e-mail.",
            "fr", "{code} est votre code {name}", "Votre code {name}",
            "Il expire dans {minutes} min, à {expiresAt} UTC. Si vous ne l'avez pas demandé, ignorez cet e-mail.",
            "it", "{code} è il tuo codice {name}", "Il tuo codice {name}",
            "Scade tra {minutes} min, alle {expiresAt} UTC. Se non l'hai richiesto, ignora questa email.",
            "de-DE", "{code} ist Ihr Code für {name}", "Ihr Code für {name}",
            "Er ist {minutes} Min. gültig, bis {expiresAt} UTC. Wenn Sie ihn nicht angefordert haben, ignorieren Sie "
                    + "diese E-Mail.",
            "zh-Hans", "{code}是您的{name}验证码", "您的{name}验证码",
            "验证码{minutes}分钟内有效，UTC {expiresAt} 失效。如果这不是您本人的操作，请忽略此邮件。",
            "zh-Hant", "{code}是您的{name}驗證碼", "您的{name}驗證碼",
            "驗證碼{minutes}分鐘內有效，UTC {expiresAt} 失效。如果這不是您本人的操作，請忽略此郵件。",
            "ca-ES", "{code} és el teu codi de {name}", "El teu codi de {name}",
            "Caduca d'aquí a {minutes} min, a les {expiresAt} UTC. Si no l'has demanat, ignora aquest correu.",
            "ja", "{code}は{name}の認証コードです", "{name}の認証コード",
            "有効期限は{minutes}分（UTC {expiresAt}まで）です。お心当たりがない場合は、このメールを破棄してください。",
            "ru", "{code} — ваш код {name}", "Ваш код {name}",
            "Код действует {minutes} мин., до {expiresAt} UTC. Если вы его не запрашивали, просто проигнорируйте это "
                    + "письмо.",
            "nl", "{code} is je code voor {name}", "Je code voor {name}",
            "Hij verloopt over {minutes} min, om {expiresAt} UTC. Heb je hem niet aangevraagd? Negeer dan deze e-mail.",
            "pl", "{code} to Twój kod {name}", "Twój kod {name}",
            "Kod wygasa za {minutes} min, o {expiresAt} UTC. Jeśli to nie Ty o niego prosisz, zignoruj tę wiadomość.",
            "tr", "{code} {name} doğrulama kodunuzdur", "{name} doğrulama kodunuz",
            "Kod {minutes} dakika, UTC {expiresAt} saatine kadar geçerlidir. Bu kodu siz istemediyseniz bu e-postayı "
                    + "dikkate almayın.",
            "fa", "کد ورود {name}: {code}", "کد ورود {name}",
            "این کد {minutes} دقیقه، تا ساعت {expiresAt} UTC، معتبر است. اگر آن را درخواست نکرده‌اید، این ایمیل را "
                    + "نادیده بگیرید.",
            "vi", "{code} là mã {name} của bạn", "Mã {name} của bạn",
            "Mã hết hạn sau {minutes} phút, lúc {expiresAt} UTC. Nếu bạn không yêu cầu mã này, hãy bỏ qua email này.",
            "cs", "{code} je váš kód {name}", "Váš kód {name}",
            "Platí {minutes} min, do {expiresAt} UTC. Pokud jste o něj nežádali, tento e-mail ignorujte.");

    /** Languages written right to left, for the HTML part's {@code dir}. */
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb");

    private static Map<Locale, String[]> shipped(String... entries) {
        Map<Locale, String[]> shipped = new HashMap<>();
        for (int i = 0; i < entries.length; i += 4) {
            Locale locale = Locale.forLanguageTag(entries[i]);
            String[] texts = {entries[i + 1], entries[i + 2], entries[i + 3]};
            shipped.put(locale, texts);
            if (locale.getScript().isEmpty()) {
                shipped.putIfAbsent(Locale.forLanguageTag(locale.getLanguage()), texts);
            }
        }
        return Map.copyOf(shipped);
    }

    /** Overrides by key: {@code [widget.<id>.]<kind>[.<tag>]}, checked when the engine is built. */
    private final Map<String, String> overrides = new HashMap<>();

    private final TextBundle bundle;
    /** The invalid class path texts already logged. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    EmailTexts(ChannelSettings settings) {
        this(settings, TextBundle.onClassPath());
    }

    EmailTexts(ChannelSettings settings, TextBundle bundle) {
        this.bundle = bundle;
        for (String key : settings.keys()) {
            if (isTextKey(key)) {
                String template = settings.require(key);
                check(settings.qualifiedKey(key), template, key.contains(SUBJECT));
                overrides.put(normalized(key), template);
            }
        }
    }

    /** The key with its locale part, if any, as {@link Locale#toLanguageTag()} writes it: {@code subject.pt-br} is {@code subject.pt-BR}. */
    private static String normalized(String key) {
        String prefix = key.startsWith("widget.") ? key.substring(0, key.indexOf('.', "widget.".length()) + 1) : "";
        String rest = key.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return key;
        }
        List<Locale> candidates = TextBundle.candidates(Locale.forLanguageTag(rest.substring(dot + 1)));
        return candidates.isEmpty() ? key : prefix + rest.substring(0, dot + 1) + candidates.get(0).toLanguageTag();
    }

    private static boolean isTextKey(String key) {
        String rest = key.startsWith("widget.") ? key.substring(key.indexOf('.', "widget.".length()) + 1) : key;
        for (String kind : KINDS) {
            if (rest.equals(kind) || rest.startsWith(kind + ".")) {
                return true;
            }
        }
        return false;
    }

    private static void check(String key, String template, boolean subject) {
        if (template.isBlank() || template.length() > 1000) {
            throw new ChannelConfigurationException(key, "setting " + key + " must be 1 to 1000 characters");
        }
        if (template.chars().anyMatch(c -> Character.isISOControl(c) && (subject || c != '\n'))) {
            throw new ChannelConfigurationException(key, "setting " + key + " must not hold control characters"
                    + (subject ? " or line breaks" : " other than a line feed"));
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!Map.of("code", 0, "name", 0, "minutes", 0, "expiresAt", 0).containsKey(m.group(1))) {
                throw new ChannelConfigurationException(key, "setting " + key + " has an unknown placeholder {"
                        + m.group(1) + "}; known: {code}, {name}, {minutes}, {expiresAt}");
            }
        }
    }

    /**
     * The template of one kind for a message. Sources, first found wins: this channel's settings for the widget and
     * the locale, the class path's files for the widget, the settings for the widget in every locale; then the
     * same without the widget; then the built-in texts. Each locale source is asked for every
     * {@linkplain TextBundle#candidates candidate} of the message's locale, most specific first; English last of all.
     */
    String template(String kind, OtpMessage m) {
        String widget = "widget." + m.widgetId() + ".";
        List<Locale> candidates = TextBundle.candidates(m.locale());
        for (String prefix : new String[] {widget, ""}) {
            for (Locale candidate : candidates) {
                String t = overrides.get(prefix + kind + "." + candidate.toLanguageTag());
                if (t != null) {
                    return t;
                }
            }
            for (Locale candidate : candidates) {
                String t = classPath(candidate, prefix + "email." + kind, kind);
                if (t != null) {
                    return t;
                }
            }
            String t = overrides.get(prefix + kind);
            if (t != null) {
                return t;
            }
        }
        int index = kind.equals(SUBJECT) ? 0 : kind.equals(HEADING) ? 1 : 2;
        for (Locale candidate : candidates) {
            String[] builtIn = SHIPPED.get(candidate);
            if (builtIn != null) {
                return builtIn[index];
            }
        }
        return SHIPPED.get(Locale.ENGLISH)[index];
    }

    /** A class path text, or {@code null} (logged once per file and key) if it is not a valid one. */
    private String classPath(Locale locale, String key, String kind) {
        String text = bundle.get(locale, key).orElse(null);
        if (text == null) {
            return null;
        }
        try {
            check(TextBundle.fileName(locale) + ": " + key, text, kind.equals(SUBJECT));
            return text;
        } catch (ChannelConfigurationException e) {
            if (warned.add(locale + "|" + key)) {
                log.warn("{}; left out", e.getMessage());
            }
            return null;
        }
    }

    /** One line, no control characters: nothing user-supplied can add a header. */
    String subject(OtpMessage m) {
        return fill(template(SUBJECT, m), m, false).replaceAll("\\p{Cntrl}", " ").strip();
    }

    String plain(OtpMessage m) {
        return m.text() + "\n\n" + fill(template(EXPIRY, m), m, false) + "\n";
    }

    String html(OtpMessage m) {
        String lang = escape(m.locale().toLanguageTag());
        String dir = RIGHT_TO_LEFT.contains(m.locale().getLanguage()) ? "rtl" : "ltr";
        return "<!DOCTYPE html>\n<html lang=\"" + lang + "\" dir=\"" + dir + "\"><head><meta charset=\"utf-8\"><title>"
                + escape(subject(m)) + "</title></head>\n"
                + "<body style=\"font-family:Arial,Helvetica,sans-serif;color:#222;margin:24px\">\n"
                + "<h1 style=\"font-size:20px;font-weight:normal\">" + fill(template(HEADING, m), m, true) + "</h1>\n"
                + "<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;font-family:'Courier New',monospace;"
                + "user-select:all\">" + escape(m.code()) + "</p>\n"
                + "<p style=\"color:#555\">" + fill(template(EXPIRY, m), m, true).replace("\n", "<br>") + "</p>\n"
                + "</body></html>\n";
    }

    private static String fill(String template, OtpMessage m, boolean html) {
        long minutes = (m.ttl().toSeconds() + 59) / 60;
        Matcher matcher = PLACEHOLDER.matcher(html ? escape(template) : template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value;
            switch (matcher.group(1)) {
                case "code":
                    value = m.code();
                    break;
                case "name":
                    value = m.widgetName();
                    break;
                case "minutes":
                    value = Long.toString(minutes);
                    break;
                default:
                    value = TIME.format(m.expiresAt());
                    break;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(html ? escape(value) : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }
}
