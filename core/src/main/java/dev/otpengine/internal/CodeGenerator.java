package dev.otpengine.internal;

import dev.otpengine.CodeAlphabet;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Draws codes uniformly over an alphabet by rejection sampling: a random byte {@code b} is used only when
 * {@code b < 256 - 256 % n} for an alphabet of {@code n} symbols, so each symbol is backed by exactly the
 * same number of byte values and {@code b % n} carries no modulo bias.
 *
 * <p>Thread-safe when its {@link RandomBytes} is (as {@link java.security.SecureRandom} is).
 */
public final class CodeGenerator {

    /** A source of random bytes; in production {@link java.security.SecureRandom#nextBytes}. */
    @FunctionalInterface
    public interface RandomBytes {
        /**
         * Fills the array with random bytes.
         *
         * @param bytes the array to fill
         */
        void nextBytes(byte[] bytes);
    }

    private final RandomBytes random;

    /**
     * A generator over a random source.
     *
     * @param random where the bytes come from
     */
    public CodeGenerator(RandomBytes random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Draws one code.
     *
     * @param alphabet the symbols
     * @param length how many symbols
     * @return the code
     */
    public String generate(CodeAlphabet alphabet, int length) {
        return generate(alphabet, length, new byte[length + 4], Integer.MAX_VALUE);
    }

    /**
     * Draws one code and a request id with one call to the random source, which for a {@code SecureRandom}
     * costs about as much as two calls' worth of bytes: the first 16 bytes become a version 4 UUID, the rest are
     * the first candidates for the code's symbols.
     *
     * @param alphabet the symbols
     * @param length how many symbols
     * @return the request id and the code
     */
    public Draw draw(CodeAlphabet alphabet, int length) {
        byte[] buffer = new byte[16 + length + 6];
        random.nextBytes(buffer);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (buffer[i] & 0xFF);
            low = low << 8 | (buffer[8 + i] & 0xFF);
        }
        high = (high & ~0xF000L) | 0x4000L;                              // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;   // IETF variant
        return new Draw(new UUID(high, low), generate(alphabet, length, buffer, 16));
    }

    /**
     * A request id and a code, drawn together.
     *
     * @param requestId a random version 4 UUID
     * @param code the code
     */
    public record Draw(UUID requestId, String code) {
    }

    /** Draws from {@code buffer} starting at {@code next}, refilling all of it when used up. */
    private String generate(CodeAlphabet alphabet, int length, byte[] buffer, int next) {
        String symbols = alphabet.symbols();
        int n = symbols.length();
        int accepted = 256 - 256 % n;
        char[] code = new char[length];
        for (int i = 0; i < length; ) {
            if (next >= buffer.length) {
                random.nextBytes(buffer);
                next = 0;
            }
            int b = buffer[next++] & 0xFF;
            if (b < accepted) {
                code[i++] = symbols.charAt(b % n);
            }
        }
        Arrays.fill(buffer, (byte) 0);
        return new String(code);
    }
}
