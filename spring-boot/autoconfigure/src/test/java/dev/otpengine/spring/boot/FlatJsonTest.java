package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading Vonage's JSON delivery receipt: one flat object. */
final class FlatJsonTest {

    @Test
    void parse_readsStringsNumbersAndBooleans_asText_andLeavesNullsOut() {
        Map<String, String> m = FlatJson.parse(" {\"messageId\":\"0A00\",\"err-code\":\"0\",\"price\":0.0333,"
                + "\"n\":-1e3,\"ok\":true,\"no\":false,\"client-ref\":null,\"s\":\"a\\\"b\\\\c\\/d\\u00e9\\n\"} ");
        assertEquals(Map.of("messageId", "0A00", "err-code", "0", "price", "0.0333", "n", "-1e3", "ok", "true",
                "no", "false", "s", "a\"b\\c/d\u00e9\n"), m);
        assertEquals(List.of("messageId", "err-code", "price", "n", "ok", "no", "s"), List.copyOf(m.keySet()));
        assertEquals(Map.of(), FlatJson.parse("{}"));
    }

    @Test
    void anythingButAFlatObject_isRefused() {
        for (String bad : new String[] {"", "[]", "{", "{\"a\":{}}", "{\"a\":[1]}", "{\"a\":1,}", "{\"a\" 1}",
                "{\"a\":1} x", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1,\"a\":2}", "{\"a\":-}",
                "{\"a\":\"line\nbreak\"}", "{a:1}", "{\"a\":nul}", "\"a\"", "{\"a\":\"unterminated}"}) {
            assertThrows(IllegalArgumentException.class, () -> FlatJson.parse(bad), bad);
        }
    }

    @Test
    void tooManyMembers_areRefused() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i <= FormFields.MAX_FIELDS; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        assertEquals("an object has at most 256 members", assertThrows(IllegalArgumentException.class,
                () -> FlatJson.parse(json.append('}').toString())).getMessage());
    }
}
