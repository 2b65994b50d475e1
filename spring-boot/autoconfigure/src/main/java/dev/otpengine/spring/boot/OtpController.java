package dev.otpengine.spring.boot;

import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpException;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's HTTP face of the engine, when {@code otpengine.web.enabled=true}:
 * <ul>
 *   <li>{@code POST {otpengine.web.path}} (default {@code /otp}) with
 *       {@code {"widgetId","recipient","captchaToken"?,"locale"?}} answers {@code 201 {"requestId","expiresAt"}};</li>
 *   <li>{@code POST {otpengine.web.path}/verify} with {@code {"requestId","code"}} answers
 *       {@code 200 {"status","attemptsLeft"}};</li>
 *   <li>every refusal answers the exception's {@code httpStatus()} with its {@code toJson()} body, a 429 with
 *       {@code Retry-After} in whole seconds; malformed JSON, another content type, a missing field or a body over
 *       {@value BodyLimitFilter#MAX_BODY_BYTES} bytes is a 400 in the same shape.</li>
 * </ul>
 * Requests are read and refusals answered by {@link OtpWebCalls}, as the Spring Security login reads and answers them.
 * The user's IP is {@link HttpServletRequest#getRemoteAddr()}: behind a proxy, Spring's
 * {@code server.forward-headers-strategy} decides whether {@code X-Forwarded-For} is trusted. This controller never
 * reads that header itself, since any client can write it.
 *
 * <p><b>Thread-safety:</b> thread-safe, as the engine is.
 */
@RestController
public class OtpController {

    private final OtpWebCalls calls;

    /**
     * The endpoints of an engine, with the engine's default rate limits.
     *
     * @param engine the engine
     */
    public OtpController(OtpEngine engine) {
        this(new OtpWebCalls(engine, dev.otpengine.RateLimits.defaults()));
    }

    /**
     * The endpoints over the reading of requests and refusals they share with the Spring Security login.
     *
     * @param calls the engine's calls
     */
    public OtpController(OtpWebCalls calls) {
        this.calls = java.util.Objects.requireNonNull(calls, "calls");
    }

    /**
     * A send's body.
     *
     * @param widgetId the widget's id
     * @param recipient a phone (E.164) or an email
     * @param captchaToken the captcha token, if the widget wants one
     * @param locale a BCP 47 tag for the text, if any
     */
    public record SendBody(String widgetId, String recipient, String captchaToken, String locale) {
    }

    /**
     * A verification's body.
     *
     * @param requestId the request id a send answered
     * @param code the code the user typed
     */
    public record VerifyBody(String requestId, String code) {
    }

    /**
     * Sends a code.
     *
     * @param body the request
     * @param http the HTTP request, for the user's IP
     * @return 201 with the request id and when the code expires
     */
    @PostMapping(path = "${otpengine.web.path:/otp}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, String>> send(@RequestBody SendBody body, HttpServletRequest http) {
        SendRequest request = calls.readSend(http, body.widgetId(), body.recipient(), body.captchaToken(),
                body.locale());
        SendResult sent = calls.engine().send(request);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("requestId", sent.requestId().toString());
        answer.put("expiresAt", sent.expiresAt().toString());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    /**
     * Verifies a code.
     *
     * @param body the request
     * @param http the HTTP request, for the user's IP
     * @return 200 with the status and the attempts left
     */
    @PostMapping(path = "${otpengine.web.path:/otp}/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> verify(@RequestBody VerifyBody body, HttpServletRequest http) {
        VerifyResult result = calls.verify(http, body.requestId(), body.code());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", result.status().name());
        answer.put("attemptsLeft", result.attemptsLeft());
        return ResponseEntity.ok(answer);
    }

    /**
     * A refusal, as its status and JSON.
     *
     * @param e the refusal
     * @return the answer
     */
    @ExceptionHandler(OtpException.class)
    public ResponseEntity<String> refused(OtpException e) {
        OtpWebCalls.Refusal refusal = OtpWebCalls.refusal(e);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(refusal.httpStatus())
                .contentType(MediaType.APPLICATION_JSON);
        if (refusal.hasRetryAfter()) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
        return answer.body(refusal.json());
    }

    /**
     * A body that is not the JSON object asked for, as a 400 in the engine's shape.
     *
     * @param e what Spring could not read
     * @param http the HTTP request, for which endpoint's example to give
     * @return the answer
     */
    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    public ResponseEntity<String> unreadable(Exception e, HttpServletRequest http) {
        if (e.getMessage() != null && e.getMessage().contains("at most " + BodyLimitFilter.MAX_BODY_BYTES)
                || hasCauseSaying(e, "at most " + BodyLimitFilter.MAX_BODY_BYTES)) {
            return refused(BodyLimitFilter.tooLarge());
        }
        boolean verify = http.getRequestURI().endsWith("/verify");
        return refused(new InvalidRequestException("body", "body must be a JSON object (Content-Type: "
                + "application/json) such as " + (verify
                ? "{\"requestId\":\"5f0c8a52-1b6e-4d7a-9c3f-2e8b7a6d5c4b\",\"code\":\"123456\"}"
                : "{\"widgetId\":\"123634df-ddfe-4dda-b31d-f3b4e75fc5dc\",\"recipient\":\"+12025550162\"}")));
    }

    private static boolean hasCauseSaying(Throwable e, String words) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(words)) {
                return true;
            }
        }
        return false;
    }

}
