package dev.otpengine.channels.whatsapp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written JSON: what goes out is escaped, what comes in is read strictly. */
final class JsonTest {

    @Test
    void quote_escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\u000a\\u0000\\u001f\\u2028 é 中\"", Json.quote("a\"b\\c\n\u0000\u001f\u2028 é 中"));
    }

    @Test
    void quote_thenParse_givesBackTheString() {
        String hostile = "\"},{\"type\":\"text\",\"text\":\"x\\\n\t\u2029</script>";

        assertEquals(hostile, Json.parse(Json.quote(hostile)));
    }

    @Test
    void parse_readsObjectsArraysAndScalars() {
        Object value = Json.parse(" {\"a\": [1, -2.5, true, false, null, \"\\u00e9\\n\\/\"], \"b\": {}} ");

        assertEquals(Map.of("a", java.util.Arrays.asList(1L, -2.5, true, false, null, "é\n/"), "b", Map.of()), value);
        assertEquals(-2.5, Json.at(value, "a", 1));
        assertNull(Json.at(value, "a", 9));
        assertNull(Json.at(value, "b", "c", 0));
        assertNull(Json.at(value, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "\"open", "tru", "{\"a\":1} x", "\"\\x\"",
            "\"\\u12\"", "\"a\nb\"", "-", "{a:1}"})
    void parse_notJson_isRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    }

    @Test
    void parse_deeperThanTheLimit_isRefusedRatherThanOverflowingTheStack() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));

        assertEquals("not JSON at offset 33: nesting deeper than 32", e.getMessage());
    }

    @Test
    void parse_membersInAnyOrder_areFoundByName() {
        assertEquals(List.of(Map.of("id", "w")), Json.at(Json.parse("{\"x\":1,\"messages\":[{\"id\":\"w\"}]}"), "messages"));
    }
}
