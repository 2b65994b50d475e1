package dev.otpengine.channels.email;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.OtpMessage;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an email says: a subject, a heading and an expiry line per locale, built in for English and Russian and
 * overridable by settings, and the plain-text and HTML parts made from them and the engine's text.
 *
 * <p>Settings {@code subject}, {@code heading} and {@code expiry}, optionally followed by {@code .<language tag>}
 * ({@code email.subject.ru}), override the built-in texts; the same under {@code widget.<widget id>.} override them
 * for one widget. Placeholders: {@code {code}}, {@code {name}} (the widget's name), {@code {minutes}} and
 * {@code {expiresAt}} (HH:mm UTC). In HTML every value is escaped; the subject never holds a line break.
 */
final class EmailTexts {

    static final String SUBJECT = "subject";
    static final String HEADING = "heading";
    static final String EXPIRY = "expiry";
    private static final String[] KINDS = {SUBJECT, HEADING, EXPIRY};
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Map<String, String> BUILT_IN = Map.of(
            "en." + SUBJECT, "{code} is your {name} code",
            "en." + HEADING, "Your {name} code",
            "en." + EXPIRY, "It expires in {minutes} min, at {expiresAt} UTC. If you did not ask for it, ignore this email.",
            "ru." + SUBJECT, "{code} — ваш код {name}",
            "ru." + HEADING, "Ваш код {name}",
            "ru." + EXPIRY, "Код действует {minutes} мин., до {expiresAt} UTC. Если вы его не запрашивали, просто "
                    + "проигнорируйте это письмо.");

    /** Overrides by key: {@code [widget.<id>.]<kind>[.<tag>]}, checked when the engine is built. */
    private final Map<String, String> overrides = new HashMap<>();

    EmailTexts(ChannelSettings settings) {
        for (String key : settings.keys()) {
            if (isTextKey(key)) {
                String template = settings.require(key);
                check(settings.qualifiedKey(key), template, key.contains(SUBJECT));
                overrides.put(key, template);
            }
        }
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

    /** The template of one kind for a message: the widget's, then the channel's, then built in; exact tag first. */
    String template(String kind, OtpMessage m) {
        String widget = "widget." + m.widgetId() + ".";
        String tag = m.locale().toLanguageTag();
        String language = m.locale().getLanguage();
        for (String key : new String[] {widget + kind + "." + tag, widget + kind + "." + language, widget + kind,
                kind + "." + tag, kind + "." + language, kind}) {
            String t = overrides.get(key);
            if (t != null) {
                return t;
            }
        }
        String builtIn = BUILT_IN.get(language + "." + kind);
        return builtIn != null ? builtIn : BUILT_IN.get("en." + kind);
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
        return "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>"
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
