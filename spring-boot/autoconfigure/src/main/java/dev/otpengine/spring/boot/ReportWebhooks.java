package dev.otpengine.spring.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the delivery-report webhooks check against, read once at start-up from the same channel settings the engine
 * is built from ({@code otpengine.channels}) and from {@code otpengine.web}:
 * <ul>
 *   <li>Twilio: the account's auth token signs, and the SMS and voice channels may use two accounts, so a callback
 *       signed with {@code sms.twilio.authToken} or with {@code voice.twilio.authToken} is taken. The URL Twilio
 *       called is rebuilt from configuration only, never from the request's {@code Host} or {@code X-Forwarded-*}
 *       headers: a callback is genuine if its signature matches {@code sms.twilio.statusCallbackUrl} or
 *       {@code voice.twilio.statusCallbackUrl} as configured (the URLs the channels give Twilio as
 *       {@code StatusCallback}), or {@code otpengine.web.public-url} + {@code server.servlet.context-path} +
 *       {@code {path}/reports/twilio} + {@code ?} and the query string as received. With no auth token, or no URL,
 *       the endpoint answers 404: unsigned reports are never taken.</li>
 *   <li>Vonage: on when {@code sms.vonage.signatureSecret} is set (and {@code sms.vonage.signatureMethod},
 *       {@code md5hash} unless set): a receipt must carry a valid, fresh {@code sig}. Without a secret the endpoint
 *       answers 404 unless {@code sms.vonage.unsignedReceipts=accept} (with {@code sms.vonage.apiKey}) asks for
 *       receipts taken unauthenticated, as Vonage sends
 *       them unless signed webhooks are enabled on the account; a warning at start-up says so.</li>
 *   <li>WhatsApp: on when {@code whatsapp.appSecret} is set (Meta signs every webhook with the app secret, so there
 *       is no unsigned mode). Meta's verification handshake needs {@code whatsapp.verifyToken} too, the string typed
 *       into the Verify token field of the app's WhatsApp webhook configuration.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class ReportWebhooks {

    private static final Logger log = LoggerFactory.getLogger(ReportWebhooks.class);

    private final List<TwilioSignature> twilio;
    private final List<String> twilioCallbackUrls;
    private final String twilioPublicUrl;
    private final boolean vonage;
    private final VonageSignature vonageSignature;
    private final WhatsAppSignature whatsApp;
    private final byte[] whatsAppVerifyToken;

    private ReportWebhooks(List<TwilioSignature> twilio, List<String> twilioCallbackUrls, String twilioPublicUrl,
                           boolean vonage, VonageSignature vonageSignature, WhatsAppSignature whatsApp,
                           String whatsAppVerifyToken) {
        this.twilio = List.copyOf(twilio);
        this.twilioCallbackUrls = List.copyOf(twilioCallbackUrls);
        this.twilioPublicUrl = twilioPublicUrl;
        this.vonage = vonage || vonageSignature != null;
        this.vonageSignature = vonageSignature;
        this.whatsApp = whatsApp;
        this.whatsAppVerifyToken = whatsAppVerifyToken == null ? null : sha256(whatsAppVerifyToken);
    }

    /**
     * The webhooks' settings.
     *
     * @param properties the {@code otpengine.*} properties
     * @param contextPath the servlet context path ({@code server.servlet.context-path}), from configuration
     * @param clock the clock Vonage's signed timestamps are checked against
     * @return the settings
     * @throws OtpEnginePropertyException if {@code otpengine.web.public-url} or {@code sms.vonage.signatureMethod} is
     *     malformed
     */
    static ReportWebhooks from(OtpEngineProperties properties, String contextPath, Clock clock) {
        Map<String, String> channels = properties.getChannels();
        Set<String> tokens = new LinkedHashSet<>(2); // one account for both channels is one token
        Set<String> callbackUrls = new LinkedHashSet<>(2);
        for (String channel : List.of("sms", "voice")) {
            String token = blankToNull(channels.get(channel + ".twilio.authToken"));
            if (token != null) {
                tokens.add(token);
            }
            String callbackUrl = blankToNull(channels.get(channel + ".twilio.statusCallbackUrl"));
            if (callbackUrl != null) {
                callbackUrls.add(callbackUrl);
            }
        }
        String publicUrl = publicUrl(properties.getWeb().getPublicUrl());
        String twilioPublicUrl = publicUrl == null ? null
                : publicUrl + trimSlash(contextPath == null ? "" : contextPath.strip())
                + trimSlash(properties.getWeb().getPath()) + "/reports/twilio";

        String secret = blankToNull(channels.get("sms.vonage.signatureSecret"));
        String methodName = blankToNull(channels.get("sms.vonage.signatureMethod"));
        VonageSignature.Method method;
        try {
            method = methodName == null ? VonageSignature.Method.MD5HASH : VonageSignature.Method.named(methodName);
        } catch (IllegalArgumentException e) {
            throw new OtpEnginePropertyException("otpengine.channels[sms.vonage.signatureMethod]", e.getMessage(), e);
        }
        String unsigned = blankToNull(channels.get("sms.vonage.unsignedReceipts"));
        if (unsigned != null && !unsigned.equals("accept") && !unsigned.equals("refuse")) {
            throw new OtpEnginePropertyException("otpengine.channels[sms.vonage.unsignedReceipts]",
                    "must be accept or refuse: " + unsigned, null);
        }
        boolean acceptUnsigned = "accept".equals(unsigned);
        boolean vonageConfigured = blankToNull(channels.get("sms.vonage.apiKey")) != null;
        // Unsigned receipts are refused unless asked for: a forged FAILED receipt moves an escalating code on to a paid
        // channel, and Vonage's message ids are not secrets (they count up), so anyone could spray them.
        boolean vonage = secret != null || (vonageConfigured && acceptUnsigned);
        if (secret == null && vonageConfigured) {
            if (acceptUnsigned) {
                log.warn("Vonage delivery receipts at {}/reports/vonage are taken unauthenticated "
                        + "(sms.vonage.unsignedReceipts=accept): anyone who can reach the endpoint can report a "
                        + "Vonage message delivered or failed. Enable signed webhooks on the Vonage account and set "
                        + "otpengine.channels[sms.vonage.signatureSecret] (and signatureMethod)",
                        properties.getWeb().getPath());
            } else {
                log.warn("Vonage delivery receipts at {}/reports/vonage are refused (404): no "
                        + "otpengine.channels[sms.vonage.signatureSecret] is set to check them against. Enable signed "
                        + "webhooks on the Vonage account and set it, or set sms.vonage.unsignedReceipts=accept to "
                        + "take them unauthenticated", properties.getWeb().getPath());
            }
        }
        String appSecret = blankToNull(channels.get("whatsapp.appSecret"));
        String verifyToken = blankToNull(channels.get("whatsapp.verifyToken"));
        if (appSecret == null && (verifyToken != null || blankToNull(channels.get("whatsapp.accessToken")) != null)) {
            log.info("WhatsApp status webhooks at {}/reports/whatsapp are off: set otpengine.channels[whatsapp.appSecret] "
                    + "(App Dashboard, App settings, Basic) to take them; without it they are never taken unsigned",
                    properties.getWeb().getPath());
        } else if (appSecret != null && verifyToken == null) {
            log.warn("otpengine.channels[whatsapp.appSecret] is set but not whatsapp.verifyToken: Meta's verification "
                    + "request to {}/reports/whatsapp is answered 404 until it is", properties.getWeb().getPath());
        }
        return new ReportWebhooks(tokens.stream().map(TwilioSignature::new).toList(), List.copyOf(callbackUrls),
                twilioPublicUrl, vonage,
                secret == null ? null : new VonageSignature(secret, method, clock),
                appSecret == null ? null : new WhatsAppSignature(appSecret), appSecret == null ? null : verifyToken);
    }

    private static String publicUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String url = value.strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new OtpEnginePropertyException("otpengine.web.public-url", "must be the absolute http(s) URL "
                    + "vendors call, without a query, such as https://example.com: " + url, null);
        }
        return trimSlash(url);
    }

    private static String trimSlash(String s) {
        String t = s;
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /** @return whether Twilio's callbacks can be checked: an auth token and a URL to check them over */
    boolean twilioEnabled() {
        return !twilio.isEmpty() && (!twilioCallbackUrls.isEmpty() || twilioPublicUrl != null);
    }

    /**
     * Whether a callback is Twilio's: signed with one of the configured auth tokens over one of the URLs from
     * configuration. Every pair is checked, whichever matches, so the time taken does not say which one did.
     *
     * @param signature the {@code X-Twilio-Signature} header's value
     * @param rawQuery the query string as received, still percent-encoded, or {@code null}
     * @param form the body's fields
     * @return whether it is genuine
     */
    boolean twilioSigned(String signature, String rawQuery, FormFields form) {
        boolean genuine = false;
        for (TwilioSignature token : twilio) {
            for (String url : twilioUrls(rawQuery)) {
                genuine |= token.matches(signature, url, form);
            }
        }
        return genuine;
    }

    /**
     * The URLs a genuine callback may be signed over.
     *
     * @param rawQuery the query string as received, still percent-encoded, or {@code null}
     * @return the URLs, from configuration
     */
    List<String> twilioUrls(String rawQuery) {
        List<String> urls = new ArrayList<>(twilioCallbackUrls);
        if (twilioPublicUrl != null) {
            urls.add(rawQuery == null || rawQuery.isEmpty() ? twilioPublicUrl : twilioPublicUrl + "?" + rawQuery);
        }
        return urls;
    }

    /** @return whether Vonage's receipts are taken */
    boolean vonageEnabled() {
        return vonage;
    }

    /** @return the check of Vonage's signature, or {@code null} when receipts are taken unsigned */
    VonageSignature vonageSignature() {
        return vonageSignature;
    }

    /** @return whether WhatsApp's webhooks are taken: an app secret is set */
    boolean whatsAppEnabled() {
        return whatsApp != null;
    }

    /** @return the check of Meta's signature, or {@code null} when WhatsApp's webhooks are off */
    WhatsAppSignature whatsAppSignature() {
        return whatsApp;
    }

    /** @return whether Meta's verification request can be answered: an app secret and a verify token are set */
    boolean whatsAppVerifiable() {
        return whatsAppVerifyToken != null;
    }

    /**
     * Whether a verification request's {@code hub.verify_token} is the configured one, compared in constant time
     * (their SHA-256 digests, so that not even the length is told).
     *
     * @param token the request's token; {@code null} never matches
     * @return whether it matches
     */
    boolean whatsAppVerifyTokenMatches(String token) {
        return whatsAppVerifyToken != null && token != null
                && MessageDigest.isEqual(whatsAppVerifyToken, sha256(token));
    }

    @Override
    public String toString() {
        return "ReportWebhooks[twilio=" + twilioEnabled() + ", twilioTokens=" + twilio.size() + ", vonage=" + vonage
                + ", vonageSigned=" + (vonageSignature != null) + ", whatsapp=" + whatsAppEnabled() + "]";
    }
}
