package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WhatsAppSignature}: {@code sha256=} and the hex HMAC-SHA256 of the body's bytes with the app secret. The
 * vector (secret {@code secret}, body {@code test}) is HMAC-SHA256 as any other implementation gives it (Python's
 * {@code hmac.new(b"secret", b"test", hashlib.sha256).hexdigest()}).
 */
final class WhatsAppSignatureTest {

    private static final String VECTOR = "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914";
    private static final byte[] BODY = "test".getBytes(StandardCharsets.UTF_8);

    private final WhatsAppSignature signature = new WhatsAppSignature("secret");

    @Test
    void sign_isSha256PrefixAndTheHexHmac() {
        assertEquals(VECTOR, signature.sign(BODY));
    }

    @Test
    void matches_theSignatureOfTheExactBytes_inEitherHexCase_andWithSpaceAround() {
        assertTrue(signature.matches(VECTOR, BODY));
        assertTrue(signature.matches("sha256=" + VECTOR.substring(7).toUpperCase(java.util.Locale.ROOT), BODY));
        assertTrue(signature.matches(" " + VECTOR + " ", BODY));
    }

    @Test
    void matches_anotherBodySecretPrefixOrLength_orNoSignature_isFalse() {
        assertFalse(signature.matches(VECTOR, "test ".getBytes(StandardCharsets.UTF_8)));
        assertFalse(new WhatsAppSignature("secreT").matches(VECTOR, BODY));
        assertFalse(signature.matches(VECTOR.substring(7), BODY), "no prefix");
        assertFalse(signature.matches("sha1=" + VECTOR.substring(7), BODY));
        assertFalse(signature.matches("SHA256=" + VECTOR.substring(7), BODY));
        assertFalse(signature.matches(VECTOR.substring(0, VECTOR.length() - 1), BODY), "one hex digit short");
        assertFalse(signature.matches(VECTOR + "0", BODY));
        assertFalse(signature.matches(VECTOR.substring(0, VECTOR.length() - 1) + "g", BODY), "not hex");
        assertFalse(signature.matches("sha256=", BODY));
        assertFalse(signature.matches("", BODY));
        assertFalse(signature.matches(null, BODY));
    }

    @Test
    void aBlankSecret_isRefused_andToStringHidesIt() {
        assertEquals("appSecret must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new WhatsAppSignature(" ")).getMessage());
        assertEquals("WhatsAppSignature[appSecret=***]", signature.toString());
    }
}
