package dev.otpengine.internal;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

final class CodeHasherTest {

    private static final byte[] SECRET = new byte[32];
    private static final UUID ID = UUID.fromString("d385ab22-0f51-4b97-9ecd-b8ff3fd4fcb6");

    @Test
    void hash_isHmacSha256OfRequestIdThenCode() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        ByteBuffer input = ByteBuffer.allocate(22).putLong(ID.getMostSignificantBits())
                .putLong(ID.getLeastSignificantBits()).put("123456".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertArrayEquals(mac.doFinal(input.array()), new CodeHasher(SECRET).hash(ID, "123456"));
    }

    @Test
    void hash_isBoundToTheRequestId() {
        CodeHasher hasher = new CodeHasher(SECRET);

        assertFalse(java.util.Arrays.equals(hasher.hash(ID, "123456"), hasher.hash(UUID.randomUUID(), "123456")));
    }

    @Test
    void hash_dependsOnTheSecret() {
        byte[] other = new byte[32];
        other[31] = 1;

        assertFalse(java.util.Arrays.equals(new CodeHasher(SECRET).hash(ID, "123456"), new CodeHasher(other).hash(ID, "123456")));
    }

    @Test
    void hash_fromManyThreads_agrees() throws Exception {
        CodeHasher hasher = new CodeHasher(SECRET);
        byte[] expected = hasher.hash(ID, "ABC123");
        Thread[] threads = new Thread[8];
        boolean[] same = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                boolean ok = true;
                for (int i = 0; i < 10_000; i++) {
                    ok &= java.util.Arrays.equals(expected, hasher.hash(ID, "ABC123"));
                }
                same[index] = ok;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean ok : same) {
            assertEquals(true, ok);
        }
    }

    @Test
    void hash_equalsJavaxCryptoMac_forSecretsShorterAndLongerThanABlock() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int length : new int[] {32, 63, 64, 65, 100, 200}) {
            byte[] secret = new byte[length];
            random.nextBytes(secret);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            CodeHasher hasher = new CodeHasher(secret);
            for (String code : new String[] {"0000", "123456", "ABCDEFGH23"}) {
                UUID id = new UUID(random.nextLong(), random.nextLong());
                ByteBuffer input = ByteBuffer.allocate(16 + code.length()).putLong(id.getMostSignificantBits())
                        .putLong(id.getLeastSignificantBits()).put(code.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertArrayEquals(mac.doFinal(input.array()), hasher.hash(id, code), () -> length + " bytes, " + code);
            }
        }
    }
}
