package dev.otpengine.spring.boot;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks the {@code sig} of a signed Vonage SMS API webhook (a delivery receipt), as Vonage's "Signing Messages" guide
 * documents it (https://developer.vonage.com/en/getting-started/concepts/signing-messages, "Manually generate a
 * signature"): every parameter but {@code sig}, sorted by name; in each name and value, {@code &} and {@code =}
 * replaced by {@code _}; joined as {@code &name=value&name=value}; then, with the dashboard's signature method,
 * either {@code md5hash} (the default: MD5 of that string followed directly by the signature secret) or an HMAC of
 * it keyed by the secret ({@code md5}, {@code sha1}, {@code sha256}, {@code sha512}: HMAC-MD5, -SHA1, -SHA256,
 * -SHA512); hex, compared without regard to case (Vonage's {@code md5hash} is lower-case, its HMACs upper-case).
 * The signed {@code timestamp} (Unix seconds) must be within {@link #MAX_SKEW} of this server's clock either way,
 * as Vonage's own SDK checks ({@code RequestSigning.MAX_ALLOWABLE_TIME_DELTA}); the signed {@code nonce} is only
 * signed, not remembered.
 *
 * <p>Vonage's SDKs disagree on parameters with an empty value: the Java SDK leaves them out of the signed string, the
 * Node and PHP SDKs keep them. A receipt signed either way is accepted; both need the secret.
 *
 * <p><b>Thread-safety:</b> immutable; a new {@link Mac} or {@link MessageDigest} per check.
 */
final class VonageSignature {

    /** How far a signed timestamp may be from this server's clock, either way. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** The signature methods Vonage's dashboard offers, by the names its SDKs use. */
    enum Method {
        /** MD5 of the string followed by the secret: Vonage's default. */
        MD5HASH(null),
        /** HMAC-MD5. */
        MD5("HmacMD5"),
        /** HMAC-SHA1. */
        SHA1("HmacSHA1"),
        /** HMAC-SHA256. */
        SHA256("HmacSHA256"),
        /** HMAC-SHA512. */
        SHA512("HmacSHA512");

        private final String hmac;

        Method(String hmac) {
            this.hmac = hmac;
        }

        /**
         * A method by its name, case-insensitive.
         *
         * @param name {@code md5hash}, {@code md5}, {@code sha1}, {@code sha256} or {@code sha512}
         * @return the method
         * @throws IllegalArgumentException for any other name
         */
        static Method named(String name) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(name.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("signature method must be one of md5hash, md5, sha1, sha256, sha512: "
                    + name);
        }
    }

    /** What a check found. */
    enum Verdict {
        /** Signed with the secret, and fresh. */
        VALID,
        /** No {@code sig}, or no readable {@code timestamp}. */
        UNSIGNED,
        /** A {@code sig} that the secret did not make. */
        FORGED,
        /** Signed, but its timestamp is too far from now: a replay, or a clock far off. */
        STALE
    }

    private final byte[] secret;
    private final Method method;
    private final Clock clock;

    /**
     * The check with a secret and method.
     *
     * @param secret the account's signature secret ({@code sms.vonage.signatureSecret})
     * @param method the account's signature method
     * @param clock the clock the timestamp is checked against
     */
    VonageSignature(String secret, Method method, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("signature secret must not be blank");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.method = Objects.requireNonNull(method, "method");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks a webhook's parameters: the signature first (in constant time), then the timestamp.
     *
     * @param params every parameter received, {@code sig} included
     * @return the verdict
     */
    Verdict check(Map<String, String> params) {
        String sig = params.get("sig");
        String timestamp = params.get("timestamp");
        if (sig == null || sig.isBlank() || timestamp == null) {
            return Verdict.UNSIGNED;
        }
        byte[] given = sig.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        boolean signed = false;
        for (String candidate : candidates(params)) {
            // both forms are computed and compared, so the time taken does not say which one matched
            signed |= MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII), given);
        }
        if (!signed) {
            return Verdict.FORGED;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Verdict.UNSIGNED;
        }
        long skew = Math.abs(clock.millis() / 1000 - seconds);
        return skew > MAX_SKEW.toSeconds() || seconds < 0 ? Verdict.STALE : Verdict.VALID;
    }

    private List<String> candidates(Map<String, String> params) {
        List<String> candidates = new ArrayList<>(2);
        candidates.add(sign(params, true));
        candidates.add(sign(params, false));
        return candidates;
    }

    /**
     * The signature Vonage would send, lower-case hex.
     *
     * @param params the parameters; {@code sig} is left out
     * @param keepEmpty whether parameters with an empty value are signed (Node and PHP SDKs) or left out (Java SDK)
     * @return the signature
     */
    String sign(Map<String, String> params, boolean keepEmpty) {
        StringBuilder data = new StringBuilder();
        new TreeMap<>(params).forEach((name, value) -> {
            if (!name.equals("sig") && (keepEmpty || !value.isBlank())) {
                data.append('&').append(clean(name)).append('=').append(clean(value));
            }
        });
        byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest;
            if (method.hmac == null) {
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                md5.update(bytes);
                digest = md5.digest(secret);
            } else {
                Mac mac = Mac.getInstance(method.hmac);
                mac.init(new SecretKeySpec(secret, method.hmac));
                digest = mac.doFinal(bytes);
            }
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(method + " is not available in this JDK", e);
        }
    }

    private static String clean(String s) {
        return s.replace('&', '_').replace('=', '_');
    }

    @Override
    public String toString() {
        return "VonageSignature[method=" + method.name().toLowerCase(Locale.ROOT) + ", secret=***]";
    }
}
