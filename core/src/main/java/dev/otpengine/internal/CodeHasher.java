package dev.otpengine.internal;

import java.security.GeneralSecurityException;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a code under the engine's secret, bound to its request id: {@code HMAC(secret, requestId || code)}.
 * Only this hash is stored, so a heap dump yields no codes, and a hash is worthless for another request.
 * One {@link Mac} per thread: a shared, synchronized one would serialize every send and verify.
 */
public final class CodeHasher {

    /** The JCA name of the MAC: {@value}. */
    public static final String ALGORITHM = "HmacSHA256";
    /** Shortest secret accepted, in bytes: {@value}. */
    public static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /**
     * A hasher under a secret.
     *
     * @param secret at least {@value #MIN_SECRET_LENGTH} bytes; copied
     * @throws IllegalStateException if the JDK has no HmacSHA256
     */
    public CodeHasher(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
        newMac(); // fails here, at build time, rather than on the first send
    }

    /**
     * Hashes one code.
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
        return macs.get().doFinal(input);
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        }
    }
}
