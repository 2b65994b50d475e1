package dev.otpengine.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Country calling codes of E.164 numbers, and the language most people at each speak.
 *
 * <p>Calling codes are a prefix code assigned by zone (ITU-T E.164 Annex): in zones 1 and 7 the code is the one digit;
 * elsewhere it is two digits for the pairs in {@link #TWO_DIGIT} and three for every other, so the code of a number
 * follows from its first digits alone, whatever country it is.
 */
public final class CallingCodes {

    /** The two-digit calling codes. */
    private static final int[] TWO_DIGIT = {20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51,
        52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98};
    private static final boolean[] IS_TWO_DIGIT = new boolean[100];

    static {
        for (int code : TWO_DIGIT) {
            IS_TWO_DIGIT[code] = true;
        }
    }

    /**
     * The language of a text sent by a number's country, for the countries where one of the shipped languages is the
     * one most people read; {@code +1} is left out (English is the default, and its Spanish-speaking members share it).
     */
    private static final Map<Integer, Locale> LANGUAGES = Map.ofEntries(
            Map.entry(7, Locale.forLanguageTag("ru")), Map.entry(375, Locale.forLanguageTag("ru")),
            Map.entry(34, Locale.forLanguageTag("es")), Map.entry(52, Locale.forLanguageTag("es")),
            Map.entry(54, Locale.forLanguageTag("es")), Map.entry(56, Locale.forLanguageTag("es")),
            Map.entry(57, Locale.forLanguageTag("es")), Map.entry(51, Locale.forLanguageTag("es")),
            Map.entry(58, Locale.forLanguageTag("es")), Map.entry(593, Locale.forLanguageTag("es")),
            Map.entry(591, Locale.forLanguageTag("es")), Map.entry(595, Locale.forLanguageTag("es")),
            Map.entry(598, Locale.forLanguageTag("es")), Map.entry(502, Locale.forLanguageTag("es")),
            Map.entry(503, Locale.forLanguageTag("es")), Map.entry(504, Locale.forLanguageTag("es")),
            Map.entry(505, Locale.forLanguageTag("es")), Map.entry(506, Locale.forLanguageTag("es")),
            Map.entry(507, Locale.forLanguageTag("es")), Map.entry(53, Locale.forLanguageTag("es")),
            Map.entry(55, Locale.forLanguageTag("pt-BR")), Map.entry(351, Locale.forLanguageTag("pt")),
            Map.entry(244, Locale.forLanguageTag("pt")), Map.entry(258, Locale.forLanguageTag("pt")),
            Map.entry(33, Locale.forLanguageTag("fr")), Map.entry(377, Locale.forLanguageTag("fr")),
            Map.entry(39, Locale.forLanguageTag("it")), Map.entry(378, Locale.forLanguageTag("it")),
            Map.entry(49, Locale.forLanguageTag("de-DE")), Map.entry(43, Locale.forLanguageTag("de")),
            Map.entry(41, Locale.forLanguageTag("de")), Map.entry(423, Locale.forLanguageTag("de")),
            Map.entry(86, Locale.forLanguageTag("zh-Hans")), Map.entry(886, Locale.forLanguageTag("zh-Hant")),
            Map.entry(852, Locale.forLanguageTag("zh-Hant")), Map.entry(853, Locale.forLanguageTag("zh-Hant")),
            Map.entry(376, Locale.forLanguageTag("ca")), Map.entry(81, Locale.forLanguageTag("ja")),
            Map.entry(31, Locale.forLanguageTag("nl")), Map.entry(597, Locale.forLanguageTag("nl")),
            Map.entry(48, Locale.forLanguageTag("pl")), Map.entry(90, Locale.forLanguageTag("tr")),
            Map.entry(98, Locale.forLanguageTag("fa")), Map.entry(84, Locale.forLanguageTag("vi")),
            Map.entry(420, Locale.forLanguageTag("cs")));

    private CallingCodes() {
    }

    /**
     * The country calling code of a number.
     *
     * @param phone a number in E.164, {@code +} and digits
     * @return the code, such as {@code 49}, or {@code -1} if the text is not {@code +} and at least four digits
     */
    public static int of(String phone) {
        if (phone.length() < 5 || phone.charAt(0) != '+') {
            return -1;
        }
        for (int i = 1; i < 4; i++) {
            if (phone.charAt(i) < '0' || phone.charAt(i) > '9') {
                return -1;
            }
        }
        char first = phone.charAt(1);
        if (first == '1' || first == '7') {
            return first - '0';
        }
        int two = Integer.parseInt(phone, 1, 3, 10);
        if (IS_TWO_DIGIT[two]) {
            return two;
        }
        return Integer.parseInt(phone, 1, 4, 10);
    }

    /**
     * The language most people in a number's country read, among the shipped ones.
     *
     * @param phone a number in E.164
     * @return the locale, or {@code null} if the country has none of the shipped languages as its first, or is {@code +1}
     */
    public static Locale languageOf(String phone) {
        int code = of(phone);
        return code < 0 ? null : LANGUAGES.get(code);
    }
}
