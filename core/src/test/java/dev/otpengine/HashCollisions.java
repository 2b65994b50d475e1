package dev.otpengine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes digit strings with the same {@link String#hashCode()} as a given one, as an attacker would: a
 * meet-in-the-middle search over a 9-digit head and a 6-digit tail of 15 digits, since {@code hash(head + tail)} is
 * {@code hash(head) * 31^6 + hash(tail)}. Equal-length strings with equal hashes keep equal hashes behind any common
 * prefix and before any common suffix, so {@code "+" + digits} phones and {@code "u" + digits + "@example.com"}
 * emails collide too, and so do any keys built around them.
 */
final class HashCollisions {

    private static final int TAIL = 6;
    private static final int TAILS = 1_000_000;
    private static final int POW = pow31(TAIL);

    private HashCollisions() {
    }

    /**
     * Other 15-digit strings (no leading zero) with the same hash as {@code victim}.
     *
     * @param victim 15 digits
     * @param count how many to make
     * @return distinct strings, none equal to the victim
     */
    static List<String> collidingWith(String victim, int count) {
        if (victim.length() != 15) {
            throw new IllegalArgumentException("victim must be 15 digits: " + victim.length());
        }
        long[] tails = new long[TAILS];
        for (int b = 0; b < TAILS; b++) {
            tails[b] = (long) hashOfDigits(b, TAIL) << 32 | b;
        }
        Arrays.sort(tails);
        int target = victim.hashCode();
        SplittableRandom random = new SplittableRandom(42);
        List<String> found = new ArrayList<>(count);
        while (found.size() < count) {
            int head = 100_000_000 + random.nextInt(900_000_000);
            int need = target - hashOfDigits(head, 9) * POW;
            int at = Arrays.binarySearch(tails, (long) need << 32);
            at = at < 0 ? -at - 1 : at;
            for (; at < TAILS && (int) (tails[at] >> 32) == need; at++) {
                String candidate = String.format(java.util.Locale.ROOT, "%09d%06d", head, (int) tails[at]);
                if (!candidate.equals(victim) && !found.contains(candidate)) {
                    found.add(candidate);
                }
            }
        }
        for (String s : found) {
            if (s.hashCode() != target) {
                throw new AssertionError("not a collision: " + s);
            }
        }
        return found;
    }

    /** {@code String.format("%0<width>d", n).hashCode()}, without the string. */
    private static int hashOfDigits(int n, int width) {
        int h = 0;
        int div = pow10(width - 1);
        for (int i = 0; i < width; i++) {
            h = 31 * h + ('0' + n / div % 10);
            div /= 10;
        }
        return h;
    }

    private static int pow10(int e) {
        int p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }

    private static int pow31(int e) {
        int p = 1;
        for (int i = 0; i < e; i++) {
            p *= 31;
        }
        return p;
    }
}
