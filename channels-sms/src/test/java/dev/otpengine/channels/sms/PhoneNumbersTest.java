package dev.otpengine.channels.sms;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.otpengine.spi.DeliveryException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** libphonenumber's view of a number: E.164 normalization for any region's numbers, and who gets an SMS. */
final class PhoneNumbersTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    @Provide
    Arbitrary<PhoneNumber> mobiles() {
        return Arbitraries.of(UTIL.getSupportedRegions().stream().sorted().toList())
                .map(region -> UTIL.getExampleNumberForType(region, PhoneNumberType.MOBILE))
                .filter(n -> n != null);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(" ", "-", ".", "", "  ");
    }

    @Property(tries = 300)
    void normalize_anyWayOfWritingAMobile_givesItsE164Form(@ForAll("mobiles") PhoneNumber number,
                                                          @ForAll("separators") String separator) {
        String e164 = UTIL.format(number, PhoneNumberFormat.E164);
        String international = UTIL.format(number, PhoneNumberFormat.INTERNATIONAL).replace(" ", separator);

        assertEquals(e164, PhoneNumbers.normalize(international));
        assertEquals(e164, PhoneNumbers.normalize(e164));
        assertEquals(e164, PhoneNumbers.check(international).e164());
        assertEquals(UTIL.getRegionCodeForNumber(number), PhoneNumbers.check(e164).region());
    }

    @Test
    void check_mobile_passesWithItsCountry() {
        assertEquals(new PhoneNumbers.Checked("+79991234567", "RU"), PhoneNumbers.check("+7 999 123-45-67"));
        assertEquals("GB", PhoneNumbers.check("+447400123456").region());
    }

    @Test
    void check_premiumRateSharedCostAndTollFree_areRefusedPermanently() {
        for (PhoneNumberType type : new PhoneNumberType[] {PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST,
                PhoneNumberType.TOLL_FREE}) {
            PhoneNumber example = UTIL.getSupportedRegions().stream().sorted()
                    .map(region -> UTIL.getExampleNumberForType(region, type)).filter(n -> n != null).findFirst().orElseThrow();
            String number = UTIL.format(example, PhoneNumberFormat.E164);

            DeliveryException e = assertThrows(DeliveryException.class, () -> PhoneNumbers.check(number));

            assertFalse(e.isRetryable());
            assertEquals("is a " + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " number, which does not get codes by SMS", e.getMessage());
        }
    }

    @Test
    void check_invalidOrUnparsable_isRefusedPermanently() {
        assertEquals("is not a phone number (not a number)", assertThrows(DeliveryException.class,
                () -> PhoneNumbers.check("+79")).getMessage());
        assertEquals("is not a phone number (invalid country code)", assertThrows(DeliveryException.class,
                () -> PhoneNumbers.check("+999123456789")).getMessage());
        DeliveryException tooShort = assertThrows(DeliveryException.class, () -> PhoneNumbers.check("+44201"));
        assertEquals("is not a valid number for its country", tooShort.getMessage());
        assertFalse(tooShort.isRetryable());
    }
}
