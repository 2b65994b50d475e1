package dev.otpengine.channels.voice;

import dev.otpengine.spi.TextBundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the call says, in each of the engine's 17 shipped locales: this channel's own texts, written to be heard rather
 * than read, kept in this package as {@code spoken_<locale>.properties} (UTF-8). Each has {@code first}, said once
 * with the widget's name, {@code again}, said {@code voice.repeat - 1} more times, and {@code separator}, which joins
 * the code's characters so that each is read on its own.
 *
 * <p>The TwiML is written here, and every piece of text in it is XML-escaped: the texts, the widget's name, the
 * {@code <Say>} attributes. Digits are read one by one because they are separated (Twilio reads {@code 1, 2, 3} as
 * digits and a comma as a short pause, https://www.twilio.com/docs/voice/twiml/say); a letter of an alphanumeric code
 * is spelled with SSML's {@code <say-as interpret-as="spell-out">}, which Twilio passes to its Google and Amazon Polly
 * voices (https://www.twilio.com/docs/voice/twiml/say/text-speech#ssml-tags).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class SpokenTexts {

    /** The locales texts are shipped for: the engine's. */
    static final List<String> SHIPPED = List.of("en", "es", "pt-BR", "fr", "it", "de-DE", "zh-Hans", "zh-Hant", "ca-ES",
            "ja", "ru", "nl", "pl", "tr", "fa", "vi", "cs");

    /** Twilio's longest {@code Twiml} parameter: {@value} characters (https://www.twilio.com/docs/voice/api/call-resource). */
    static final int MAX_TWIML_LENGTH = 4000;

    /** One locale's texts. */
    record Spoken(Locale locale, String first, String again, String separator) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(name|code)}");
    private static final Map<Locale, Spoken> TEXTS = load();

    private final SayVoices voices;

    SpokenTexts(SayVoices voices) {
        this.voices = voices;
    }

    /** A locale's texts and how they are said. */
    record Choice(Spoken spoken, SayVoices.Say say) {
    }

    /**
     * The first {@linkplain TextBundle#candidates candidate} of the locale for which there is both a text and a voice;
     * else English. Persian has a text but no voice unless {@code voice.language.fa} names one.
     */
    Choice choose(Locale locale) {
        for (Locale candidate : TextBundle.candidates(locale)) {
            Spoken spoken = TEXTS.get(candidate);
            SayVoices.Say say = voices.sayFor(candidate);
            if (spoken != null && say != null) {
                return new Choice(spoken, say);
            }
        }
        return new Choice(TEXTS.get(Locale.ENGLISH), voices.sayFor(Locale.ENGLISH));
    }

    /** The shipped text of a locale; for tests. */
    static Spoken shipped(Locale locale) {
        return TEXTS.get(locale);
    }

    /**
     * The call's TwiML: a pause for the phone to reach an ear, then the code said {@code repeat} times, a pause
     * between.
     */
    static String twiml(Choice choice, String name, String code, int repeat) {
        StringBuilder out = new StringBuilder(512).append("<Response><Pause length=\"1\"/>");
        String spokenCode = spokenCode(code, choice.spoken().separator());
        for (int i = 0; i < repeat; i++) {
            if (i > 0) {
                out.append("<Pause length=\"1\"/>");
            }
            out.append("<Say language=\"").append(escape(choice.say().language())).append('"');
            if (choice.say().voice() != null) {
                out.append(" voice=\"").append(escape(choice.say().voice())).append('"');
            }
            out.append('>');
            fill(out, i == 0 ? choice.spoken().first() : choice.spoken().again(), name, spokenCode);
            out.append("</Say>");
        }
        return out.append("</Response>").toString();
    }

    /** The code as markup: each character on its own, letters spelled, joined by the (escaped) separator. */
    static String spokenCode(String code, String separator) {
        StringBuilder out = new StringBuilder(code.length() * 8);
        for (int i = 0; i < code.length(); i++) {
            if (i > 0) {
                out.append(escape(separator));
            }
            char c = code.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            } else {
                out.append("<say-as interpret-as=\"spell-out\">").append(escape(String.valueOf(c))).append("</say-as>");
            }
        }
        return out.toString();
    }

    private static void fill(StringBuilder out, String template, String name, String spokenCode) {
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            out.append(escape(template.substring(last, m.start())));
            out.append(m.group(1).equals("name") ? escape(name) : spokenCode);
            last = m.end();
        }
        out.append(escape(template.substring(last)));
    }

    /** XML-escapes text for an element or an attribute: {@code & < > " '}; control characters become spaces. */
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
                    out.append("&apos;");
                    break;
                default:
                    // XML 1.0 allows no control characters but tab, CR and LF, and a lone surrogate is no character
                    out.append(Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(s, i) ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static Map<Locale, Spoken> load() {
        Map<Locale, Spoken> texts = new HashMap<>();
        for (String tag : SHIPPED) {
            Locale locale = Locale.forLanguageTag(tag);
            Spoken spoken = read(locale);
            texts.put(locale, spoken);
            if (!locale.getCountry().isEmpty()) {
                texts.putIfAbsent(Locale.forLanguageTag(locale.getLanguage()), spoken); // de for de-DE, pt for pt-BR
            }
        }
        return Map.copyOf(texts);
    }

    private static Spoken read(Locale locale) {
        String name = TextBundle.fileName(locale).replace(TextBundle.BASE_NAME, "spoken");
        try (InputStream in = SpokenTexts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the voice channel's text " + name + " is missing from its jar");
            }
            Properties p = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            return new Spoken(locale, p.getProperty("first"), p.getProperty("again"), p.getProperty("separator"));
        } catch (IOException e) {
            throw new UncheckedIOException("the voice channel's text " + name + " could not be read", e);
        }
    }
}
