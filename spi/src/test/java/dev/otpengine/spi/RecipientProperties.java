package dev.otpengine.spi;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RecipientProperties {

    @Provide
    Arbitrary<String> e164() {
        return Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(14)
                .flatMap(rest -> Arbitraries.integers().between(1, 9).map(first -> "+" + first + rest));
    }

    @Property
    void normalizePhone_ofAnyE164WithSeparators_givesItBack(@ForAll("e164") String phone, @ForAll @IntRange(max = 3) int style) {
        String typed;
        switch (style) {
            case 0:
                typed = phone;
                break;
            case 1:
                typed = phone.replaceAll("(\\d{3})", "$1 ");
                break;
            case 2:
                typed = phone.substring(0, 2) + " (" + phone.substring(2, 5) + ") " + phone.substring(5);
                break;
            default:
                typed = phone.replaceAll("(\\d{2})", "$1-");
        }

        assertEquals(phone, Recipient.normalizePhone(typed));
    }

    @Property
    void maskPhone_neverShowsMoreThanSixDigits(@ForAll("e164") String phone) {
        String masked = Recipient.maskPhone(phone);

        assertEquals(phone.length(), masked.length());
        assertTrue(masked.chars().filter(Character::isDigit).count() <= 5, masked);
        assertFalse(Recipient.ofPhone(phone).toString().contains(phone));
    }

    @Property
    void maskEmail_neverShowsTheLocalPartBeyondItsFirstCharacter(
            @ForAll("localParts") String local, @ForAll("domains") String domain) {
        String email = local + "@" + domain;

        String masked = Recipient.maskEmail(email);

        assertEquals(local.charAt(0) + "***@" + domain, masked);
        assertFalse(Recipient.ofEmail(email).toString().contains(email));
    }

    @Provide
    Arbitrary<String> localParts() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._+-").ofMinLength(2).ofMaxLength(20)
                .filter(s -> Character.isLetterOrDigit(s.charAt(0)) && Character.isLetterOrDigit(s.charAt(s.length() - 1))
                        && !s.contains(".."));
    }

    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .list().ofMinSize(2).ofMaxSize(4).map(labels -> String.join(".", labels))
                .filter(d -> d.substring(d.lastIndexOf('.') + 1).length() >= 2);
    }

    /**
     * The definition normalizePhone implements by hand: drop every bracketed trunk prefix {@code (0)}, strip
     * [\\s().-], then match \\+[1-9][0-9]{6,14}.
     */
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[\\s().-]");

    @Property(tries = 5000)
    void normalizePhone_agreesWithItsRegularExpressionDefinition(@ForAll("phoneish") String raw) {
        String stripped = SEPARATORS.matcher(raw.replace("(0)", "")).replaceAll("");
        boolean expected = E164.matcher(stripped).matches();
        String actual;
        try {
            actual = Recipient.normalizePhone(raw);
        } catch (IllegalArgumentException e) {
            actual = null;
        }
        assertEquals(expected ? stripped : null, actual, raw);
    }

    @Provide
    Arbitrary<String> phoneish() {
        return Arbitraries.strings().withChars("+0123456789 ().-\t\n\r\u000B\fx+1".toCharArray())
                .ofMinLength(0).ofMaxLength(22);
    }
}
