package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TwilioSignature} against Twilio's worked example in its "Webhooks security" guide
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security): auth token {@code 12345}, the URL
 * {@code https://mycompany.com/myapp.php?foo=1&bar=2} and the POST parameters {@code CallSid=CA1234567890ABCDE},
 * {@code Caller=+12349013030}, {@code Digits=1234}, {@code From=+12349013030}, {@code To=+18005551212}, which the
 * guide signs as {@code 0/KCTR6DLpKmkAf8muzZqo1nDgQ=}.
 */
final class TwilioSignatureTest {

    private static final String TOKEN = "12345";
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String DOCUMENTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    /** The guide's parameters as a form body, in the guide's (sorted) order; {@code +} percent-encoded. */
    private static final String BODY = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234"
            + "&From=%2B12349013030&To=%2B18005551212";

    private final TwilioSignature signature = new TwilioSignature(TOKEN);

    /** The documented algorithm, written out here on its own: URL, then each sorted name and value, HMAC-SHA1. */
    private static String independently(String token, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void documentedExample_signsAsTwilioDocuments_andMatches() throws Exception {
        String data = URL + "CallSidCA1234567890ABCDE" + "Caller+12349013030" + "Digits1234" + "From+12349013030"
                + "To+18005551212";
        assertEquals(DOCUMENTED, independently(TOKEN, data), "the guide's own figure, computed here with javax.crypto");
        FormFields form = FormFields.parse(BODY);
        assertEquals(DOCUMENTED, signature.sign(URL, form.sorted()));
        assertTrue(signature.matches(DOCUMENTED, URL, form));
    }

    @Test
    void reorderedParameters_stillMatch() {
        FormFields reordered = FormFields.parse("To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE"
                + "&From=%2B12349013030&Caller=%2B12349013030");
        assertTrue(signature.matches(DOCUMENTED, URL, reordered));
    }

    @Test
    void forgedSignature_aChangedValue_anotherUrl_orAnotherToken_doNotMatch() {
        FormFields form = FormFields.parse(BODY);
        assertFalse(signature.matches("1/KCTR6DLpKmkAf8muzZqo1nDgQ=", URL, form), "one character changed");
        assertFalse(signature.matches(DOCUMENTED.substring(0, DOCUMENTED.length() - 1), URL, form), "one short");
        assertFalse(signature.matches(DOCUMENTED, URL, FormFields.parse(BODY.replace("Digits=1234", "Digits=9999"))));
        assertFalse(signature.matches(DOCUMENTED, URL, FormFields.parse(BODY + "&Extra=1")), "a field added");
        assertFalse(signature.matches(DOCUMENTED, "https://attacker.example/myapp.php?foo=1&bar=2", form));
        assertFalse(signature.matches(DOCUMENTED, "https://mycompany.com/myapp.php", form), "the query is signed");
        assertFalse(new TwilioSignature("54321").matches(DOCUMENTED, URL, form));
    }

    @Test
    void missingOrEmptySignature_doesNotMatch() {
        FormFields form = FormFields.parse(BODY);
        assertFalse(signature.matches(null, URL, form));
        assertFalse(signature.matches("", URL, form));
    }

    @Test
    void aBlankToken_isRefused_andNeverPrinted() {
        assertEquals("authToken must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new TwilioSignature(" ")).getMessage());
        assertEquals("TwilioSignature[authToken=***]", signature.toString());
    }
}
