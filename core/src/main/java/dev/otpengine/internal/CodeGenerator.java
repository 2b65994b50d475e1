package dev.otpengine.internal;

import dev.otpengine.CodeAlphabet;

import java.util.Arrays;
import java.util.Objects;

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
        String symbols = alphabet.symbols();
        int n = symbols.length();
        int accepted = 256 - 256 % n;
        char[] code = new char[length];
        byte[] buffer = new byte[length + 4];
        int next = buffer.length;
        for (int i = 0; i < length; ) {
            if (next == buffer.length) {
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
