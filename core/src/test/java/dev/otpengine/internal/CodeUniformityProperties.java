package dev.otpengine.internal;

import dev.otpengine.CodeAlphabet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Codes drawn with SecureRandom are uniform at every position: a chi-square test per position, at a
 * significance of one in a million so that a correct generator practically never fails. A sample five times as
 * large makes plain {@code b % 10} (digits 0-5 drawn 26/256 of the time, 6-9 25/256) fail it every time.
 */
final class CodeUniformityProperties {

    private static final int SAMPLES = 200_000;
    private static final double Z_ONE_IN_A_MILLION = 4.753;

    @Property(tries = 6)
    void codes_areUniformPerPosition(@ForAll CodeAlphabet alphabet, @ForAll @IntRange(min = 4, max = 10) int length) {
        CodeGenerator generator = new CodeGenerator(new SecureRandom()::nextBytes);
        String symbols = alphabet.symbols();
        long[][] counts = new long[length][symbols.length()];
        for (int i = 0; i < SAMPLES; i++) {
            String code = generator.generate(alphabet, length);
            for (int p = 0; p < length; p++) {
                counts[p][symbols.indexOf(code.charAt(p))]++;
            }
        }
        double critical = chiSquareCritical(symbols.length() - 1);
        for (int p = 0; p < length; p++) {
            double chi = chiSquare(counts[p], (double) SAMPLES / symbols.length());
            int position = p;
            assertTrue(chi < critical, () -> "position " + position + " of " + alphabet + ": chi-square " + chi
                    + " >= " + critical);
        }
    }

    @Property(tries = 3)
    void chiSquare_detectsModuloBias(@ForAll @IntRange(min = 4, max = 6) int length) {
        // The same test against a generator that folds bytes with % 10 and no rejection must fail. At 200,000 draws
        // its chi-square (non-central, lambda about 73, 9 degrees of freedom) still falls under the critical value
        // about once in a hundred; at five times the draws, lambda is about 366 and it practically never does.
        int draws = 5 * SAMPLES;
        SecureRandom random = new SecureRandom();
        long[] counts = new long[10];
        for (int i = 0; i < draws; i++) {
            counts[(random.nextInt(256)) % 10]++;
        }
        assertTrue(chiSquare(counts, draws / 10.0) >= chiSquareCritical(9));
    }

    private static double chiSquare(long[] observed, double expected) {
        double sum = 0;
        for (long o : observed) {
            sum += (o - expected) * (o - expected) / expected;
        }
        return sum;
    }

    /** Wilson-Hilferty approximation of the chi-square quantile with {@code df} degrees of freedom. */
    private static double chiSquareCritical(int df) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + Z_ONE_IN_A_MILLION * Math.sqrt(a), 3);
    }
}
