package dev.otpengine.phone;

import dev.otpengine.spi.AddressReading;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The value a reading gives: its checks, its facts, and a toString that never shows the whole number. */
final class PhoneNumberTest {

    private static final PhoneNumber GUERNSEY = new PhoneNumber("+447781123456", "GG", 44, NumberType.MOBILE);

    @Test
    void facts_areRegionCallingCodeAndType() {
        assertEquals(List.of(Map.entry("region", "GG"), Map.entry("callingCode", "44"), Map.entry("type", "mobile"),
                Map.entry("mainRegion", "GB")), List.copyOf(GUERNSEY.facts().entrySet()));
        assertEquals("RU", new PhoneNumber("+77012345678", "KZ", 7, NumberType.MOBILE).facts()
                .get(AddressReading.MAIN_REGION), "Kazakhstan shares +7 with Russia, its main country");
        assertEquals("001", new PhoneNumber("+80012345678", "001", 800, NumberType.TOLL_FREE).facts()
                .get(AddressReading.MAIN_REGION), "a code of no country keeps the number's own region");
        assertEquals("fixed_line_or_mobile", new PhoneNumber("+12025550162", "US", 1,
                NumberType.FIXED_LINE_OR_MOBILE).facts().get(AddressReading.TYPE));
        assertThrows(UnsupportedOperationException.class, () -> GUERNSEY.facts().put("region", "GB"));
    }

    @Test
    void toString_masksTheNumber() {
        String s = GUERNSEY.toString();

        assertEquals("PhoneNumber[+4*******3456, GG, +44, MOBILE]", s);
        assertFalse(s.contains("7781123"), s);
        assertFalse(PhoneReading.of(GUERNSEY).toString().contains("7781123"));
    }

    @Test
    void new_partsThatDisagree_areRefused() {
        assertEquals("e164 must be + and up to 15 digits: 44******3456", assertThrows(IllegalArgumentException.class,
                () -> new PhoneNumber("447781123456", "GG", 44, NumberType.MOBILE)).getMessage());
        assertEquals("region must be an ISO 3166-1 alpha-2 code or 001: gg", assertThrows(IllegalArgumentException.class,
                () -> new PhoneNumber("+447781123456", "gg", 44, NumberType.MOBILE)).getMessage());
        assertEquals("callingCode must be the 1 to 3 digits e164 starts with: 7", assertThrows(IllegalArgumentException.class,
                () -> new PhoneNumber("+447781123456", "GG", 7, NumberType.MOBILE)).getMessage());
        assertEquals("type", assertThrows(NullPointerException.class,
                () -> new PhoneNumber("+447781123456", "GG", 44, null)).getMessage());
    }

    @Test
    void phoneReading_toAddressReading_carriesTheFormAndFactsOrTheRefusal() {
        AddressReading taken = PhoneReading.of(GUERNSEY).toAddressReading();
        AddressReading refused = PhoneReading.refused("is a landline, which does not get codes by SMS").toAddressReading();

        assertEquals(Optional.of("+447781123456"), taken.canonical());
        assertEquals(GUERNSEY.facts(), taken.facts());
        assertEquals(Optional.of("is a landline, which does not get codes by SMS"), refused.refusal());
        assertEquals("reason must not be blank", assertThrows(IllegalArgumentException.class,
                () -> PhoneReading.refused(" ")).getMessage());
    }
}
