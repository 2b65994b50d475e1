package dev.otpengine.internal;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Seals a code for an escalation step: AES-256-GCM under a key derived from the engine's secret (HMAC-SHA256 of a
 * fixed label, so the key differs from the one that tags codes), a fresh 96-bit nonce per seal, the request id as
 * associated data (a sealed code moved to another request does not open). Every engine with the same secret opens what
 * another sealed.
 *
 * <p><b>Thread-safety:</b> thread-safe: a cipher per call (escalations are rare next to sends).
 */
public final class CodeSealer {

    private static final String LABEL = "otpengine escalation seal v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final ThreadLocalSecureRandom random;

    /**
     * A sealer under a secret.
     *
     * @param secret the engine's secret
     * @param random where nonces come from
     */
    public CodeSealer(byte[] secret, ThreadLocalSecureRandom random) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] derived = mac.doFinal(LABEL.getBytes(StandardCharsets.US_ASCII));
            this.key = new SecretKeySpec(derived, "AES");
            Arrays.fill(derived, (byte) 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        this.random = random;
    }

    /**
     * Seals a code.
     *
     * @param requestId the code's request id
     * @param code the code
     * @return nonce and ciphertext with its tag
     */
    public byte[] seal(UUID requestId, String code) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes(requestId));
            byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /**
     * Opens a sealed code.
     *
     * @param requestId the request id it was sealed for
     * @param sealed what {@link #seal} made
     * @return the code
     * @throws IllegalArgumentException if it was not sealed under this secret for this request id, or was altered
     */
    public String open(UUID requestId, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("a sealed code is longer than its nonce");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(bytes(requestId));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the sealed code does not open under this engine's secret for request "
                    + requestId + ": was it sealed by an engine with another secret?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
