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
    void nested_readsObjectsAndArrays_inOrder_scalarsAsText_nullsLeftOut() {
        Map<String, Object> m = FlatJson.nested(" {\"a\":{\"b\":[1,\"x\",true,null,{},[]],\"c\":null},\"d\":-1.5e3,"
                + "\"e\":[]} ");
        assertEquals(Map.of("a", Map.of("b", List.of("1", "x", "true", Map.of(), List.of())), "d", "-1.5e3",
                "e", List.of()), m);
        assertEquals(List.of("a", "d", "e"), List.copyOf(m.keySet()));
    }

    @Test
    void nested_deeperThanItsLimit_orNotAnObject_isRefused() {
        String deepest = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH - 1) + "]".repeat(FlatJson.MAX_DEPTH - 1) + "}";
        assertEquals(Map.of("a", nest(FlatJson.MAX_DEPTH - 2)), FlatJson.nested(deepest));
        String deeper = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH) + "]".repeat(FlatJson.MAX_DEPTH) + "}";
        assertEquals("nested deeper than 16 at " + (5 + FlatJson.MAX_DEPTH - 1), assertThrows(
                IllegalArgumentException.class, () -> FlatJson.nested(deeper)).getMessage());
        for (String bad : new String[] {"", "[]", "{", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":{\"b\":1,\"b\":2}}",
                "{\"a\":[", "{\"a\":{}} x", "\"a\""}) {
            assertThrows(IllegalArgumentException.class, () -> FlatJson.nested(bad), bad);
        }
        StringBuilder array = new StringBuilder("{\"a\":[");
        for (int i = 0; i <= FormFields.MAX_FIELDS; i++) {
            array.append(i == 0 ? "" : ",").append(i);
        }
        assertEquals("an array has at most 256 elements", assertThrows(IllegalArgumentException.class,
                () -> FlatJson.nested(array.append("]}").toString())).getMessage());
    }

    private static Object nest(int arrays) {
        Object inner = List.of();
        for (int i = 0; i < arrays; i++) {
            inner = List.of(inner);
        }
        return inner;
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
