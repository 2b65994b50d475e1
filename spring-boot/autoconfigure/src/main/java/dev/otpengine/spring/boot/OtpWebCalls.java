package dev.otpengine.spring.boot;

import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpException;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The one reading of an HTTP request into the engine's calls, and the one mapping of its refusals to answers, shared
 * by the REST endpoints ({@link OtpController}) and the Spring Security login
 * ({@code dev.otpengine.spring.security.OtpLoginConfigurer}), so that the two cannot drift apart:
 * <ul>
 *   <li>the user's IP is {@link HttpServletRequest#getRemoteAddr()}, never a header any client can write (behind a
 *       proxy, Spring's {@code server.forward-headers-strategy} decides what {@code getRemoteAddr()} is);</li>
 *   <li>a recipient with {@code @} is an email, anything else a phone; a blank field is an
 *       {@link InvalidRequestException} naming it;</li>
 *   <li>a refusal answers its {@link OtpException#httpStatus()} with its {@link OtpException#toJson()} body, and a
 *       rate limit also says in whole seconds, rounded up, when to retry ({@link Refusal}).</li>
 * </ul>
 * The auto-configuration makes one as a bean, with the engine's rate limits from {@code otpengine.rate-limits}.
 *
 * <p><b>Thread-safety:</b> thread-safe, as the engine is.
 */
public final class OtpWebCalls {

    private final OtpEngine engine;
    private final RateLimits engineLimits;

    /**
     * The calls of an engine.
     *
     * @param engine the engine
     * @param engineLimits the rate limits of the engine's widgets that have none of their own, for
     *     {@link #resendCooldown(UUID)}
     * @throws NullPointerException if an argument is null
     */
    public OtpWebCalls(OtpEngine engine, RateLimits engineLimits) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.engineLimits = Objects.requireNonNull(engineLimits, "engineLimits");
    }

    /**
     * The engine the calls go to.
     *
     * @return the engine
     */
    public OtpEngine engine() {
        return engine;
    }

    /**
     * The user's IP address: the request's remote address.
     *
     * @param http the HTTP request
     * @return {@link HttpServletRequest#getRemoteAddr()}
     */
    public static String userIp(HttpServletRequest http) {
        return http.getRemoteAddr();
    }

    /**
     * Reads a send from an HTTP request's fields.
     *
     * @param http the HTTP request, for the user's IP
     * @param widgetId the widget's id, as text
     * @param recipient a phone number or, with {@code @}, an email address
     * @param captchaToken the captcha token, or {@code null}
     * @param locale a BCP 47 tag for the text, or {@code null}
     * @return the request to give {@link OtpEngine#send}
     * @throws InvalidRequestException if a field is missing or malformed, naming it
     */
    public SendRequest readSend(HttpServletRequest http, String widgetId, String recipient, String captchaToken,
                                String locale) {
        SendRequest.Builder request = SendRequest.builder(uuid("widgetId", widgetId)).userIp(userIp(http));
        String address = required("recipient", recipient);
        if (address.indexOf('@') >= 0) {
            request.email(address);
        } else {
            request.phone(address);
        }
        if (captchaToken != null) {
            request.captchaToken(captchaToken);
        }
        if (locale != null) {
            request.locale(Locale.forLanguageTag(locale));
        }
        return request.build();
    }

    /**
     * Checks a code from an HTTP request's fields, with the user's IP counted against the verify limits.
     *
     * @param http the HTTP request, for the user's IP
     * @param requestId the request id a send answered, as text
     * @param code the code the user typed
     * @return the engine's result
     * @throws InvalidRequestException if a field is missing or malformed, naming it
     * @throws OtpException if the engine refuses the verification
     */
    public VerifyResult verify(HttpServletRequest http, String requestId, String code) {
        return engine.verify(required("requestId", requestId), required("code", code), userIp(http));
    }

    /**
     * Checks a code from an HTTP request's fields for one widget only: another widget's code is NOT_FOUND and left
     * untouched ({@link dev.otpengine.VerifyRequest.Builder#widgetId}).
     *
     * @param http the HTTP request, for the user's IP
     * @param requestId the request id a send answered, as text
     * @param code the code the user typed
     * @param widgetId the widget the code must belong to
     * @return the engine's result
     * @throws InvalidRequestException if a field is missing or malformed, naming it
     * @throws OtpException if the engine refuses the verification
     */
    public VerifyResult verify(HttpServletRequest http, String requestId, String code, java.util.UUID widgetId) {
        dev.otpengine.VerifyRequest request;
        try {
            request = dev.otpengine.VerifyRequest.builder(java.util.UUID.fromString(required("requestId", requestId)
                    .strip()), required("code", code)).userIp(userIp(http)).widgetId(widgetId).build();
        } catch (IllegalArgumentException | dev.otpengine.InvalidRequestException e) { // the engine refuses it, reported
            return engine.verify(requestId, code, userIp(http));
        }
        return engine.verify(request);
    }

    /**
     * How long after a send the same recipient must wait for another: the widget's own resend cooldown, or the
     * engine's.
     *
     * @param widgetId the widget
     * @return the cooldown; the engine's if the widget is unknown
     */
    public Duration resendCooldown(UUID widgetId) {
        return engine.widget(widgetId).flatMap(Widget::rateLimits).orElse(engineLimits).resendCooldown();
    }

    /**
     * A refusal as an HTTP layer answers it.
     *
     * @param e the refusal
     * @return its status, body and what it is about
     */
    public static Refusal refusal(OtpException e) {
        long retryAfter = 0;
        RateLimitException.Scope scope = null;
        if (e instanceof RateLimitException) {
            RateLimitException limit = (RateLimitException) e;
            retryAfter = Math.max(1, limit.retryAfterSeconds());
            scope = limit.scope();
        }
        String field = e instanceof InvalidRequestException ? ((InvalidRequestException) e).field() : null;
        return new Refusal(e.type(), e.httpStatus(), e.toJson(), field, scope, retryAfter);
    }

    /**
     * A refused request as an HTTP layer answers it.
     *
     * @param type the engine's error type, such as {@code "RateLimitException"}
     * @param httpStatus the status to answer with
     * @param json the body, the engine's error shape
     * @param field the request field at fault for an {@code InvalidRequestException}, else {@code null}
     * @param scope the limit that tripped for a {@code RateLimitException}, else {@code null}
     * @param retryAfterSeconds for a rate limit, the whole seconds (at least 1) until a retry may pass, for a
     *     {@code Retry-After} header; 0 otherwise
     */
    public record Refusal(String type, int httpStatus, String json, String field, RateLimitException.Scope scope,
                          long retryAfterSeconds) {

        /**
         * Whether the answer should carry a {@code Retry-After} header of {@link #retryAfterSeconds()}.
         *
         * @return {@code true} for a rate limit
         */
        public boolean hasRetryAfter() {
            return scope != null;
        }
    }

    /**
     * A required field's value.
     *
     * @param field the field's name
     * @param value its value
     * @return the value
     * @throws InvalidRequestException if it is null or blank: "{@code <field> is required}"
     */
    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, field + " is required");
        }
        return value;
    }

    private static UUID uuid(String field, String value) {
        String text = required(field, value).strip();
        if (text.length() == 36) {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                // the message below
            }
        }
        throw new InvalidRequestException(field, field + " must be a UUID such as 123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    }
}
