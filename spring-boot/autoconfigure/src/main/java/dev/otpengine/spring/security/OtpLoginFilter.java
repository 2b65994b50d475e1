package dev.otpengine.spring.security;

import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpException;
import dev.otpengine.RateLimitException;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spring.boot.OtpWebCalls;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The login's three endpoints, ahead of authorization (so they need no {@code permitAll}) and behind Spring
 * Security's CSRF filter (so every POST must carry the token): {@code GET} the page, {@code POST} a send, {@code POST}
 * a code. Each outcome is a redirect to the page, which shows it (post, redirect, get: a reload never sends again);
 * a code posted as JSON is answered in JSON.
 */
final class OtpLoginFilter extends OncePerRequestFilter {

    /** The most bytes of a JSON sign-in read: {@value}; a real one is under 200. */
    static final int MAX_JSON_BYTES = 16 * 1024;

    private final Settings settings;
    private final RequestMatcher page;
    private final RequestMatcher send;
    private final RequestMatcher verify;

    /** What the configurer resolved. */
    record Settings(OtpWebCalls calls, UUID widgetId, UserDetailsService users, String pagePath, boolean customPage,
                    String sendPath, String verifyPath, String stylesheet, String captchaHtml,
                    String captchaTokenField, SameOriginSuccessHandler success,
                    RequestCache requestCache, SessionAuthenticationStrategy sessions,
                    SecurityContextRepository contexts, SecurityContextHolderStrategy holder, Clock clock) {
    }

    OtpLoginFilter(Settings settings) {
        this.settings = settings;
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        this.page = paths.matcher(HttpMethod.GET, settings.pagePath());
        this.send = paths.matcher(HttpMethod.POST, settings.sendPath());
        this.verify = paths.matcher(HttpMethod.POST, settings.verifyPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (send.matches(request)) {
            send(request, response);
        } else if (verify.matches(request)) {
            verify(request, response);
        } else if (!settings.customPage() && page.matches(request)) {
            page(request, response);
        } else {
            chain.doFilter(request, response);
        }
    }

    // ------------------------------------------------------------------ the page

    private void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LoginTexts texts = LoginTexts.forAcceptLanguage(request.getHeader("Accept-Language"));
        OtpLoginState state = state(request);
        boolean restart = request.getParameter("restart") != null;
        boolean codeStep = !restart && state != null && state.step() == OtpLoginState.Step.CODE;
        String error = null;
        boolean info = false;
        if (request.getParameter("error") != null && state != null && state.error().isPresent()) {
            error = texts.text(state.error().get(), state.errorValue());
        } else if (request.getParameter("logout") != null) {
            error = texts.text("signedOut");
            info = true;
        }
        Widget widget = settings.calls().engine().widget(settings.widgetId()).orElse(null);
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String context = request.getContextPath();
        LoginPage.View view = new LoginPage.View(texts, state, codeStep, error, info,
                csrf == null ? null : csrf.getParameterName(), csrf == null ? null : csrf.getToken(),
                context + settings.pagePath(), context + settings.sendPath(), context + settings.verifyPath(),
                kind(widget), widget == null ? 6 : widget.codeLength(),
                widget != null && widget.alphabet() == dev.otpengine.CodeAlphabet.ALPHANUMERIC,
                codeStep ? state.secondsUntilResend(settings.clock().instant()) : 0, settings.stylesheet(),
                settings.captchaHtml());
        byte[] html = LoginPage.render(view).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(html.length);
        response.getOutputStream().write(html);
    }

    private LoginPage.RecipientKind kind(Widget widget) {
        List<String> channels = widget == null || widget.channels().isEmpty()
                ? List.copyOf(settings.calls().engine().channelIds()) : widget.channels();
        boolean email = channels.contains("email");
        if (email && channels.size() == 1) {
            return LoginPage.RecipientKind.EMAIL;
        }
        return email ? LoginPage.RecipientKind.ANY : LoginPage.RecipientKind.TEL;
    }

    // ------------------------------------------------------------------ send

