package dev.otpengine.internal.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
    void string_isHashedAsItsUtf16LeBytes(@ForAll String s) {
        assertEquals(REFERENCE.hash(s.getBytes(StandardCharsets.UTF_16LE)), REFERENCE.hash(s));
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
