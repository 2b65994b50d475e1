package dev.otpengine.spi;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class AddressReadingTest {

    @Test
    void as_withFacts_keepsACopyInTheirOrder() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(AddressReading.REGION, "TT");
        facts.put(AddressReading.CALLING_CODE, "1");
        facts.put(AddressReading.TYPE, "mobile");

        AddressReading reading = AddressReading.as("+18682911234", facts);
        facts.clear();

        assertEquals(Optional.of("+18682911234"), reading.canonical());
        assertEquals(Optional.empty(), reading.refusal());
        assertEquals(Map.of("region", "TT", "callingCode", "1", "type", "mobile"), reading.facts());
        assertEquals(List.of("region", "callingCode", "type"), List.copyOf(reading.facts().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> reading.facts().put("region", "US"));
    }

    @Test
    void as_withoutFacts_andRefusalAndNoOpinion_haveNone() {
        assertEquals(Map.of(), AddressReading.as("+12025550162").facts());
        assertEquals(Map.of(), AddressReading.as("+12025550162", Map.of()).facts());
        assertEquals(Map.of(), AddressReading.refused("is a landline, which does not get codes by SMS").facts());
        assertEquals(Map.of(), AddressReading.noOpinion().facts());
    }

    @Test
    void as_badFacts_areRefusedNamingWhatIsWrong() {
        assertEquals("facts", assertThrows(NullPointerException.class,
                () -> AddressReading.as("+12025550162", null)).getMessage());
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("region", null);
        assertEquals("facts value of region", assertThrows(NullPointerException.class,
                () -> AddressReading.as("+12025550162", nullValue)).getMessage());
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "US");
        assertEquals("facts key", assertThrows(NullPointerException.class,
                () -> AddressReading.as("+12025550162", nullKey)).getMessage());
        assertEquals("facts key must not be blank", assertThrows(IllegalArgumentException.class,
                () -> AddressReading.as("+12025550162", Map.of(" ", "US"))).getMessage());
        assertEquals("facts value of region must not be blank", assertThrows(IllegalArgumentException.class,
                () -> AddressReading.as("+12025550162", Map.of("region", ""))).getMessage());
        assertEquals("canonical must not be blank", assertThrows(IllegalArgumentException.class,
                () -> AddressReading.as(" ", Map.of("region", "US"))).getMessage());
    }

    @Test
    void toString_namesTheFactKeys_neverTheAddress() {
        String s = AddressReading.as("+18682911234", Map.of("region", "TT")).toString();

        assertEquals("AddressReading[as a canonical form, facts [region]]", s);
        assertFalse(s.contains("2911234"), s);
        assertEquals("AddressReading[as a canonical form]", AddressReading.as("+18682911234").toString());
    }
}
