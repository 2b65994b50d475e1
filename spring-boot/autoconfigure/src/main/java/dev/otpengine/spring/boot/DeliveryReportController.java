package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The vendors' delivery-report webhooks, beside the REST endpoints when {@code otpengine.web.enabled=true}:
 * <ul>
 *   <li>{@code POST {path}/reports/twilio}: Twilio's message status callback (form-encoded), checked against
 *       {@code X-Twilio-Signature} ({@link TwilioSignature}) over the URL rebuilt from configuration
 *       ({@link ReportWebhooks});</li>
 *   <li>{@code POST {path}/reports/vonage} (form-encoded or JSON) and {@code GET {path}/reports/vonage} (query
 *       parameters): Vonage's SMS delivery receipt, checked against its {@code sig} ({@link VonageSignature}) when a
 *       signature secret is set.</li>
 *   <li>{@code POST {path}/reports/twilio} also takes Twilio's call status callbacks of the voice channel
 *       ({@code CallSid}, {@code CallStatus}), signed with {@code sms.twilio.authToken} or
 *       {@code voice.twilio.authToken};</li>
 *   <li>{@code POST {path}/reports/whatsapp}: Meta's WhatsApp webhook (JSON), checked against
 *       {@code X-Hub-Signature-256} ({@link WhatsAppSignature}) over the body's bytes before anything is parsed, each
 *       of its statuses a report ({@link WhatsAppStatuses}); and {@code GET {path}/reports/whatsapp}, Meta's
 *       verification request (see {@link #whatsAppVerification}).</li>
 * </ul>
 * A vendor's webhook is an attack surface (STYLE habit 20), so every answer is one of these, always with an empty
 * body, and never echoes what was sent:
 * <ul>
 *   <li>204: a genuine report, taken, or for a message the store does not know (so the vendor stops retrying), or
 *       a status that is not final ({@code sent}, {@code buffered}, ...); 200 instead for WhatsApp, as Meta asks,
 *       also for a signed body it cannot read (logged at WARN: only the app secret's holder can send one);</li>
 *   <li>200 with {@code hub.challenge}: Meta's verification request, its verify token matched;</li>
 *   <li>403: a missing or wrong signature, a stale Vonage timestamp, or a body that cannot be checked (another
 *       content type, malformed, read past {@value BodyLimitFilter#MAX_BODY_BYTES} bytes); nothing reaches the engine (a body
 *       that declares more is refused by the {@link BodyLimitFilter} first, with its 400); and Meta's verification
 *       request with a wrong mode or token, or a challenge that is not a short token of letters and digits;</li>
 *   <li>400: an unsigned Vonage receipt (no secret configured) that cannot be read;</li>
 *   <li>404: the vendor is not configured (no Twilio auth token, or no URL to check its signature over; no Vonage
 *       settings; no {@code whatsapp.appSecret}, or for the verification request no {@code whatsapp.verifyToken});
 *       </li>
 *   <li>503: the engine's store cannot be reached, or the engine is closed: the vendor retries later.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> thread-safe, as the engine is.
 */
@RestController
final class DeliveryReportController {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReportController.class);

    /** The longest {@code hub.challenge} echoed: {@value}. */
    static final int MAX_CHALLENGE = 64;

    private static final Pattern CHALLENGE = Pattern.compile("[0-9A-Za-z]{1," + MAX_CHALLENGE + "}");

    private final OtpEngine engine;
    private final ReportWebhooks webhooks;

    DeliveryReportController(OtpEngine engine, ReportWebhooks webhooks) {
        this.engine = engine;
        this.webhooks = webhooks;
    }

    /**
     * Twilio's status callback.
     *
     * @param request the request
     * @return the answer, with no body
     */
    @RequestMapping(path = "${otpengine.web.path:/otp}/reports/twilio", method = RequestMethod.POST)
    public ResponseEntity<Void> twilio(HttpServletRequest request) {
        if (!webhooks.twilioEnabled()) {
            return answer(HttpStatus.NOT_FOUND);
        }
        // the signature first: without one, nothing else of the request is read
        String signature = request.getHeader(TwilioSignature.HEADER);
        if (signature == null || signature.isBlank()) {
            return refused("Twilio", "no " + TwilioSignature.HEADER);
        }
        FormFields form;
        try {
            if (!is(request, MediaType.APPLICATION_FORM_URLENCODED)) {
                return refused("Twilio", "not a form (Content-Type: application/x-www-form-urlencoded)");
            }
            form = FormFields.parse(body(request));
        } catch (IOException | IllegalArgumentException e) {
            return refused("Twilio", "an unreadable body");
        }
        if (!webhooks.twilioSigned(signature, request.getQueryString(), form)) {
            return refused("Twilio", TwilioSignature.HEADER + " does not match the configured URLs and auth tokens");
        }
        return take(TwilioCallbacks.report(form));
    }

    /**
     * WhatsApp's webhook: the statuses of the messages the WhatsApp channel sent.
     *
     * @param request the request
     * @return the answer, with no body: 200 as Meta asks, for a genuine webhook whatever it held
     */
    @RequestMapping(path = "${otpengine.web.path:/otp}/reports/whatsapp", method = RequestMethod.POST)
    public ResponseEntity<Void> whatsApp(HttpServletRequest request) {
        WhatsAppSignature signature = webhooks.whatsAppSignature();
        if (signature == null) {
            return answer(HttpStatus.NOT_FOUND);
        }
        // the signature first, over the bytes as received: nothing is parsed before it matched
        String header = request.getHeader(WhatsAppSignature.HEADER);
        if (header == null || header.isBlank()) {
            return refused("WhatsApp", "no " + WhatsAppSignature.HEADER);
        }
        byte[] body;
        try {
            body = bodyBytes(request);
        } catch (IOException e) {
            return refused("WhatsApp", "an unreadable body");
        }
        if (!signature.matches(header, body)) {
            return refused("WhatsApp", WhatsAppSignature.HEADER + " does not match the body and the app secret");
        }
        Map<String, Object> payload;
        try {
            payload = FlatJson.nested(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // signed with the app secret, so Meta's (or the secret's holder's): a retry would not read better
            log.warn("a signed WhatsApp webhook is not a JSON object this reads ({}); answered 200, nothing taken",
                    e.getMessage());
            return answer(HttpStatus.OK);
        }
        for (DeliveryReport report : WhatsAppStatuses.reports(payload)) {
            ResponseEntity<Void> taken = take(Optional.of(report));
            if (taken.getStatusCode().value() != HttpStatus.NO_CONTENT.value()) {
                return taken; // 503: Meta sends the whole webhook again later
            }
        }
        return answer(HttpStatus.OK);
    }

    /**
     * Meta's verification request, sent when the webhook's callback URL or verify token is set in the App
     * Dashboard: with {@code hub.mode=subscribe} and {@code hub.verify_token} equal to {@code whatsapp.verifyToken},
     * the answer is 200 with {@code hub.challenge} as plain text, as Meta documents
     * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started, "Verification Requests"). This is the
     * one answer that repeats what was sent, so only after the token matched, and only a challenge of at most
     * {@value #MAX_CHALLENGE} letters and digits (Meta sends a number); anything else is 403.
     *
     * @param request the request
     * @return the challenge, or an empty 403 or 404
     */
    @RequestMapping(path = "${otpengine.web.path:/otp}/reports/whatsapp", method = RequestMethod.GET)
    public ResponseEntity<String> whatsAppVerification(HttpServletRequest request) {
        if (!webhooks.whatsAppVerifiable()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        Map<String, String> query;
        try {
            query = FormFields.parse(request.getQueryString()).firstValues();
        } catch (IllegalArgumentException e) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        String challenge = query.get("hub.challenge");
        if (!"subscribe".equals(query.get("hub.mode"))
                || !webhooks.whatsAppVerifyTokenMatches(query.get("hub.verify_token"))
                || challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            log.debug("refused a WhatsApp verification request with 403");
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        log.info("answered Meta's verification request for the WhatsApp webhook");
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).header("X-Content-Type-Options", "nosniff")
                .body(challenge);
    }

    /**
     * Vonage's delivery receipt.
     *
     * @param request the request
     * @return the answer, with no body
     */
    @RequestMapping(path = "${otpengine.web.path:/otp}/reports/vonage",
            method = {RequestMethod.POST, RequestMethod.GET})
    public ResponseEntity<Void> vonage(HttpServletRequest request) {
        if (!webhooks.vonageEnabled()) {
            return answer(HttpStatus.NOT_FOUND);
        }
        VonageSignature signature = webhooks.vonageSignature();
        Map<String, String> params;
        try {
            params = vonageParams(request);
        } catch (IOException | IllegalArgumentException e) {
            params = null;
        }
        if (params == null) {
            return signature != null ? refused("Vonage", "an unreadable receipt") : answer(HttpStatus.BAD_REQUEST);
        }
        if (signature != null) {
            VonageSignature.Verdict verdict = signature.check(params);
            if (verdict != VonageSignature.Verdict.VALID) {
                return refused("Vonage", "its sig is " + verdict.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return take(VonageReceipts.report(params));
    }

    /** The receipt's parameters, or {@code null} for a content type Vonage does not send. */
    private static Map<String, String> vonageParams(HttpServletRequest request) throws IOException {
        if ("GET".equals(request.getMethod())) {
            return FormFields.parse(request.getQueryString()).firstValues();
        }
        if (is(request, MediaType.APPLICATION_JSON)) {
            return FlatJson.parse(body(request));
        }
        if (is(request, MediaType.APPLICATION_FORM_URLENCODED)) {
            return FormFields.parse(body(request)).firstValues();
        }
        return null;
    }

    private ResponseEntity<Void> take(Optional<DeliveryReport> report) {
        if (report.isEmpty()) {
            return answer(HttpStatus.NO_CONTENT);
        }
        try {
            boolean known = engine.reportDelivery(report.get());
            log.debug("took a delivery report of channel {}: {}, {}", report.get().channelId(), report.get().status(),
                    known ? "for a message the store knows" : "for a message the store does not know");
            return answer(HttpStatus.NO_CONTENT);
        } catch (NoConnectionException e) {
            log.warn("a delivery report could not be taken: the engine's store cannot be reached; the vendor will "
                    + "retry");
            return answer(HttpStatus.SERVICE_UNAVAILABLE);
        } catch (IllegalStateException e) {
            return answer(HttpStatus.SERVICE_UNAVAILABLE); // the engine is closed: shutting down
        } catch (RuntimeException e) {
            log.error("a delivery report failed; answered 503 so the vendor retries", e);
            return answer(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    /**
     * A refusal. Logged at DEBUG only and without anything the request held: anyone can send these, and a flood of
     * them must not flood the log.
     */
    private static ResponseEntity<Void> refused(String vendor, String why) {
        log.debug("refused a {} delivery report with 403: {}", vendor, why);
        return answer(HttpStatus.FORBIDDEN);
    }

    private static ResponseEntity<Void> answer(HttpStatus status) {
        return ResponseEntity.status(status).build();
    }

    private static boolean is(HttpServletRequest request, MediaType type) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.parseMediaType(contentType).equalsTypeAndSubtype(type);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The body as UTF-8, at most {@value BodyLimitFilter#MAX_BODY_BYTES} bytes (the {@link BodyLimitFilter} caps it
     * too), read from the stream itself: the servlet's parameter map would mix in the query string.
     */
    private static String body(HttpServletRequest request) throws IOException {
        return new String(bodyBytes(request), StandardCharsets.UTF_8);
    }

    /** The body's bytes as received, at most {@value BodyLimitFilter#MAX_BODY_BYTES}. */
    private static byte[] bodyBytes(HttpServletRequest request) throws IOException {
        byte[] bytes = request.getInputStream().readNBytes(BodyLimitFilter.MAX_BODY_BYTES + 1);
        if (bytes.length > BodyLimitFilter.MAX_BODY_BYTES) {
            throw new IOException("body over " + BodyLimitFilter.MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }
}
