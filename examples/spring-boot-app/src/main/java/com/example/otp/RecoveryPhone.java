package com.example.otp;

import dev.otpengine.OtpException;
import dev.otpengine.VerifyResult;
import dev.otpengine.spring.boot.OtpWebCalls;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code <otp-login>} for something other than signing in: a signed-in user proves a second phone, for account
 * recovery. The browser never tells the server that a code was right; the component posts the request id and the
 * code to this application's own endpoint (its {@code login} attribute), which asks the engine, and only a
 * {@code VERIFIED} result of the engine's, for this site's widget, records the phone the result names. The same
 * shape serves any server that uses the component without Spring Security's {@code otpLogin()}.
 */
@RestController
class RecoveryPhone {

    /** The page, and the endpoint its component posts codes to. */
    static final String PATH = "/account/recovery-phone";

    private final OtpWebCalls calls;
    private final Map<String, String> phones = new ConcurrentHashMap<>();

    RecoveryPhone(OtpWebCalls calls) {
        this.calls = calls;
    }

    /** The recovery phone a user proved, if any. */
    Optional<String> phoneOf(String user) {
        return Optional.ofNullable(phones.get(user));
    }

    @GetMapping(path = PATH, produces = "text/html;charset=UTF-8")
    String page(CsrfToken csrf, Principal user) {
        String proved = phoneOf(user.getName()).map(p -> "<p id=\"proved\">Recovery phone: " + p + "</p>").orElse("");
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Recovery phone</title>"
                + "<meta name=\"_csrf\" content=\"" + csrf.getToken() + "\">"
                + "<meta name=\"_csrf_header\" content=\"" + csrf.getHeaderName() + "\"></head><body>"
                + "<h1>Recovery phone</h1>" + proved
                + "<otp-login widget-id=\"" + OtpApplication.WIDGET + "\" login=\"" + PATH + "\"></otp-login>"
                + "<script type=\"module\" src=\"/otp/otp-login.js\"></script></body></html>";
    }

    /**
     * Judges the code the component posts ({@code {"requestId","code"}}) and answers as {@code otpLogin()}'s JSON
     * sign-in does, so that the component shows each outcome: {@code 200 {"status":"VERIFIED","redirectUrl"}},
     * {@code 401 {"status","attemptsLeft"}} for a code that proves nothing, or a refusal's status and body.
     */
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> verify(@RequestBody Map<String, String> body, HttpServletRequest http, Principal user) {
        VerifyResult result;
        try {
            result = calls.verify(http, body.get("requestId"), body.get("code"),
                    UUID.fromString(OtpApplication.WIDGET));
        } catch (OtpException e) {
            OtpWebCalls.Refusal refusal = OtpWebCalls.refusal(e);
            return ResponseEntity.status(refusal.httpStatus()).contentType(MediaType.APPLICATION_JSON)
                    .body(refusal.json());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", result.status().name());
        if (!result.isVerified()) {
            answer.put("attemptsLeft", result.attemptsLeft());
            return ResponseEntity.status(401).body(answer);
        }
        // who was verified comes from the engine's result, never from the request
        phones.put(user.getName(), result.recipient().phone().or(() -> result.recipient().email()).orElseThrow());
        answer.put("redirectUrl", PATH);
        return ResponseEntity.ok(answer);
    }
}
