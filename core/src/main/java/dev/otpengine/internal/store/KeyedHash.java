package dev.otpengine.internal.store;

import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein) under a random 128-bit key drawn per instance: a hash of attacker-chosen strings
 * (phones, emails, IPs) that the attacker cannot predict, so that keys cannot be made to collide on purpose. A string
 * is hashed without copying it: as its ISO-8859-1 bytes, eight chars to a 64-bit word, when every char fits a byte (as
 * every key of the engine's does), else as its UTF-16LE bytes under a second key, so the two readings never meet.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class KeyedHash {

    private final long k0;
    private final long k1;
    /** The key of strings with a char above U+00FF: the first key with its low word flipped. */
    private final long wideK0;

    KeyedHash(SecureRandom random) {
        this(random.nextLong(), random.nextLong());
    }

    KeyedHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
        this.wideK0 = ~k0;
    }

    /** SipHash-2-4 of a string: of its ISO-8859-1 bytes if every char fits one, else of its UTF-16LE bytes. */
    long hash(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                return hashWide(s);
            }
        }
        State st = new State(k0, k1);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            st.compress(s.charAt(i) | (long) s.charAt(i + 1) << 8 | (long) s.charAt(i + 2) << 16
                    | (long) s.charAt(i + 3) << 24 | (long) s.charAt(i + 4) << 32 | (long) s.charAt(i + 5) << 40
                    | (long) s.charAt(i + 6) << 48 | (long) s.charAt(i + 7) << 56);
        }
        long last = ((long) n & 0xFF) << 56;
        for (int shift = 0; i < n; i++, shift += 8) {
            last |= (long) s.charAt(i) << shift;
        }
        return st.finish(last);
    }

    /** SipHash-2-4, under the second key, of a string's UTF-16LE bytes. */
    private long hashWide(CharSequence s) {
        State st = new State(wideK0, k1);
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            st.compress(s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48);
        }
        long last = ((long) (2 * n) & 0xFF) << 56;
        for (int shift = 0; i < n; i++, shift += 16) {
            last |= (long) s.charAt(i) << shift;
        }
        return st.finish(last);
    }

    /** SipHash-2-4 of bytes, as the reference defines it; the tests check {@link #hash(CharSequence)} against it. */
    long hash(byte[] bytes) {
        State st = new State(k0, k1);
        int n = bytes.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long m = 0;
            for (int b = 7; b >= 0; b--) {
                m = m << 8 | (bytes[i + b] & 0xFF);
            }
            st.compress(m);
        }
        long last = ((long) n & 0xFF) << 56;
        for (int shift = 0; i < n; i++, shift += 8) {
            last |= (long) (bytes[i] & 0xFF) << shift;
        }
        return st.finish(last);
    }

    /** The four words of SipHash's state. */
    private static final class State {
        long v0;
        long v1;
        long v2;
        long v3;

        State(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        void compress(long m) {
            v3 ^= m;
            round();
            round();
            v0 ^= m;
        }

        long finish(long last) {
            compress(last);
            v2 ^= 0xFF;
            round();
            round();
            round();
            round();
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private void round() {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
    }
}
