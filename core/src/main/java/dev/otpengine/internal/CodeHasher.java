package dev.otpengine.internal;

import dev.otpengine.store.StoredCode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.UUID;

/**
 * HMAC-SHA256 of a code under the engine's secret, bound to its request id: {@code HMAC(secret, requestId || code)},
 * computed by the JDK's own {@link Mac} (or whatever provider the platform puts first for {@value #ALGORITHM}: a FIPS
 * or PKCS#11 provider serves it as it is). Only this hash is stored, so a store never holds a code, and a hash is
 * worthless for another request.
 *
 * <p><b>Thread-safety:</b> thread-safe: each thread keys a {@link Mac} of its own once, and reuses it.
 */
public final class CodeHasher {

    /** The JCA name of the MAC: {@value}. */
    public static final String ALGORITHM = "HmacSHA256";
    /** Shortest secret accepted, in bytes: {@value}. */
    public static final int MIN_SECRET_LENGTH = 32;

    private final ThreadLocal<Mac> macs;

    /**
     * A hasher under a secret.
     *
     * @param secret at least {@value #MIN_SECRET_LENGTH} bytes; copied
     * @throws IllegalStateException if the platform has no {@value #ALGORITHM}
     */
    public CodeHasher(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, ALGORITHM);
        keyed(key); // fails now, at build(), rather than at the first send
        this.macs = ThreadLocal.withInitial(() -> keyed(key));
    }

    private static Mac keyed(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available on this platform", e);
        }
    }

    /**
     * Hashes one code: HMAC-SHA256 (RFC 2104) under the secret of {@code requestId || code}.
     *
     * @param requestId the request the code belongs to
     * @param code the code, ASCII letters and digits
     * @return the 32-byte hash
     */
    public byte[] hash(UUID requestId, String code) {
        byte[] input = new byte[16 + code.length()];
        putLong(input, 0, requestId.getMostSignificantBits());
        putLong(input, 8, requestId.getLeastSignificantBits());
        for (int i = 0; i < code.length(); i++) {
            input[16 + i] = (byte) code.charAt(i);
        }
        return macs.get().doFinal(input); // doFinal leaves the Mac keyed and reset for the next hash
    }

    /**
     * The tag a store keeps of a code: the first {@link StoredCode#TAG_BYTES} bytes of {@link #hash}.
     *
     * @param requestId the request the code belongs to
     * @param code the code, ASCII letters and digits
     * @return the tag
     */
    public byte[] tag(UUID requestId, String code) {
        return Arrays.copyOf(hash(requestId, code), StoredCode.TAG_BYTES);
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
