package dev.otpengine.channels.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.otpengine.spi.DeliveryException;

import java.util.Locale;
import java.util.Set;

/**
 * Phone numbers as libphonenumber knows them: the E.164 form, the country, and whether the number can take an SMS.
 * Premium-rate, shared-cost, toll-free, voicemail and other numbers that are not mobile are refused: sending codes
 * to them is how SMS pumping fraud is paid.
 */
final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** The number types an SMS is sent to; libphonenumber cannot tell mobile from fixed line in NANP countries. */
    static final Set<PhoneNumberType> TEXTABLE = Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private PhoneNumbers() {
    }

    /** A checked number: its E.164 form and its country (ISO 3166 region code). */
    record Checked(String e164, String region) {
    }

    /**
     * Checks a number for an SMS.
     *
     * @param international a number with its country code, such as {@code +7 999 123-45-67}
     * @throws DeliveryException (permanent) if it is not a valid number, or not one that takes an SMS
     */
    static Checked check(String international) {
        PhoneNumber number = parse(international);
        if (!UTIL.isValidNumber(number)) {
            throw DeliveryException.permanent("is not a valid number for its country");
        }
        PhoneNumberType type = UTIL.getNumberType(number);
        if (!TEXTABLE.contains(type)) {
            String kind = type.name().toLowerCase(Locale.ROOT).replace('_', ' ').replace(" number", "");
            throw DeliveryException.permanent("is a " + (kind.equals("uan") ? "UAN" : kind)
                    + " number, which does not get codes by SMS");
        }
        return new Checked(UTIL.format(number, PhoneNumberFormat.E164), UTIL.getRegionCodeForNumber(number));
    }

    /**
     * The E.164 form of a number written with its country code, whatever separators it has.
     *
     * @throws DeliveryException (permanent) if it cannot be read as a phone number
     */
    static String normalize(String international) {
        return UTIL.format(parse(international), PhoneNumberFormat.E164);
    }

    private static PhoneNumber parse(String international) {
        try {
            return UTIL.parse(international, "ZZ"); // no default region: the number must carry its country code
        } catch (NumberParseException e) {
            throw DeliveryException.permanent("is not a phone number ("
                    + e.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
    }
}
