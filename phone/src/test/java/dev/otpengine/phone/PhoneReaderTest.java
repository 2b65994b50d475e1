package dev.otpengine.phone;

import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A channel's rule on number types, on top of the one reading, and what the engine gets from it. */
final class PhoneReaderTest {

    private static final PhoneReader BY_SMS = PhoneReader.taking("by SMS", NumberType.MOBILE,
            NumberType.FIXED_LINE_OR_MOBILE);

    @Test
    void read_aTypeTaken_isTheNumber() {
        assertEquals(Optional.of(new PhoneNumber("+447911223456", "GB", 44, NumberType.MOBILE)),
                BY_SMS.read("+44 7911 223456").number());
        assertEquals(NumberType.FIXED_LINE_OR_MOBILE, BY_SMS.read("+12025550162").number().orElseThrow().type());
    }

    @Test
    void read_aNumberOfAGlobalService_isRefusedWhateverItsType() {
        // satellite and international network ranges (+881, +882, +883, +870, +878...): no country, and toll fraud's
        com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        PhoneReader anyType = PhoneReader.taking("by a phone call", NumberType.values());
        int refused = 0;
        for (int callingCode : util.getSupportedGlobalNetworkCallingCodes()) {
            com.google.i18n.phonenumbers.Phonenumber.PhoneNumber example = util.getExampleNumberForNonGeoEntity(
                    callingCode);
            if (example == null) {
                continue;
            }
            String e164 = util.format(example, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164);
            assertEquals(Optional.of("is a number of a global service, not of a country, which does not get codes "
                    + "by a phone call"), anyType.read(e164).refusal(), e164);
            refused++;
        }
        assertEquals(true, refused >= 8, "global services tried: " + refused);
        assertEquals(Optional.empty(), anyType.read("+44 20 7183 8750").refusal(), "a country's landline is taken");
    }

    @Test
    void read_aTypeNotTaken_isRefusedNamingTheTypeAndHow() {
        assertEquals(Optional.of("is a landline, which does not get codes by SMS"),
                BY_SMS.read("+44 20 7183 8750").refusal());
        assertEquals(Optional.of("is a premium-rate number, which does not get codes by SMS"),
                BY_SMS.read("+449098765432").refusal());
        assertEquals(Optional.of("is a toll-free number, which does not get codes on WhatsApp"),
                PhoneReader.taking("on WhatsApp", NumberType.MOBILE).read("+448001234567").refusal());
        assertEquals(Optional.of("is a personal number, which does not get codes by a phone call"),
                PhoneReader.taking("by a phone call", NumberType.FIXED_LINE).read("+15005550006").refusal());
    }

    @Test
    void read_everyTypeNotTaken_hasItsOwnWords() {
        Map<String, String> refusals = Map.of(
                "+447400123456", "is a mobile number, which does not get codes by fax",
                "+441212345678", "is a landline, which does not get codes by fax",
                "+12025550162", "is a number that may be a landline or a mobile, which does not get codes by fax",
                "+448001234567", "is a toll-free number, which does not get codes by fax",
                "+449098765432", "is a premium-rate number, which does not get codes by fax",
                "+445612345678", "is a VoIP number, which does not get codes by fax",
                "+447012345678", "is a personal number, which does not get codes by fax",
                "+447640123456", "is a pager number, which does not get codes by fax",
                "+445512345678", "is a universal access number, which does not get codes by fax");
        PhoneReader none = PhoneReader.taking("by fax", NumberType.SHARED_COST);

        refusals.forEach((number, refusal) -> assertEquals(Optional.of(refusal), none.read(number).refusal(), number));
    }

    @Test
    void read_invalid_isTheOneReadingsRefusal() {
        assertEquals(Optional.of("is not a valid number for its country"), BY_SMS.read("+447700900123").refusal());
        assertEquals(Optional.of("does not start with + and a country calling code in use"),
                BY_SMS.read("+999123456789").refusal());
    }

    @Test
    void readAddress_aPhone_isTheE164FormWithItsFacts() {
        AddressReading reading = BY_SMS.readAddress(Recipient.PHONE, "+1 868 291 1234");

        assertEquals(Optional.of("+18682911234"), reading.canonical());
        assertEquals(Map.of(AddressReading.REGION, "TT", AddressReading.CALLING_CODE, "1", AddressReading.TYPE, "mobile",
                AddressReading.MAIN_REGION, "US"), reading.facts());
        assertEquals(List.of("region", "callingCode", "type", "mainRegion"), List.copyOf(reading.facts().keySet()));
    }

    @Test
    void readAddress_aPhoneNotTaken_isTheRefusal() {
        AddressReading reading = BY_SMS.readAddress(Recipient.PHONE, "+44 20 7183 8750");

        assertEquals(Optional.empty(), reading.canonical());
        assertEquals(Optional.of("is a landline, which does not get codes by SMS"), reading.refusal());
    }

    @Test
    void readAddress_anotherKind_isNoOpinion() {
        assertSame(AddressReading.noOpinion(), BY_SMS.readAddress(Recipient.EMAIL, "+447911223456"));
        assertSame(AddressReading.noOpinion(), BY_SMS.readAddress("telegram", "@acme"));
    }

    @Test
    void taking_keepsTheTypesInTheirOrder() {
        PhoneReader reader = PhoneReader.taking("by a phone call", NumberType.VOIP, NumberType.MOBILE, NumberType.MOBILE);

        assertEquals(Set.of(NumberType.MOBILE, NumberType.VOIP), reader.takes());
        assertEquals(List.of(NumberType.MOBILE, NumberType.VOIP), List.copyOf(reader.takes()));
        assertThrows(UnsupportedOperationException.class, () -> reader.takes().add(NumberType.PAGER));
        assertEquals("PhoneReader[[MOBILE, VOIP] by a phone call]", reader.toString());
    }

    @Test
    void taking_badArguments_areRefusedNamingThem() {
        assertEquals("how must not be blank", assertThrows(IllegalArgumentException.class,
                () -> PhoneReader.taking(" ", NumberType.MOBILE)).getMessage());
        assertEquals("takes must name at least one number type", assertThrows(IllegalArgumentException.class,
                () -> PhoneReader.taking("by SMS")).getMessage());
        assertEquals("how", assertThrows(NullPointerException.class,
                () -> PhoneReader.taking(null, NumberType.MOBILE)).getMessage());
        assertEquals("takes", assertThrows(NullPointerException.class,
                () -> PhoneReader.taking("by SMS", NumberType.MOBILE, null)).getMessage());
        assertEquals("kind", assertThrows(NullPointerException.class,
                () -> BY_SMS.readAddress(null, "+447911223456")).getMessage());
    }
}
