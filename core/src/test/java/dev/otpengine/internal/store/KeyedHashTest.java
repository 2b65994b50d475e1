package dev.otpengine.internal.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** SipHash-2-4 against the reference vectors, and strings hashed as their UTF-16LE bytes. */
final class KeyedHashTest {

    /** The reference key: bytes 00 to 0f. */
    private static final KeyedHash REFERENCE = new KeyedHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    private static byte[] ascending(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void bytes_matchTheReferenceVectors() {
        assertEquals(0x726fdb47dd0e0e31L, REFERENCE.hash(ascending(0)));
        assertEquals(0x74f839c593dc67fdL, REFERENCE.hash(ascending(1)));
        assertEquals(0xa129ca6149be45e5L, REFERENCE.hash(ascending(15)), "the SipHash paper's own example");
    }

    @Property(tries = 500)
    void string_ofLatin1Chars_isHashedAsItsIso88591Bytes(@ForAll @CharRange(from = 0, to = 0xFF) String s) {
        assertEquals(REFERENCE.hash(s.getBytes(StandardCharsets.ISO_8859_1)), REFERENCE.hash(s));
    }

    @Property(tries = 500)
    void string_withAWiderChar_isHashedAsItsUtf16LeBytes_underTheSecondKey(@ForAll String head, @ForAll String tail) {
        String s = head + '\u20ac' + tail;
        KeyedHash second = new KeyedHash(~0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        assertEquals(second.hash(s.getBytes(StandardCharsets.UTF_16LE)), REFERENCE.hash(s));
    }

    @Test
    void latin1AndWideReadings_ofTheSameBytes_differ() {
        // "\u0100" is the bytes 00 01 as UTF-16LE, and so is the Latin-1 string "\u0000\u0001".
        assertNotEquals(REFERENCE.hash("\u0000\u0001"), REFERENCE.hash("\u0100"));
    }

    @Test
    void stringsWithEqualHashCodes_getDifferentKeyedHashes() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        KeyedHash keyed = new KeyedHash(new SecureRandom());
        assertNotEquals(keyed.hash("+1Aa"), keyed.hash("+1BB"));
        assertNotEquals(new HashedKey("Aa", keyed).hashCode(), new HashedKey("BB", keyed).hashCode());
    }

    @Test
    void twoInstances_drawTheirOwnKeys() {
        assertNotEquals(new KeyedHash(new SecureRandom()).hash("+79991234567"),
                new KeyedHash(new SecureRandom()).hash("+79991234567"));
    }
}
