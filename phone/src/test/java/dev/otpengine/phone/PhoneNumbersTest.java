package dev.otpengine.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one reading: E.164, region, calling code and type for any spelling, and refusals a requester can act on. */
final class PhoneNumbersTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private static PhoneNumber read(String number) {
        PhoneReading reading = PhoneNumbers.read(number);
        return reading.number().orElseThrow(() -> new AssertionError(number + " refused: " + reading.refusal()));
    }

    private static String refusalOf(String number) {
        PhoneReading reading = PhoneNumbers.read(number);
        assertEquals(Optional.empty(), reading.number(), number);
        return reading.refusal().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({
            // inside +1: the US and Trinidad and Tobago, Canada
            "+1 202 555 0162,   +12025550162,   US, 1,  FIXED_LINE_OR_MOBILE",
            "+1 868 291 1234,   +18682911234,   TT, 1,  MOBILE",
            "+1 868 221 1234,   +18682211234,   TT, 1,  FIXED_LINE",
            "+1 613 555 0123,   +16135550123,   CA, 1,  FIXED_LINE_OR_MOBILE",
            // inside +7: Russia and Kazakhstan
            "+7 912 345-67-89,  +79123456789,   RU, 7,  MOBILE",
            "+7 495 123-45-67,  +74951234567,   RU, 7,  FIXED_LINE",
            "+7 771 000 9998,   +77710009998,   KZ, 7,  MOBILE",
            "+7 717 212 3456,   +77172123456,   KZ, 7,  FIXED_LINE",
            // inside +44: Great Britain and the Crown Dependencies
            "+44 7911 223456,   +447911223456,  GB, 44, MOBILE",
            "+44 7781 123456,   +447781123456,  GG, 44, MOBILE",
            "+44 7797 712345,   +447797712345,  JE, 44, MOBILE",
            "+44 7624 123456,   +447624123456,  IM, 44, MOBILE",
            "+44 20 7183 8750,  +442071838750,  GB, 44, FIXED_LINE",
            "+44 1481 256789,   +441481256789,  GG, 44, FIXED_LINE",
            // a number of no country
            "+800 1234 5678,    +80012345678,   001, 800, TOLL_FREE",
            // Italy keeps the leading zero of its landlines
            "+39 06 1234 5678,  +390612345678,  IT, 39, FIXED_LINE",
    })
    void read_numbersSharingACallingCode_areToldApartByRegionAndType(String written, String e164, String region,
                                                                   int callingCode, NumberType type) {
        assertEquals(new PhoneNumber(e164, region, callingCode, type), read(written));
    }

    @Test
    void read_britishGuernseyRange7911_isGuernseyNotBritain() {
        // +44 7911 1xxxxx and 7911 7xxxxx are Guernsey's (libphonenumber's metadata); the rest of 7911 is Britain's
        assertEquals("GG", read("+447911123456").region());
        assertEquals("GB", read("+447911223456").region());
    }

    @ParameterizedTest
    @CsvSource({
            "+44 (0)7911 223456",
            "+44 07911 223456",
            "+44-7911-223-456",
            "+44.7911.223.456",
            "+44 (7911) 223456",
            "  +44 7911 223456  ",
            "+447911223456",
    })
    void read_anySpelling_isOneE164Form(String written) {
        assertEquals("+447911223456", read(written).e164());
    }

    @Test
    void read_northAmericanTrunkOneAfterTheCallingCode_isTheSameNumber() {
        assertEquals("+12025550162", read("+1 1 202 555 0162").e164());
        assertEquals("+12025550162", read("+1 (202) 555-0162").e164());
    }

    @Test
    void read_eachTypeOfGreatBritain_isItsType() {
        assertEquals(NumberType.MOBILE, read("+447400123456").type());
        assertEquals(NumberType.FIXED_LINE, read("+441212345678").type());
        assertEquals(NumberType.TOLL_FREE, read("+448001234567").type());
        assertEquals(NumberType.PREMIUM_RATE, read("+449098765432").type());
        assertEquals(NumberType.VOIP, read("+445612345678").type());
        assertEquals(NumberType.PERSONAL_NUMBER, read("+447012345678").type());
        assertEquals(NumberType.PAGER, read("+447640123456").type());
        assertEquals(NumberType.UAN, read("+445512345678").type());
    }

    @Test
    void read_everyTypeLibphonenumberHasAnExampleOf_isMappedToOurs() {
        for (PhoneNumberType theirs : PhoneNumberType.values()) {
            if (theirs == PhoneNumberType.UNKNOWN) {
                continue;
            }
            com.google.i18n.phonenumbers.Phonenumber.PhoneNumber example = new TreeSet<>(UTIL.getSupportedRegions())
                    .stream().map(region -> UTIL.getExampleNumberForType(region, theirs))
                    .filter(n -> n != null && UTIL.getNumberType(n) == theirs).findFirst().orElseThrow();

            assertEquals(theirs.name(), read(UTIL.format(example, PhoneNumberFormat.E164)).type().name());
        }
        assertEquals(PhoneNumberType.values().length - 1, NumberType.values().length);
    }

    @Test
    void read_refusals_sayWhatIsWrongWithoutTheNumber() {
        assertEquals("is not a valid number for its country", refusalOf("+447700900123")); // Ofcom's drama range
        assertEquals("is not a valid number for its country", refusalOf("+44201"));
        assertEquals("does not start with + and a country calling code in use", refusalOf("+999123456789"));
        assertEquals("does not start with + and a country calling code in use", refusalOf("2025550162"));
        assertEquals("is not a phone number", refusalOf("+79"));
        assertEquals("is not a phone number", refusalOf("hello"));
        assertEquals("is too long to be a phone number", refusalOf("+4479112234561234567890"));
        assertEquals("is too short to be a phone number", refusalOf("+44 0"));
    }

    @Test
    void read_null_isANullPointerNamingTheParameter() {
        assertEquals("number", assertThrows(NullPointerException.class, () -> PhoneNumbers.read(null)).getMessage());
    }

    @Provide
    Arbitrary<com.google.i18n.phonenumbers.Phonenumber.PhoneNumber> examples() {
        List<com.google.i18n.phonenumbers.Phonenumber.PhoneNumber> examples = new TreeSet<>(UTIL.getSupportedRegions())
                .stream().flatMap(region -> List.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE).stream()
                        .map(type -> UTIL.getExampleNumberForType(region, type)))
                .filter(n -> n != null && UTIL.isValidNumber(n)).toList();
        return Arbitraries.of(examples);
    }

    @Property(tries = 300)
    void read_anyCountrysNumberInInternationalFormat_givesLibphonenumbersReading(
            @ForAll("examples") com.google.i18n.phonenumbers.Phonenumber.PhoneNumber example,
            @ForAll("separators") String separator) {
        String written = UTIL.format(example, PhoneNumberFormat.INTERNATIONAL).replace(" ", separator);

        PhoneNumber number = read(written);

        assertEquals(UTIL.format(example, PhoneNumberFormat.E164), number.e164(), written);
        assertEquals(UTIL.getRegionCodeForNumber(example), number.region(), written);
        assertEquals(example.getCountryCode(), number.callingCode(), written);
        assertEquals(UTIL.getNumberType(example).name(), number.type().name(), written);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(" ", "-", ".", "", "  ", " - ");
    }
}