    private void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LoginTexts texts = LoginTexts.forAcceptLanguage(request.getHeader("Accept-Language"));
        OtpLoginState before = state(request);
        String recipient = request.getParameter("recipient");
        boolean resend = (recipient == null || recipient.isBlank()) && request.getParameter("resend") != null;
        if (resend) {
            if (before == null || before.recipient() == null) {
                fail(request, response, OtpLoginState.failed("error.restart", 0));
                return;
            }
            recipient = before.recipient();
        }
        try {
            SendRequest read = settings.calls().readSend(request, settings.widgetId().toString(), recipient,
                    captchaToken(request), texts.tag());
            SendResult sent = settings.calls().engine().send(read);
            String canonical = read.recipient().phone().or(() -> read.recipient().email()).orElse(recipient);
            int attempts = settings.calls().engine().widget(settings.widgetId()).map(Widget::maxAttempts).orElse(0);
            Instant resendAt = settings.clock().instant().plus(settings.calls().resendCooldown(settings.widgetId()));
            request.getSession().setAttribute(OtpLoginState.SESSION_ATTRIBUTE, new OtpLoginState(
                    OtpLoginState.Step.CODE, sent.requestId().toString(), canonical, resendAt, attempts, null, 0));
            response.sendRedirect(request.getContextPath() + settings.pagePath());
        } catch (OtpException e) {
            OtpWebCalls.Refusal refusal = OtpWebCalls.refusal(e);
            String key = key(refusal);
            OtpLoginState after;
            if (resend) {
                after = refusal.scope() == RateLimitException.Scope.RESEND_COOLDOWN
                        ? before.withResendAt(settings.clock().instant().plusSeconds(refusal.retryAfterSeconds()), key,
                        refusal.retryAfterSeconds())
                        : before.withError(key, refusal.retryAfterSeconds());
            } else {
                after = OtpLoginState.failed(key, refusal.retryAfterSeconds());
            }
            fail(request, response, after);
        }
    }

    /** The captcha's token: from the configured field, else from {@code captchaToken}. */
    private String captchaToken(HttpServletRequest request) {
        String token = request.getParameter(settings.captchaTokenField());
        return token != null ? token : request.getParameter(OtpLoginConfigurer.CAPTCHA_TOKEN);
    }

    // ------------------------------------------------------------------ verify

    private void verify(HttpServletRequest request, HttpServletResponse response) throws IOException,
            ServletException {
        boolean json = isJson(request);
        LoginTexts texts = LoginTexts.forAcceptLanguage(request.getHeader("Accept-Language"));
        String requestId;
        String code;
        if (json) {
            Map<String, String> body;
            try {
                body = JsonFields.read(body(request));
            } catch (IllegalArgumentException e) {
                refused(request, response, texts, new InvalidRequestException("body", "body must be a JSON object "
                        + "such as {\"requestId\":\"5f0c8a52-1b6e-4d7a-9c3f-2e8b7a6d5c4b\",\"code\":\"123456\"}"));
                return;
            }
            requestId = body.get("requestId");
            code = body.get("code");
        } else {
            requestId = request.getParameter("requestId");
            code = request.getParameter("code");
        }
        VerifyResult result;
        try {
            result = settings.calls().verify(request, requestId, code, settings.widgetId());
        } catch (OtpException e) {
            refused(request, response, texts, e);
            return;
        }
        if (!result.isVerified() || !settings.widgetId().equals(result.widgetId())) {
            // a code of another widget is as good as none here: it was sent for another purpose
            VerifyResult.Status status = result.isVerified() ? VerifyResult.Status.NOT_FOUND : result.status();
            String key = switch (status) {
                case INVALID_CODE -> "error.invalidCode";
                case ATTEMPTS_EXCEEDED -> "error.attemptsExceeded";
                case EXPIRED -> "error.expired";
                default -> "error.notFound";
            };
            int left = result.isVerified() ? 0 : result.attemptsLeft();
            notSignedIn(request, response, texts, status.name(), key, status == VerifyResult.Status.INVALID_CODE
                    ? left : 0, left, requestId);
            return;
        }
        String recipient = result.recipient().phone().or(() -> result.recipient().email()).orElseThrow();
        UsernamePasswordAuthenticationToken authentication;
        try {
            authentication = authenticate(recipient);
        } catch (UsernameNotFoundException e) {
            notSignedIn(request, response, texts, "USER_NOT_FOUND", "error.unknownUser", 0, 0, requestId);
            return;
        } catch (AccountStatusException e) {
            notSignedIn(request, response, texts, "USER_REFUSED", "error.accountLocked", 0, 0, requestId);
            return;
        }
        authentication.setDetails(new WebAuthenticationDetailsSource().buildDetails(request));
        try {
            settings.sessions().onAuthentication(authentication, request, response);
        } catch (AuthenticationException e) {
            notSignedIn(request, response, texts, "USER_REFUSED", "error.accountLocked", 0, 0, requestId);
            return;
        }
        SecurityContext context = settings.holder().createEmptyContext();
        context.setAuthentication(authentication);
        settings.holder().setContext(context);
        settings.contexts().saveContext(context, request, response);
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(OtpLoginState.SESSION_ATTRIBUTE);
        }
        if (json) {
            SavedRequest saved = settings.requestCache().getRequest(request, response);
            String target = settings.success().target(request, saved);
            settings.requestCache().removeRequest(request, response);
            writeJson(response, HttpServletResponse.SC_OK, "{\"status\":\"VERIFIED\",\"redirectUrl\":"
                    + JsonFields.quote(target) + "}");
        } else {
            settings.success().onAuthenticationSuccess(request, response, authentication);
        }
    }

    private UsernamePasswordAuthenticationToken authenticate(String recipient) {
        if (settings.users() == null) {
            return UsernamePasswordAuthenticationToken.authenticated(recipient, null,
                    List.of(new SimpleGrantedAuthority("ROLE_USER")));
        }
        UserDetails user = settings.users().loadUserByUsername(recipient);
        if (user == null) {
            throw new UsernameNotFoundException("no user");
        }
        new AccountStatusUserDetailsChecker().check(user);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    }

    /** A code that signs nobody in: back to the page, or a 401 in JSON. */
    private void notSignedIn(HttpServletRequest request, HttpServletResponse response, LoginTexts texts,
                             String status, String key, long value, int attemptsLeft, String requestId)
            throws IOException {
        if (isJson(request)) {
            writeJson(response, HttpServletResponse.SC_UNAUTHORIZED, "{\"status\":\"" + status
                    + "\",\"attemptsLeft\":" + attemptsLeft + ",\"message\":" + JsonFields.quote(texts.text(key, value))
                    + "}");
            return;
        }
        OtpLoginState before = state(request);
        boolean same = before != null && before.step() == OtpLoginState.Step.CODE
                && before.requestId().orElse("").equals(requestId);
        fail(request, response, same ? before.withAttemptsLeft(attemptsLeft, key, value)
                : OtpLoginState.failed(key, value));
    }

    /** A refusal of the engine's: back to the page with its reason, or its status in JSON. */
    private void refused(HttpServletRequest request, HttpServletResponse response, LoginTexts texts, OtpException e)
            throws IOException {
        OtpWebCalls.Refusal refusal = OtpWebCalls.refusal(e);
        String key = key(refusal);
        if (isJson(request)) {
            if (refusal.hasRetryAfter()) {
                response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            }
            writeJson(response, refusal.httpStatus(), "{\"status\":\"REFUSED\",\"type\":"
                    + JsonFields.quote(refusal.type()) + ",\"retryAfter\":" + refusal.retryAfterSeconds()
                    + ",\"message\":" + JsonFields.quote(texts.text(key, refusal.retryAfterSeconds())) + "}");
            return;
        }
        OtpLoginState before = state(request);
        fail(request, response, before != null && before.step() == OtpLoginState.Step.CODE
                ? before.withError(key, refusal.retryAfterSeconds())
                : OtpLoginState.failed(key, refusal.retryAfterSeconds()));
    }

    /** The text of a refusal, as the page says it. */
    static String key(OtpWebCalls.Refusal refusal) {
        if (refusal.scope() != null) {
            return switch (refusal.scope()) {
                case RESEND_COOLDOWN -> "error.cooldown";
                default -> "error.rateLimited";
            };
        }
        return switch (refusal.type()) {
            case "InvalidRequestException" -> switch (String.valueOf(refusal.field())) {
                case "code" -> "error.code";
                case "requestId" -> "error.notFound";
                case "captchaToken" -> "error.captcha";
                case "widgetId", "userIp", "body" -> "error.internal";
                default -> "error.recipient";
            };
            case "CaptchaNotConfirmedException" -> "error.captcha";
            case "NoAvailableChannelsException" -> "error.noChannel";
            case "WidgetNotFoundException", "WidgetIsBlockedException", "ForbiddenException" -> "error.unavailable";
            case "NoConnectionException" -> "error.down";
            default -> "error.internal";
        };
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, OtpLoginState state)
            throws IOException {
        request.getSession().setAttribute(OtpLoginState.SESSION_ATTRIBUTE, state);
        response.sendRedirect(request.getContextPath() + settings.pagePath() + "?error");
    }

    private static OtpLoginState state(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object state = session == null ? null : session.getAttribute(OtpLoginState.SESSION_ATTRIBUTE);
        return state instanceof OtpLoginState ? (OtpLoginState) state : null;
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    private static String body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_JSON_BYTES) {
            throw new IllegalArgumentException("body too large");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw new IllegalArgumentException("body too large");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
