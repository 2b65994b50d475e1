package dev.otpengine.store;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seam's value types check what they are given and never print a tag. */
final class StoredCodeTest {

    private static final UUID ID = UUID.fromString("6f1c3f0e-8d5b-4c7a-9a43-2f0d1b7e5c19");
    private static final Recipient ANN = Recipient.ofPhone("+12025550162");
    private static final Instant AT = Instant.parse("2026-01-01T09:02:00Z");

    @Test
    void storedCode_copiesItsTag_andComparesWholeTags() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        StoredCode code = new StoredCode(ID, ID, ANN, tag, AT, 5);
        tag[0] = 1;

        assertTrue(code.matches(new byte[StoredCode.TAG_BYTES]), "the code kept its own copy");
        byte[] read = code.tag();
        read[1] = 1;
        assertTrue(code.matches(new byte[StoredCode.TAG_BYTES]), "tag() gives a copy");
        assertFalse(code.matches(new byte[StoredCode.TAG_BYTES + 1]));
        assertEquals("StoredCode[requestId=" + ID + ", widgetId=" + ID + ", recipient=Recipient[phone=+1******0162], "
                + "expiresAt=2026-01-01T09:02:00Z, maxAttempts=5]", code.toString());
    }

    @Test
    void storedCode_badArguments_areRefusedNamingThem() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        assertEquals("tag must be 16 bytes: 32", assertThrows(IllegalArgumentException.class,
                () -> new StoredCode(ID, ID, ANN, new byte[32], AT, 5)).getMessage());
        assertEquals("maxAttempts must be from 1 to 100: 0", assertThrows(IllegalArgumentException.class,
                () -> new StoredCode(ID, ID, ANN, tag, AT, 0)).getMessage());
        assertEquals("maxAttempts must be from 1 to 100: 101", assertThrows(IllegalArgumentException.class,
                () -> new StoredCode(ID, ID, ANN, tag, AT, 101)).getMessage());
        assertEquals("requestId", assertThrows(NullPointerException.class,
                () -> new StoredCode(null, ID, ANN, tag, AT, 5)).getMessage());
        assertEquals("widgetId", assertThrows(NullPointerException.class,
                () -> new StoredCode(ID, null, ANN, tag, AT, 5)).getMessage());
        assertEquals("recipient", assertThrows(NullPointerException.class,
                () -> new StoredCode(ID, ID, null, tag, AT, 5)).getMessage());
        assertEquals("tag", assertThrows(NullPointerException.class,
                () -> new StoredCode(ID, ID, ANN, null, AT, 5)).getMessage());
        assertEquals("expiresAt", assertThrows(NullPointerException.class,
                () -> new StoredCode(ID, ID, ANN, tag, null, 5)).getMessage());
        assertEquals("guessTag", assertThrows(NullPointerException.class,
                () -> new StoredCode(ID, ID, ANN, tag, AT, 5).matches(null)).getMessage());
    }

    @Test
    void guessOutcome_namesItsCodeExactlyWhenFound() {
        VerifyResult verified = new VerifyResult(VerifyResult.Status.VERIFIED, 3);
        assertEquals(ANN, new GuessOutcome(verified, ID, ANN).recipient());
        assertEquals("widgetId and recipient must be given exactly when the code was found: VERIFIED",
                assertThrows(IllegalArgumentException.class, () -> new GuessOutcome(verified, null, null)).getMessage());
        assertEquals("widgetId and recipient must be given exactly when the code was found: NOT_FOUND",
                assertThrows(IllegalArgumentException.class, () -> new GuessOutcome(
                        new VerifyResult(VerifyResult.Status.NOT_FOUND, 0), ID, ANN)).getMessage());
        assertEquals("result", assertThrows(NullPointerException.class, () -> new GuessOutcome(null, null, null))
                .getMessage());
    }
}
