package dev.otpengine.internal;

import dev.otpengine.CodeAlphabet;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** Each symbol {@code each} times, and the first symbol {@code rejected} times more. */
    private static Map<Character, Integer> evenly(CodeAlphabet alphabet, int each, int rejected) {
        Map<Character, Integer> expected = new TreeMap<>();
        for (char c : alphabet.symbols().toCharArray()) {
            expected.put(c, each);
        }
        expected.merge(alphabet.symbols().charAt(0), rejected, Integer::sum);
        return expected;
    }

    @Test
    void generate_digits_acceptsExactly250ByteValuesSpreadEvenly() {
        // the 6 rejected values (250..255) fall through to the filler 0
        assertEquals(evenly(CodeAlphabet.DIGITS, 25, 6), firstSymbolPerByteValue(CodeAlphabet.DIGITS));
    }

    @Test
    void generate_alphanumeric_acceptsExactly248ByteValuesSpreadEvenly() {
        // 248..255 rejected
        assertEquals(evenly(CodeAlphabet.ALPHANUMERIC, 8, 8), firstSymbolPerByteValue(CodeAlphabet.ALPHANUMERIC));
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

    @Test
    void draw_takesTheRequestIdAndTheCodeFromOneCall_asAVersion4Uuid() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        CodeGenerator generator = new CodeGenerator(bytes -> {
            calls.incrementAndGet();
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i < 16 ? 0xFF : i - 16); // symbols 0, 1, 2, ... after the id
            }
        });

        CodeGenerator.Draw draw = generator.draw(dev.otpengine.CodeAlphabet.DIGITS, 6);

        assertEquals(1, calls.get());
        assertEquals("012345", draw.code());
        assertEquals(4, draw.requestId().version());
        assertEquals(2, draw.requestId().variant());
        assertEquals(java.util.UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"), draw.requestId());
    }

    @Test
    void threadLocalSecureRandom_givesEachThreadItsOwnGenerator_andFillsBytes() throws Exception {
        ThreadLocalSecureRandom random = new ThreadLocalSecureRandom();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        random.nextBytes(a);
        Thread other = new Thread(() -> random.nextBytes(b));
        other.start();
        other.join();

        assertFalse(java.util.Arrays.equals(a, new byte[32]));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void threadLocalSecureRandom_handsOutEachDrawnByteOnce_acrossBlocks() {
        ThreadLocalSecureRandom random = new ThreadLocalSecureRandom();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 5 * ThreadLocalSecureRandom.BLOCK / 28; i++) { // 28 bytes: a request id and a code's
            byte[] draw = new byte[28];
            random.nextBytes(draw);
            assertTrue(seen.add(java.util.Arrays.toString(draw)), "draw " + i + " repeated an earlier one");
        }
        byte[] large = new byte[ThreadLocalSecureRandom.BLOCK + 1];
        random.nextBytes(large);
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(large, 16), new byte[16]));
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(large, large.length - 16, large.length), new byte[16]));
    }
}
