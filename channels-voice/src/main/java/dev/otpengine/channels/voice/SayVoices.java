package dev.otpengine.channels.voice;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.TextBundle;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code <Say>} language and voice for each locale. Twilio reads text with the voice named by {@code voice}, in
 * the accent of {@code language}, and a voice that does not speak the language fails the {@code <Say>}
 * (https://www.twilio.com/docs/voice/twiml/say), so the table names both: Google's Standard voices, which Twilio
 * offers for every language here but Persian (https://www.twilio.com/docs/voice/twiml/say/text-speech; Google's list,
 * https://cloud.google.com/text-to-speech/docs/voices, has no Persian voice, nor has Amazon Polly's).
 *
 * <p>{@code voice.language.<tag>} overrides the language of a locale, and {@code voice.ttsVoice.<tag>} its voice; a
 * language overridden without a voice is read by the account's default voice for it (no {@code voice} attribute).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class SayVoices {

    /** A {@code <Say>}'s {@code language} and {@code voice} attributes; {@code voice} may be {@code null}. */
    record Say(String language, String voice) {
    }

    /** The engine's shipped locales but Persian, and their bare languages, to Twilio's languages and voices. */
    static final Map<Locale, Say> BUILT_IN = table(
            "en", "en-US", "Google.en-US-Standard-C",
            "es", "es-ES", "Google.es-ES-Standard-A",
            "pt-BR", "pt-BR", "Google.pt-BR-Standard-A",
            "fr", "fr-FR", "Google.fr-FR-Standard-A",
            "it", "it-IT", "Google.it-IT-Standard-A",
            "de-DE", "de-DE", "Google.de-DE-Standard-A",
            "zh-Hans", "cmn-CN", "Google.cmn-CN-Standard-A",
            "zh-Hant", "cmn-TW", "Google.cmn-TW-Standard-A",
            "ca-ES", "ca-ES", "Google.ca-ES-Standard-A",
            "ja", "ja-JP", "Google.ja-JP-Standard-A",
            "ru", "ru-RU", "Google.ru-RU-Standard-A",
            "nl", "nl-NL", "Google.nl-NL-Standard-A",
            "pl", "pl-PL", "Google.pl-PL-Standard-A",
            "tr", "tr-TR", "Google.tr-TR-Standard-A",
            "vi", "vi-VN", "Google.vi-VN-Standard-A",
            "cs", "cs-CZ", "Google.cs-CZ-Standard-A");

    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,2}");
    private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String LANGUAGE_PREFIX = "language.";
    private static final String VOICE_PREFIX = "ttsVoice.";

    /** The overrides by locale; a {@code null} language keeps the built-in one, found for the same locale. */
    private final Map<Locale, Say> overrides;

    private SayVoices(Map<Locale, Say> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Reads the overrides over the built-in table.
     *
     * @throws ChannelConfigurationException if a key's tag or a value is malformed, or a voice is set for a locale
     *     without a language
     */
    static SayVoices from(ChannelSettings s) {
        Map<Locale, String> languages = new HashMap<>();
        Map<Locale, String> voices = new HashMap<>();
        for (String key : s.keys()) {
            if (key.startsWith(LANGUAGE_PREFIX)) {
                languages.put(locale(s, key, LANGUAGE_PREFIX), value(s, key, LANGUAGE, "a Twilio language such as en-US"));
            } else if (key.startsWith(VOICE_PREFIX)) {
                voices.put(locale(s, key, VOICE_PREFIX), value(s, key, VOICE, "a Twilio voice such as Polly.Joanna"));
            }
        }
        Map<Locale, Say> overrides = new HashMap<>();
        languages.forEach((locale, language) -> overrides.put(locale, new Say(language, voices.get(locale))));
        voices.forEach((locale, voice) -> {
            if (!languages.containsKey(locale)) {
                if (builtIn(locale) == null) {
                    String tag = locale.toLanguageTag();
                    throw new ChannelConfigurationException(s.qualifiedKey(VOICE_PREFIX + tag), "setting "
                            + s.qualifiedKey(VOICE_PREFIX + tag) + " needs " + s.qualifiedKey(LANGUAGE_PREFIX + tag)
                            + ": there is no built-in language for " + tag);
                }
                overrides.put(locale, new Say(null, voice));
            }
        });
        return new SayVoices(overrides);
    }

    /**
     * How a locale is spoken: an override for one of its {@linkplain TextBundle#candidates candidates} (so one for
     * {@code de} covers {@code de-DE}), else the table's; {@code null} if neither has a voice for it.
     */
    Say sayFor(Locale locale) {
        for (Locale candidate : TextBundle.candidates(locale)) {
            Say override = overrides.get(candidate);
            if (override != null) {
                return override.language() != null ? override : new Say(builtIn(locale).language(), override.voice());
            }
        }
        return builtIn(locale);
    }

    private static Say builtIn(Locale locale) {
        for (Locale candidate : TextBundle.candidates(locale)) {
            Say say = BUILT_IN.get(candidate);
            if (say != null) {
                return say;
            }
        }
        return null;
    }

    private static Locale locale(ChannelSettings s, String key, String prefix) {
        String tag = key.substring(prefix.length());
        Locale locale = Locale.forLanguageTag(tag);
        if (locale.getLanguage().isEmpty() || !locale.toLanguageTag().equalsIgnoreCase(tag)) {
            throw new ChannelConfigurationException(s.qualifiedKey(key), "setting " + s.qualifiedKey(key)
                    + " must end in a BCP 47 language tag such as pt-BR");
        }
        return TextBundle.candidates(locale).get(0);
    }

    private static String value(ChannelSettings s, String key, Pattern pattern, String expected) {
        String value = s.require(key);
        if (!pattern.matcher(value).matches()) {
            throw new ChannelConfigurationException(s.qualifiedKey(key), "setting " + s.qualifiedKey(key) + " must be "
                    + expected + ": " + value);
        }
        return value;
    }

    private static Map<Locale, Say> table(String... entries) {
        Map<Locale, Say> table = new HashMap<>();
        for (int i = 0; i < entries.length; i += 3) {
            Locale locale = Locale.forLanguageTag(entries[i]);
            Say say = new Say(entries[i + 1], entries[i + 2]);
            table.put(locale, say);
            if (!locale.getCountry().isEmpty()) {
                table.putIfAbsent(Locale.forLanguageTag(locale.getLanguage()), say); // de for de-DE, pt for pt-BR
            }
        }
        return Map.copyOf(table);
    }
}
