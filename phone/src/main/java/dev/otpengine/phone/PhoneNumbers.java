package dev.otpengine.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;

import java.util.Objects;

/**
 * The one reading of phone numbers, libphonenumber's: whatever the spelling ({@code +44 (0)7911 223456},
 * {@code +44-7911-223-456}, {@code +1 1 202 555 0162}, {@code +1 (202) 555.0162}), one {@link PhoneNumber} with its
 * E.164 form, its country (told apart inside a shared calling code), its calling code and its {@link NumberType}; or
 * a refusal a requester can act on. Every phone channel reads numbers here, most through a {@link PhoneReader} that
 * adds the channel's own rule on number types, so that channels agree on a number's form whatever their order.
 *
 * <p>A number must carry its country code ({@code +}): there is no default country, as a send has no country to
 * guess from.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe (libphonenumber's {@code PhoneNumberUtil} is).
 */
public final class PhoneNumbers {

    /** Read once: its metadata is loaded on first use, and it is thread-safe. */
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** No default region: a number must carry its country code. */
    private static final String NO_REGION = "ZZ";

    private PhoneNumbers() {
    }

    /**
     * Reads a number written with its country code.
     *
     * @param number the number as written, such as {@code +7 999 123-45-67}
     * @return the {@link PhoneNumber}; or a refusal: {@code "is not a phone number"},
     *     {@code "does not start with + and a country calling code in use"},
     *     {@code "is too short to be a phone number"}, {@code "is too long to be a phone number"} or
     *     {@code "is not a valid number for its country"}
     * @throws NullPointerException if {@code number} is null
     */
    public static PhoneReading read(String number) {
        Objects.requireNonNull(number, "number");
        com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(number, NO_REGION);
        } catch (NumberParseException e) {
            return PhoneReading.refused(reasonFor(e.getErrorType()));
        }
        NumberType type = UTIL.isValidNumber(parsed) ? typeOf(UTIL.getNumberType(parsed)) : null;
        if (type == null) {
            return PhoneReading.refused("is not a valid number for its country");
        }
        return PhoneReading.of(new PhoneNumber(UTIL.format(parsed, PhoneNumberFormat.E164),
                UTIL.getRegionCodeForNumber(parsed), parsed.getCountryCode(), type));
    }

    private static String reasonFor(NumberParseException.ErrorType error) {
        switch (error) {
            case INVALID_COUNTRY_CODE:
                return "does not start with + and a country calling code in use";
            case TOO_SHORT_AFTER_IDD:
            case TOO_SHORT_NSN:
                return "is too short to be a phone number";
            case TOO_LONG:
                return "is too long to be a phone number";
            default: // NOT_A_NUMBER, and any error a later libphonenumber adds
                return "is not a phone number";
        }
    }

    /** Ours for libphonenumber's; {@code null} for {@code UNKNOWN}, which no valid number has. */
    private static NumberType typeOf(PhoneNumberType type) {
        switch (type) {
            case MOBILE:
                return NumberType.MOBILE;
            case FIXED_LINE:
                return NumberType.FIXED_LINE;
            case FIXED_LINE_OR_MOBILE:
                return NumberType.FIXED_LINE_OR_MOBILE;
            case TOLL_FREE:
                return NumberType.TOLL_FREE;
            case PREMIUM_RATE:
                return NumberType.PREMIUM_RATE;
            case SHARED_COST:
                return NumberType.SHARED_COST;
            case VOIP:
                return NumberType.VOIP;
            case PERSONAL_NUMBER:
                return NumberType.PERSONAL_NUMBER;
            case PAGER:
                return NumberType.PAGER;
            case UAN:
                return NumberType.UAN;
            case VOICEMAIL:
                return NumberType.VOICEMAIL;
            default: // UNKNOWN, and any type a later libphonenumber adds: not a number we can say anything of
                return null;
        }
    }
}
