package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading a form-encoded body as a vendor signs it. */
final class FormFieldsTest {

    @Test
    void parse_decodesPercentAndPlus_keepsOrderAndDuplicates() {
        FormFields form = FormFields.parse("To=%2B18005551212&Body=Your+code%3A+123&Body=again&Flag&&Empty=");
        assertEquals("+18005551212", form.first("To"));
        assertEquals("Your code: 123", form.first("Body"));
        assertEquals("", form.first("Flag"));
        assertEquals("", form.first("Empty"));
        assertNull(form.first("to"), "names are case-sensitive");
        assertEquals(5, form.size());
        assertEquals(Map.of("To", "+18005551212", "Body", "Your code: 123", "Flag", "", "Empty", ""),
                form.firstValues());
    }

    @Test
    void sorted_isByNameCaseSensitively_thenByValue() {
        List<Map.Entry<String, String>> sorted = FormFields.parse("b=2&B=1&a=z&a=y").sorted();
        assertEquals(List.of(Map.entry("B", "1"), Map.entry("a", "y"), Map.entry("a", "z"), Map.entry("b", "2")),
                sorted);
    }

    @Test
    void malformedEscapes_orTooManyFields_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> FormFields.parse("a=%zz"));
        assertThrows(IllegalArgumentException.class, () -> FormFields.parse("a=%2"));
        assertEquals("a form has at most 256 fields", assertThrows(IllegalArgumentException.class,
                () -> FormFields.parse("a=1&".repeat(257))).getMessage());
    }

    @Test
    void nothing_isNoFields_andToStringListsNamesOnly() {
        assertEquals(0, FormFields.parse(null).size());
        assertEquals(0, FormFields.parse("").size());
        assertEquals("FormFields[From, To]", FormFields.parse("To=%2B18005551212&From=%2B12025550100").toString());
    }
}
