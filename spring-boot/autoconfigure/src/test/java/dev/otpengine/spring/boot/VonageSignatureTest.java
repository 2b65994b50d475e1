package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link VonageSignature} against signatures computed here, on their own, from the algorithm in Vonage's "Signing
 * Messages" guide (https://developer.vonage.com/en/getting-started/concepts/signing-messages): sorted
 * {@code &name=value} pairs with {@code &} and {@code =} in values made {@code _}, then MD5 of that and the secret
 * ({@code md5hash}) or an HMAC keyed by the secret.
 */
final class VonageSignatureTest {

    private static final String SECRET = "a signature secret";
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A receipt as Vonage sends it, signed fields included, {@code sig} not yet. */
    private static Map<String, String> receipt(long timestamp) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("msisdn", "447700900000");
        p.put("to", "Acme");
        p.put("network-code", "23410");
        p.put("messageId", "0A0000001234ABCD");
        p.put("price", "0.03330000");
        p.put("status", "delivered");
        p.put("scts", "2612071000");
        p.put("err-code", "0");
        p.put("client-ref", "5f0c8a52-1b6e-4d7a-9c3f-2e8b7a6d5c4b");
        p.put("message-timestamp", "2026-12-07 10:00:00");
        p.put("timestamp", Long.toString(timestamp));
        p.put("nonce", "6b6f2a4e-0f3c-4d4f-a1a9-8c2d2c1f0e11");
        return p;
    }

    /** The string Vonage signs for {@link #receipt}, written out by hand in sorted order. */
    private static String signedString(long timestamp) {
        return "&client-ref=5f0c8a52-1b6e-4d7a-9c3f-2e8b7a6d5c4b&err-code=0&message-timestamp=2026-12-07 10:00:00"
                + "&messageId=0A0000001234ABCD&msisdn=447700900000&network-code=23410"
                + "&nonce=6b6f2a4e-0f3c-4d4f-a1a9-8c2d2c1f0e11&price=0.03330000&scts=2612071000&status=delivered"
                + "&timestamp=" + timestamp + "&to=Acme";
    }

    private static String independently(VonageSignature.Method method, String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        switch (method) {
            case MD5HASH:
                return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                        .digest((data + SECRET).getBytes(StandardCharsets.UTF_8)));
            default:
                String algorithm = Map.of(VonageSignature.Method.MD5, "HmacMD5", VonageSignature.Method.SHA1,
                        "HmacSHA1", VonageSignature.Method.SHA256, "HmacSHA256", VonageSignature.Method.SHA512,
                        "HmacSHA512").get(method);
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(key, algorithm));
                // Vonage's HMACs come upper-case
                return HexFormat.of().formatHex(mac.doFinal(bytes)).toUpperCase(Locale.ROOT);
        }
    }

    private static Map<String, String> signed(VonageSignature.Method method, long timestamp) throws Exception {
        Map<String, String> p = receipt(timestamp);
        p.put("sig", independently(method, signedString(timestamp)));
        return p;
    }

    @ParameterizedTest
    @EnumSource(VonageSignature.Method.class)
    void eachMethod_acceptsAReceiptSignedAsDocumented(VonageSignature.Method method) throws Exception {
        VonageSignature check = new VonageSignature(SECRET, method, CLOCK);
        assertEquals(VonageSignature.Verdict.VALID, check.check(signed(method, NOW.getEpochSecond())));
    }

    @ParameterizedTest
    @EnumSource(VonageSignature.Method.class)
    void eachMethod_refusesAForgedSig_aChangedField_andAnotherMethodsSig(VonageSignature.Method method)
            throws Exception {
        VonageSignature check = new VonageSignature(SECRET, method, CLOCK);
        Map<String, String> forged = signed(method, NOW.getEpochSecond());
        forged.put("sig", forged.get("sig").replace(forged.get("sig").charAt(3),
                forged.get("sig").charAt(3) == 'A' ? 'B' : 'A'));
        assertEquals(VonageSignature.Verdict.FORGED, check.check(forged));

        Map<String, String> changed = signed(method, NOW.getEpochSecond());
        changed.put("status", "failed");
        assertEquals(VonageSignature.Verdict.FORGED, check.check(changed));

        VonageSignature.Method other = method == VonageSignature.Method.SHA256 ? VonageSignature.Method.SHA512
                : VonageSignature.Method.SHA256;
        assertEquals(VonageSignature.Verdict.FORGED, check.check(signed(other, NOW.getEpochSecond())));
        assertEquals(VonageSignature.Verdict.FORGED, new VonageSignature("another secret", method, CLOCK)
                .check(signed(method, NOW.getEpochSecond())));
    }

    @Test
    void aTimestampMoreThanFiveMinutesAway_isStale_eitherWay() throws Exception {
        VonageSignature check = new VonageSignature(SECRET, VonageSignature.Method.SHA256, CLOCK);
        long now = NOW.getEpochSecond();
        assertEquals(VonageSignature.Verdict.VALID, check.check(signed(VonageSignature.Method.SHA256, now - 300)));
        assertEquals(VonageSignature.Verdict.VALID, check.check(signed(VonageSignature.Method.SHA256, now + 300)));
        assertEquals(VonageSignature.Verdict.STALE, check.check(signed(VonageSignature.Method.SHA256, now - 301)));
        assertEquals(VonageSignature.Verdict.STALE, check.check(signed(VonageSignature.Method.SHA256, now + 301)));
    }

    @Test
    void noSig_orNoTimestamp_isUnsigned() throws Exception {
        VonageSignature check = new VonageSignature(SECRET, VonageSignature.Method.MD5HASH, CLOCK);
        assertEquals(VonageSignature.Verdict.UNSIGNED, check.check(receipt(NOW.getEpochSecond())));
        Map<String, String> noTimestamp = signed(VonageSignature.Method.MD5HASH, NOW.getEpochSecond());
        noTimestamp.remove("timestamp");
        assertEquals(VonageSignature.Verdict.UNSIGNED, check.check(noTimestamp));
        Map<String, String> blank = signed(VonageSignature.Method.MD5HASH, NOW.getEpochSecond());
        blank.put("sig", " ");
        assertEquals(VonageSignature.Verdict.UNSIGNED, check.check(blank));
    }

    @Test
    void ampersandsAndEqualsInValues_areSignedAsUnderscores() throws Exception {
        VonageSignature check = new VonageSignature(SECRET, VonageSignature.Method.SHA1, CLOCK);
        long now = NOW.getEpochSecond();
        Map<String, String> p = new LinkedHashMap<>(Map.of("messageId", "X1", "status", "delivered",
                "to", "A&B=C", "timestamp", Long.toString(now)));
        p.put("sig", independently(VonageSignature.Method.SHA1, "&messageId=X1&status=delivered&timestamp=" + now
                + "&to=A_B_C"));
        assertEquals(VonageSignature.Verdict.VALID, check.check(p));
    }

    @Test
    void anEmptyValue_signedOrLeftOut_isAccepted_asVonagesSdksDisagree() throws Exception {
        VonageSignature check = new VonageSignature(SECRET, VonageSignature.Method.MD5HASH, CLOCK);
        long now = NOW.getEpochSecond();
        Map<String, String> p = new LinkedHashMap<>(Map.of("messageId", "X1", "status", "delivered",
                "client-ref", "", "timestamp", Long.toString(now)));
        String kept = "&client-ref=&messageId=X1&status=delivered&timestamp=" + now;
        String leftOut = "&messageId=X1&status=delivered&timestamp=" + now;
        p.put("sig", independently(VonageSignature.Method.MD5HASH, kept));
        assertEquals(VonageSignature.Verdict.VALID, check.check(p));
        p.put("sig", independently(VonageSignature.Method.MD5HASH, leftOut));
        assertEquals(VonageSignature.Verdict.VALID, check.check(p));
    }

    @Test
    void methods_areNamedAsVonagesSdksNameThem() {
        assertEquals(VonageSignature.Method.MD5HASH, VonageSignature.Method.named("md5hash"));
        assertEquals(VonageSignature.Method.SHA512, VonageSignature.Method.named(" SHA512 "));
        assertEquals("signature method must be one of md5hash, md5, sha1, sha256, sha512: hmac-sha256",
                assertThrows(IllegalArgumentException.class, () -> VonageSignature.Method.named("hmac-sha256"))
                        .getMessage());
        assertEquals("VonageSignature[method=sha256, secret=***]",
                new VonageSignature(SECRET, VonageSignature.Method.SHA256, CLOCK).toString());
    }
}
