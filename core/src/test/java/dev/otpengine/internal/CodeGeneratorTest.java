package dev.otpengine.internal;

import dev.otpengine.CodeAlphabet;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class CodeGeneratorTest {

    /**
     * Draws one code per byte value b, from a source that gives b first and zeros after, and counts which
     * symbol each b became. Accepted values must spread evenly; rejected ones fall through to the next byte
     * (0, the first symbol). A generator with modulo bias would give the first 256 % n symbols one extra each.
     */
    private static Map<Character, Integer> firstSymbolPerByteValue(CodeAlphabet alphabet) {
        Map<Character, Integer> counts = new TreeMap<>();
        for (int b = 0; b < 256; b++) {
            int lead = b;
            CodeGenerator generator = new CodeGenerator(bytes -> {
                java.util.Arrays.fill(bytes, (byte) 0);
                bytes[0] = (byte) lead;
            });
            counts.merge(generator.generate(alphabet, 4).charAt(0), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void generate_digits_acceptsExactly250ByteValuesSpreadEvenly() {
        Map<Character, Integer> counts = firstSymbolPerByteValue(CodeAlphabet.DIGITS);

        Map<Character, Integer> expected = new TreeMap<>();
        for (char c : CodeAlphabet.DIGIT_SYMBOLS.toCharArray()) {
            expected.put(c, 25);
        }
        expected.put('0', 25 + 6); // the 6 rejected values (250..255) fell through to the filler 0
        assertEquals(expected, counts);
    }

    @Test
    void generate_alphanumeric_acceptsExactly248ByteValuesSpreadEvenly() {
        Map<Character, Integer> counts = firstSymbolPerByteValue(CodeAlphabet.ALPHANUMERIC);

        Map<Character, Integer> expected = new TreeMap<>();
        for (char c : CodeAlphabet.ALPHANUMERIC_SYMBOLS.toCharArray()) {
            expected.put(c, 8);
        }
        expected.put('2', 8 + 8); // 248..255 rejected
        assertEquals(expected, counts);
    }

    @Test
    void generate_rejectedBytes_areSkippedNotFolded() {
        byte[][] batches = {{(byte) 250, (byte) 255, 3, 7, 1, 2, (byte) 251, 9, 0, 0}};
        CodeGenerator generator = new CodeGenerator(bytes -> {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = i < batches[0].length ? batches[0][i] : 0;
            }
        });

        assertEquals("3712", generator.generate(CodeAlphabet.DIGITS, 4));
    }

    @Test
    void generate_withSecureRandom_hasLengthAndAlphabet() {
        CodeGenerator generator = new CodeGenerator(new SecureRandom()::nextBytes);

        for (int length = 4; length <= 10; length++) {
            for (CodeAlphabet alphabet : CodeAlphabet.values()) {
                String code = generator.generate(alphabet, length);
                assertEquals(length, code.length());
                assertTrue(code.chars().allMatch(c -> alphabet.symbols().indexOf(c) >= 0), code);
            }
        }
    }
}
