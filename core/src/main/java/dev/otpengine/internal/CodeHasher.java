package dev.otpengine.internal;

import dev.otpengine.store.StoredCode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * HMAC-SHA256 of a code under the engine's secret, bound to its request id: {@code HMAC(secret, requestId || code)}.
 * Only this hash is stored, so a heap dump yields no codes, and a hash is worthless for another request.
 * Computed from SHA-256 states that have absorbed the padded key, cloned per hash (RFC 2104's own suggestion),
 * with one copy of those states per thread: nothing shared, nothing synchronized.
 */
public final class CodeHasher {

    /** The JCA name of the MAC: {@value}. */
    public static final String ALGORITHM = "HmacSHA256";
    /** Shortest secret accepted, in bytes: {@value}. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final int BLOCK = 64;

    private final ThreadLocal<Pads> pads;

    /**
     * A hasher under a secret.
     *
     * @param secret at least {@value #MIN_SECRET_LENGTH} bytes; copied
     * @throws IllegalStateException if the JDK has no SHA-256
     */
    public CodeHasher(byte[] secret) {
        byte[] key = secret.length > BLOCK ? sha256().digest(secret) : secret.clone();
        MessageDigest inner = sha256();
        MessageDigest outer = sha256();
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        inner.update(ipad);
        outer.update(opad);
        Arrays.fill(key, (byte) 0);
        Arrays.fill(ipad, (byte) 0);
        Arrays.fill(opad, (byte) 0);
        // Each thread clones the keyed states once, then per hash clones its own: one block less per digest than
        // Mac, which absorbs the padded key again after every doFinal.
        this.pads = ThreadLocal.withInitial(() -> new Pads(copy(inner), copy(outer)));
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
        Pads p = pads.get();
        MessageDigest inner = copy(p.inner);
        inner.update(input);
        MessageDigest outer = copy(p.outer);
        outer.update(inner.digest());
        return outer.digest();
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

    /** The states of SHA-256 after the inner and the outer padded key, for one thread. */
    private record Pads(MessageDigest inner, MessageDigest outer) {
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JDK's SHA-256 cannot be cloned", e);
        }
    }
}
