package dev.otpengine.spring.boot;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks Twilio's {@code X-Twilio-Signature}, as Twilio's "Webhooks security" guide documents it
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security, "Validating signatures from Twilio"): take the full
 * URL Twilio called, query string included and still percent-encoded as it was given to Twilio; for a POST, sort the
 * body's parameters by name (case-sensitive) and append each name and then its value, with no delimiters; sign that
 * string with HMAC-SHA1 keyed by the account's auth token (UTF-8), and Base64-encode the digest. The guide's worked
 * example (token {@code 12345}, {@code https://mycompany.com/myapp.php?foo=1&bar=2} and five call parameters, giving
 * {@code 0/KCTR6DLpKmkAf8muzZqo1nDgQ=}) is a test vector in {@code TwilioSignatureTest}.
 *
 * <p>Twilio's JSON-bodied webhooks ({@code bodySHA256} in the query) are not status callbacks and are not accepted.
 *
 * <p><b>Thread-safety:</b> immutable; a new {@link Mac} per check (habit 8: never a shared one).
 */
final class TwilioSignature {

    /** The header Twilio signs with: {@value}. */
    static final String HEADER = "X-Twilio-Signature";

    private final byte[] authToken;

    /**
     * The check with an account's auth token.
     *
     * @param authToken the auth token ({@code sms.twilio.authToken})
     * @throws IllegalArgumentException if it is blank
     */
    TwilioSignature(String authToken) {
        Objects.requireNonNull(authToken, "authToken");
        if (authToken.isBlank()) {
            throw new IllegalArgumentException("authToken must not be blank");
        }
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a signature is Twilio's for a URL and a form, compared in constant time.
     *
     * @param signature the header's value; {@code null} never matches
     * @param url the URL Twilio called, from configuration
     * @param form the body's fields
     * @return whether it matches
     */
    boolean matches(String signature, String url, FormFields form) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] expected = sign(url, form.sorted()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The signature Twilio would send.
     *
     * @param url the URL
     * @param sortedFields the fields, sorted by name
     * @return Base64 of the HMAC-SHA1
     */
    String sign(String url, List<Map.Entry<String, String>> sortedFields) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, String> field : sortedFields) {
            data.append(field.getKey()).append(field.getValue());
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TwilioSignature[authToken=***]";
    }
}
