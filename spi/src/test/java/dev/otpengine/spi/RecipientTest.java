package dev.otpengine.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class RecipientTest {

    @Test
    void normalizePhone_removesSeparators() {
        assertEquals("+79991234567", Recipient.normalizePhone("+7 (999) 123-45-67"));
        assertEquals("+12025550162", Recipient.normalizePhone("+1.202.555.0162"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "79991234567", "+0991234567", "+123456", "+1234567890123456", "+7999123456a", "++79991234567",
            "+٧٩٩٩١٢٣٤٥٦٧"})
    void normalizePhone_notE164_isRefusedWithoutEchoingTheValue(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipient.normalizePhone(raw));

        assertEquals("phone must be in E.164 format, a + and 7 to 15 digits such as +12025550162", e.getMessage());
    }

    @Test
    void normalizeEmail_trimsAndLowercases() {
        assertEquals("ann.smith+otp@mail.example.com", Recipient.normalizeEmail(" Ann.Smith+OTP@Mail.Example.COM "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ann", "ann@", "@example.com", "ann@localhost", "ann@example", "ann@@example.com",
            "an n@example.com", "ann.@example.com", ".ann@example.com", "a..b@example.com", "ann@-example.com",
            "ann@example.c", "ann@example..com", "ann@exa_mple.com", "ann\r\n@example.com", "анна@example.com"})
    void normalizeEmail_malformed_isRefusedWithoutEchoingTheValue(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipient.normalizeEmail(raw));

        assertEquals("email must be an address such as ann@example.com", e.getMessage());
    }

    @Test
    void normalizeEmail_tooLong_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Recipient.normalizeEmail("a".repeat(65) + "@example.com"));
        assertThrows(IllegalArgumentException.class,
                () -> Recipient.normalizeEmail("a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "."
                        + "e".repeat(60) + ".com")); // 259 characters, over the 254 SMTP allows
    }

    @Test
    void masks_showOnlyWhatTheDesignAllows() {
        assertEquals("+7******4567", Recipient.maskPhone("+79991234567"));
        assertEquals("a***@example.com", Recipient.maskEmail("ann@example.com"));
        assertEquals("*****", Recipient.maskPhone("12345"));
        assertEquals("***", Recipient.maskEmail("no-at-sign"));
        assertEquals("null", Recipient.maskPhone(null));
        assertEquals("null", Recipient.maskEmail(null));
        assertEquals("***", Recipient.masked("telegram", "@ann"));
        assertEquals("@***h", Recipient.masked("telegram", "@ann_smith"));
    }

    @Test
    void builder_collectsAddressesOfEveryKind() {
        Recipient r = Recipient.builder().email("ann@example.com").address("telegram", " @ann_smith ").phone("+79991234567").build();

        assertEquals(Optional.of("+79991234567"), r.phone());
        assertEquals(Optional.of("ann@example.com"), r.address(Recipient.EMAIL));
        assertEquals(Optional.of("@ann_smith"), r.address("telegram"));
        assertEquals(Optional.empty(), r.address("viber"));
        assertEquals(Map.of("phone", "+79991234567", "email", "ann@example.com", "telegram", "@ann_smith"), r.addresses());
        assertEquals("Recipient[phone=+7******4567, email=a***@example.com, telegram=@***h]", r.toString());
    }

    @Test
    void builder_badInput_isRefusedClearly() {
        assertEquals("a recipient needs at least one address: set phone, email or address(kind, value)",
                assertThrows(IllegalStateException.class, () -> Recipient.builder().build()).getMessage());
        assertEquals("address kind must be lowercase letters, digits, - or _, starting with a letter, at most 32",
                assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("Telegram", "x")).getMessage());
        assertEquals("address telegram must be 1 to 256 characters without control characters or unpaired surrogates",
                assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("telegram", " ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("telegram", "a\u0000b"));
        // not well-formed UTF-16: as UTF-8 bytes (Redis keys) it would be "@bob?", another user's address
        assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("telegram", "@bob\uD800"));
        assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("telegram", "\uDC00@bob"));
        assertThrows(IllegalArgumentException.class, () -> Recipient.builder().address("telegram", "@bob\uDBFF\uDBFF"));
        assertEquals("@bob\uD83D\uDE00", Recipient.builder().address("telegram", "@bob\uD83D\uDE00").build()
                .address("telegram").orElseThrow(), "a pair is a character");
        assertEquals("phone", assertThrows(NullPointerException.class, () -> Recipient.ofPhone(null)).getMessage());
        assertEquals("kind", assertThrows(NullPointerException.class, () -> Recipient.builder().address(null, "x")).getMessage());
    }

    @Test
    void equality_isByAddresses() {
        assertEquals(Recipient.ofEmail("Ann@Example.com"), Recipient.ofEmail("ann@example.com"));
        assertEquals(Recipient.ofEmail("ann@example.com").hashCode(), Recipient.ofEmail("ANN@example.com").hashCode());
        assertNotEquals(Recipient.ofEmail("ann@example.com"), Recipient.ofPhone("+79991234567"));
    }
}
