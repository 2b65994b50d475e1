package dev.otpengine.spring.boot;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Checks Meta's {@code X-Hub-Signature-256} on a WhatsApp webhook, as Meta documents it for every Graph API webhook
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started, "Event Notifications", validating
 * payloads; the WhatsApp Cloud API's own page, https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint,
 * points there): {@code sha256=} followed by the lower-case hex of the HMAC-SHA256 of the body, exactly the bytes
 * received, keyed by the app secret. Only that form is taken: the older {@code X-Hub-Signature} ({@code sha1=}) is
 * not, nor a signature without its prefix.
 *
 * <p><b>Thread-safety:</b> immutable; a new {@link Mac} per check (habit 8: never a shared one).
 */
final class WhatsAppSignature {

    /** The header Meta signs with: {@value}. */
    static final String HEADER = "X-Hub-Signature-256";

    /** What the header's value starts with: {@value}. */
    static final String PREFIX = "sha256=";

    private static final int DIGEST_HEX = 64;

    private final byte[] appSecret;

    /**
     * The check with an app's secret.
     *
     * @param appSecret the app secret ({@code whatsapp.appSecret}: App Dashboard, App settings, Basic)
     * @throws IllegalArgumentException if it is blank
     */
    WhatsAppSignature(String appSecret) {
        Objects.requireNonNull(appSecret, "appSecret");
        if (appSecret.isBlank()) {
            throw new IllegalArgumentException("appSecret must not be blank");
        }
        this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a header's value is Meta's signature of a body, compared in constant time.
     *
     * @param header the header's value; {@code null} never matches
     * @param body the body, as received
     * @return whether it matches
     */
    boolean matches(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + DIGEST_HEX) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(digest(body), given);
    }

    /**
     * The header Meta would send.
     *
     * @param body the body
     * @return {@code sha256=} and the hex HMAC-SHA256
     */
    String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(digest(body));
    }

    private byte[] digest(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "WhatsAppSignature[appSecret=***]";
    }
}
