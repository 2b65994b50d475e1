package dev.otpengine.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.MacSpi;
import java.nio.ByteBuffer;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code's HMAC is the platform's {@code Mac}: a provider put first for HmacSHA256 (a FIPS or PKCS#11 one, say)
 * computes it, rather than a hand-made HMAC on SHA-256 states that would go around the provider.
 */
final class CodeHasherProviderTest {

    private static final String NAME = "otpengine-test-counting";
    static final AtomicInteger MACS = new AtomicInteger();

    @AfterEach
    void removeProvider() {
        Security.removeProvider(NAME);
    }

    @Test
    void hash_isComputedByThePreferredProvidersMac() throws Exception {
        Security.insertProviderAt(new CountingProvider(), 1);
        MACS.set(0);
        byte[] secret = new byte[32];
        UUID id = UUID.randomUUID();

        byte[] hash = new CodeHasher(secret).hash(id, "123456");

        assertTrue(MACS.get() > 0, "the preferred provider's Mac was never asked");
        Mac reference = Mac.getInstance("HmacSHA256", "SunJCE");
        reference.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        byte[] input = ByteBuffer.allocate(22).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).put("123456".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .array();
        assertArrayEquals(reference.doFinal(input), hash);
    }

    /** A provider of HmacSHA256 that counts what it computes and lets SunJCE compute it. */
    public static final class CountingProvider extends Provider {
        private static final long serialVersionUID = 1L;

        CountingProvider() {
            super(NAME, "1.0", "counts HmacSHA256 computations");
            put("Mac.HmacSHA256", CountingMac.class.getName());
        }
    }

    /** HmacSHA256 by SunJCE, counted. */
    public static final class CountingMac extends MacSpi {
        private final Mac delegate;

        public CountingMac() throws NoSuchAlgorithmException, java.security.NoSuchProviderException {
            delegate = Mac.getInstance("HmacSHA256", "SunJCE");
        }

        @Override
        protected int engineGetMacLength() {
            return delegate.getMacLength();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            delegate.init(key, params);
        }

        @Override
        protected void engineUpdate(byte input) {
            delegate.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            delegate.update(input, offset, len);
        }

        @Override
        protected byte[] engineDoFinal() {
            MACS.incrementAndGet();
            return delegate.doFinal();
        }

        @Override
        protected void engineReset() {
            delegate.reset();
        }
    }
}
