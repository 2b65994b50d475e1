package dev.otpengine.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Recipient;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A valid phone number as {@link PhoneNumbers#read} reads it: one value for every spelling of one line.
 *
 * <p><b>Thread-safety:</b> immutable. {@link #toString()} masks the number.
 *
 * @param e164 the canonical form, {@code +} and up to 15 digits, such as {@code +447911223456}: the one key of the
 *     number for every limit, and the form every phone channel delivers to
 * @param region the country or territory, ISO 3166-1 alpha-2 ({@code "GB"}), told apart inside a shared calling
 *     code ({@code +1 868} is {@code "TT"}, {@code +44 7781} is {@code "GG"}); {@code "001"} for a number of no
 *     country, such as an international toll-free {@code +800} one
 * @param callingCode the country calling code, such as {@code 44}
 * @param type what kind of line it is
 */
public record PhoneNumber(String e164, String region, int callingCode, NumberType type) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}|001");

    /**
     * Checks the parts agree.
     *
     * @param e164 the canonical form
     * @param region the ISO 3166-1 alpha-2 code, or {@code 001}
     * @param callingCode the country calling code
     * @param type what kind of line it is
     * @throws IllegalArgumentException if {@code e164} is not E.164, {@code region} not two capital letters or
     *     {@code 001}, or {@code callingCode} not 1 to 999 and the start of {@code e164}
     * @throws NullPointerException if {@code e164}, {@code region} or {@code type} is null
     */
    public PhoneNumber {
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(type, "type");
        if (!E164.matcher(e164).matches()) {
            throw new IllegalArgumentException("e164 must be + and up to 15 digits: " + Recipient.maskPhone(e164));
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must be an ISO 3166-1 alpha-2 code or 001: " + region);
        }
        if (callingCode < 1 || callingCode > 999 || !e164.startsWith("+" + callingCode)) {
            throw new IllegalArgumentException("callingCode must be the 1 to 3 digits e164 starts with: " + callingCode);
        }
    }

    /**
     * The facts a channel's {@link AddressReading} carries about this number: {@link AddressReading#REGION},
     * {@link AddressReading#CALLING_CODE} (digits, no {@code +}), {@link AddressReading#TYPE}
     * ({@link NumberType#key()}) and {@link AddressReading#MAIN_REGION} (the calling code's main country, as
     * libphonenumber names it: {@code GB} for Guernsey's {@code +44 7781}).
     *
     * @return the four facts, unmodifiable, in that order
     */
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>(4);
        facts.put(AddressReading.REGION, region);
        facts.put(AddressReading.CALLING_CODE, Integer.toString(callingCode));
        facts.put(AddressReading.TYPE, type.key());
        facts.put(AddressReading.MAIN_REGION, mainRegion(callingCode, region));
        return Collections.unmodifiableMap(facts);
    }

    /** The main country of a calling code; a code libphonenumber does not know keeps the number's own region. */
    private static String mainRegion(int callingCode, String region) {
        String main = PhoneNumberUtil.getInstance().getRegionCodeForCountryCode(callingCode);
        return main == null || "ZZ".equals(main) ? region : main;
    }

    /** @return the parts, the number masked ({@code +44******3456}): a number must not reach a log line in full */
    @Override
    public String toString() {
        return "PhoneNumber[" + Recipient.maskPhone(e164) + ", " + region + ", +" + callingCode + ", " + type + "]";
    }
}
