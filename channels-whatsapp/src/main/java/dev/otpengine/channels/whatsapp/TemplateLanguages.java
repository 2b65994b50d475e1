package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.TextBundle;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which language of the template a message is sent in. WhatsApp sends a template only in a language it was approved
 * in, named by Meta's own codes ({@code pt_BR}, {@code zh_TW}), from the list of supported languages
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/supported-languages).
 *
 * <p>For a message's locale, its {@linkplain TextBundle#candidates candidates} (most specific first) are looked up in
 * the {@code whatsapp.language.<tag>} overrides, then in the built-in table of the engine's 17 shipped locales, then
 * in Meta's list as {@code language_REGION} or as the language alone; the first hit wins, so an override for
 * {@code de} also covers {@code de-DE}, and {@code en-GB} is sent in the table's {@code en_US} (the languages an operator
 * is told to approve the template in) rather than in Meta's {@code en_GB}. A locale none of them
 * knows is sent in English, the language every template starts in.
 */
final class TemplateLanguages {

    /** The engine's shipped locales (and their bare languages) to Meta's codes; see the provider's Javadoc. */
    static final Map<Locale, String> BUILT_IN = table(
            "en", "en_US",
            "es", "es",
            "pt-BR", "pt_BR",
            "pt", "pt_BR",
            "fr", "fr",
            "it", "it",
            "de-DE", "de",
            "de", "de",
            "zh-Hans", "zh_CN",
            "zh-Hant", "zh_TW",
            "zh-Hant-HK", "zh_HK",
            "zh-Hant-MO", "zh_HK",
            "ca-ES", "ca",
            "ca", "ca",
            "ja", "ja",
            "ru", "ru",
            "nl", "nl",
            "pl", "pl",
            "tr", "tr",
            "fa", "fa",
            "vi", "vi",
            "cs", "cs");

    /** Meta's supported template languages, from the page cited above. */
    static final Set<String> META_CODES = Set.of(
            "af", "sq", "ar", "az", "bn", "bg", "ca", "zh_CN", "zh_HK", "zh_TW", "hr", "cs", "da", "nl", "en", "en_GB",
            "en_US", "et", "fil", "fi", "fr", "ka", "de", "el", "gu", "ha", "he", "hi", "hu", "id", "ga", "it", "ja",
            "kn", "kk", "rw_RW", "ko", "ky_KG", "lo", "lv", "lt", "mk", "ms", "ml", "mr", "nb", "fa", "pl", "pt_BR",
            "pt_PT", "pa", "ro", "ru", "sr", "sk", "sl", "es", "es_AR", "es_ES", "es_MX", "sw", "sv", "ta", "te", "th",
            "tr", "uk", "ur", "uz", "vi", "zu");

    /** A Meta language code: a language, and a region after an underscore. */
    private static final Pattern CODE = Pattern.compile("[a-z]{2,3}(?:_[A-Z]{2})?");
    private static final String PREFIX = "language.";

    private final Map<Locale, String> overrides;

    private TemplateLanguages(Map<Locale, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Reads the {@code whatsapp.language.<BCP 47 tag>} overrides.
     *
     * @throws ChannelConfigurationException if a tag is not a language tag or a value is not a language code
     */
    static TemplateLanguages from(ChannelSettings s) {
        Map<Locale, String> overrides = new HashMap<>();
        for (String key : s.keys()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String tag = key.substring(PREFIX.length());
            Locale locale = Locale.forLanguageTag(tag);
            if (locale.getLanguage().isEmpty() || !locale.toLanguageTag().equalsIgnoreCase(tag)) {
                throw new ChannelConfigurationException(s.qualifiedKey(key), "setting " + s.qualifiedKey(key)
                        + " must end in a BCP 47 language tag such as pt-BR");
            }
            String code = s.require(key);
            if (!CODE.matcher(code).matches()) {
                throw new ChannelConfigurationException(s.qualifiedKey(key), "setting " + s.qualifiedKey(key)
                        + " must be a WhatsApp language code such as pt_BR or de: " + code);
            }
            overrides.put(TextBundle.candidates(locale).get(0), code);
        }
        return new TemplateLanguages(overrides);
    }

    /** The template language for a message's locale: overrides, then the table, then Meta's list, each for every candidate. */
    String codeFor(Locale locale) {
        List<Locale> candidates = TextBundle.candidates(locale);
        for (Locale candidate : candidates) {
            String code = overrides.get(candidate);
            if (code != null) {
                return code;
            }
        }
        for (Locale candidate : candidates) {
            String code = BUILT_IN.get(candidate);
            if (code != null) {
                return code;
            }
        }
        for (Locale candidate : candidates) {
            String code = meta(candidate);
            if (code != null) {
                return code;
            }
        }
        String english = overrides.get(Locale.ENGLISH);
        return english != null ? english : BUILT_IN.get(Locale.ENGLISH);
    }

    private static String meta(Locale candidate) {
        if (!candidate.getScript().isEmpty()) {
            return null; // Chinese scripts are in the built-in table; Meta names no other script
        }
        String regional = candidate.getLanguage() + "_" + candidate.getCountry();
        if (!candidate.getCountry().isEmpty() && META_CODES.contains(regional)) {
            return regional;
        }
        return candidate.getCountry().isEmpty() && META_CODES.contains(candidate.getLanguage()) ? candidate.getLanguage()
                : null;
    }

    private static Map<Locale, String> table(String... tagsAndCodes) {
        Map<Locale, String> table = new HashMap<>();
        for (int i = 0; i < tagsAndCodes.length; i += 2) {
            table.put(Locale.forLanguageTag(tagsAndCodes[i]), tagsAndCodes[i + 1]);
        }
        return Map.copyOf(table);
    }
}
