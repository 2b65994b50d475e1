package dev.otpengine.spring.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the delivery-report webhooks check against, read once at start-up from the same channel settings the engine
 * is built from ({@code otpengine.channels}) and from {@code otpengine.web}:
 * <ul>
 *   <li>Twilio: {@code sms.twilio.authToken} signs; the URL Twilio called is rebuilt from configuration only, never
 *       from the request's {@code Host} or {@code X-Forwarded-*} headers: a callback is genuine if its signature
 *       matches either {@code sms.twilio.statusCallbackUrl} as configured (the URL the SMS channel gives Twilio as
 *       {@code StatusCallback}), or {@code otpengine.web.public-url} + {@code server.servlet.context-path} +
 *       {@code {path}/reports/twilio} + {@code ?} and the query string as received. With no auth token, or neither
 *       URL, the endpoint answers 404: unsigned reports are never taken.</li>
 *   <li>Vonage: on when {@code sms.vonage.apiKey} or {@code sms.vonage.signatureSecret} is set. With
 *       {@code sms.vonage.signatureSecret} (and {@code sms.vonage.signatureMethod}, {@code md5hash} unless set), a
 *       receipt must carry a valid, fresh {@code sig}. Without it receipts are taken unauthenticated, as Vonage sends
 *       them unless signed webhooks are enabled on the account; a warning at start-up says so.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class ReportWebhooks {

    private static final Logger log = LoggerFactory.getLogger(ReportWebhooks.class);

    private final TwilioSignature twilio;
    private final String twilioCallbackUrl;
    private final String twilioPublicUrl;
    private final boolean vonage;
    private final VonageSignature vonageSignature;

    ReportWebhooks(TwilioSignature twilio, String twilioCallbackUrl, String twilioPublicUrl, boolean vonage,
                   VonageSignature vonageSignature) {
        this.twilio = twilio;
        this.twilioCallbackUrl = twilioCallbackUrl;
        this.twilioPublicUrl = twilioPublicUrl;
        this.vonage = vonage || vonageSignature != null;
        this.vonageSignature = vonageSignature;
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
        String token = blankToNull(channels.get("sms.twilio.authToken"));
        String callbackUrl = blankToNull(channels.get("sms.twilio.statusCallbackUrl"));
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
        boolean vonage = blankToNull(channels.get("sms.vonage.apiKey")) != null || secret != null;
        if (vonage && secret == null) {
            log.warn("Vonage delivery receipts at {}/reports/vonage are taken unauthenticated: anyone who can reach "
                    + "the endpoint can report a message delivered or failed. Enable signed webhooks on the Vonage "
                    + "account and set otpengine.channels[sms.vonage.signatureSecret] (and signatureMethod)",
                    properties.getWeb().getPath());
        }
        return new ReportWebhooks(token == null ? null : new TwilioSignature(token), callbackUrl, twilioPublicUrl,
                vonage, secret == null ? null : new VonageSignature(secret, method, clock));
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

    /** @return whether Twilio's callbacks can be checked: an auth token and a URL to check them over */
    boolean twilioEnabled() {
        return twilio != null && (twilioCallbackUrl != null || twilioPublicUrl != null);
    }

    /** @return the check of Twilio's signature, or {@code null} */
    TwilioSignature twilio() {
        return twilio;
    }

    /**
     * The URLs a genuine callback may be signed over.
     *
     * @param rawQuery the query string as received, still percent-encoded, or {@code null}
     * @return the URLs, from configuration
     */
    List<String> twilioUrls(String rawQuery) {
        List<String> urls = new ArrayList<>(2);
        if (twilioCallbackUrl != null) {
            urls.add(twilioCallbackUrl);
        }
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

    @Override
    public String toString() {
        return "ReportWebhooks[twilio=" + twilioEnabled() + ", vonage=" + vonage
                + ", vonageSigned=" + (vonageSignature != null) + "]";
    }
}
