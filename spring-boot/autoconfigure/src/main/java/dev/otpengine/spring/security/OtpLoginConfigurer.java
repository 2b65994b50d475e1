package dev.otpengine.spring.security;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.spring.boot.OtpWebCalls;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.annotation.web.configurers.LogoutConfigurer;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Signing in with a one-time code, as {@code formLogin()} signs in with a password:
 * <pre>{@code
 * http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
 *     .with(otpLogin(), login -> login.widget("123634df-ddfe-4dda-b31d-f3b4e75fc5dc"));
 * }</pre>
 * <ul>
 *   <li>{@code GET /login/otp}: the login page, server-rendered in the engine's 17 locales by {@code Accept-Language}:
 *       one field, {@code recipient}, then the code; it works with JavaScript off (see {@link #loginPage(String)} to
 *       bring one's own);</li>
 *   <li>{@code POST /login/otp/send}: form fields {@code recipient} and {@code _csrf} (and {@code captchaToken}, or
 *       the field {@link #captcha(String, String)} names, for a widget that requires a captcha); with {@code resend=true} and no recipient, a new code to the one of the code
 *       step. The engine sends the code; the step and any refusal are kept in the session ({@link OtpLoginState})
 *       and the answer is a redirect to the page;</li>
 *   <li>{@code POST /login/otp}: form fields {@code requestId}, {@code code} and {@code _csrf}. The engine judges the
 *       code from what was posted; only a {@code VERIFIED} result for this configurer's widget signs the user in,
 *       as the canonical recipient the engine names ({@code VerifyResult.recipient()}: E.164 or the lower-cased
 *       email), loaded by the {@link #userDetailsService(UserDetailsService)} if one is set, else with the authority
 *       {@code ROLE_USER}. The session id changes (the application's session authentication strategy, as for
 *       {@code formLogin()}), the security context is saved in the configured {@link SecurityContextRepository}, and
 *       the answer redirects to the request saved before the login (Spring Security's {@link RequestCache}, which
 *       saves only same-site GETs) or to {@code /}: to its path and query only, on the sign-in request's own origin,
 *       never to the host a saved request's {@code Host} header named. With {@code Content-Type: application/json} and
 *       {@code {"requestId","code"}} (and the CSRF token in its header), the answer is JSON instead:
 *       {@code 200 {"status":"VERIFIED","redirectUrl"}}, {@code 401 {"status","attemptsLeft","message"}} for a code
 *       that signs nobody in, or a refusal's status with {@code {"status":"REFUSED","type","retryAfter","message"}}.</li>
 * </ul>
 * The endpoints are served ahead of authorization, so they need no {@code permitAll}, and behind the CSRF filter, so
 * every POST needs the token. An anonymous visitor of a protected page is sent to the login page ({@code text/html}
 * requests, as for {@code formLogin()}); the logout success URL, unless set, becomes the page with {@code ?logout}.
 * The user's IP for the engine's limits is {@code getRemoteAddr()}.
 *
 * <p>Needs an {@link OtpEngine} bean (the starter makes one) with the widget. Wrong codes, spent budgets and cooldowns,
 * blocked widgets, captcha and store outages come back to the page with the reason and what is left (tries, seconds).
 *
 * <p><b>Thread-safety:</b> not thread-safe; Spring Security applies it once, while building the filter chain.
 */
public final class OtpLoginConfigurer extends AbstractHttpConfigurer<OtpLoginConfigurer, HttpSecurity> {

    /** The login page, unless {@link #loginPage(String)} sets another: {@value}. */
    public static final String DEFAULT_LOGIN_PAGE = "/login/otp";
    /** Where a code is asked for: {@value}. */
    public static final String SEND_URL = "/login/otp/send";
    /** Where a code signs in: {@value}. */
    public static final String LOGIN_URL = "/login/otp";
    /**
     * The form field a send's captcha token is read from, unless {@link #captcha(String, String)} names another:
     * {@value}.
     */
    public static final String CAPTCHA_TOKEN = "captchaToken";

    private UUID widgetId;
    private UserDetailsService users;
    private String loginPage = DEFAULT_LOGIN_PAGE;
    private boolean customLoginPage;
    private String defaultSuccessUrl = "/";
    private String stylesheet;
    private String captchaHtml;
    private String captchaTokenField = CAPTCHA_TOKEN;
    private OtpEngine engine;

    private OtpLoginConfigurer() {
    }

    /**
     * A new configurer, for {@code http.with(otpLogin(), login -> login.widget("<uuid>"))}.
     *
     * @return the configurer
     */
    public static OtpLoginConfigurer otpLogin() {
        return new OtpLoginConfigurer();
    }

    /**
     * The widget whose codes sign users in (required).
     *
     * @param widgetId the widget's id, a UUID
     * @return this configurer
     * @throws NullPointerException if {@code widgetId} is null
     * @throws IllegalArgumentException if it is not a UUID
     * @throws IllegalStateException if the widget was already set
     */
    public OtpLoginConfigurer widget(String widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        UUID id;
        try {
            id = UUID.fromString(widgetId.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("widgetId must be a UUID: " + widgetId, e);
        }
        return widget(id);
    }

    /**
     * The widget whose codes sign users in (required).
     *
     * @param widgetId the widget's id
     * @return this configurer
     * @throws NullPointerException if {@code widgetId} is null
     * @throws IllegalStateException if the widget was already set
     */
    public OtpLoginConfigurer widget(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        if (this.widgetId != null) {
            throw new IllegalStateException("widget was already set to " + this.widgetId);
        }
        this.widgetId = widgetId;
        return this;
    }

    /**
     * Loads the user a verified code names, by the canonical recipient (E.164 phone or lower-cased email), as the
     * principal; a recipient it does not know ({@code UsernameNotFoundException}) or a disabled, locked or expired
     * account signs nobody in and says so on the page. Without one, anyone who proves a recipient is signed in as it,
     * with the authority {@code ROLE_USER}.
     *
     * @param users the application's users
     * @return this configurer
     * @throws NullPointerException if {@code users} is null
     * @throws IllegalStateException if it was already set
     */
    public OtpLoginConfigurer userDetailsService(UserDetailsService users) {
        Objects.requireNonNull(users, "users");
        if (this.users != null) {
            throw new IllegalStateException("userDetailsService was already set");
        }
        this.users = users;
        return this;
    }

    /**
     * The application's own login page, as {@code formLogin().loginPage(...)}: anonymous visitors are sent there, the
     * built-in page is not served, and the application's page (which it must permit) posts to
     * {@value #SEND_URL} and {@value #LOGIN_URL}, reading {@link OtpLoginState} from the session
     * ({@link OtpLoginState#SESSION_ATTRIBUTE}) to show the code step and, with {@code ?error}, the last failure.
     *
     * @param loginPage the page's path, such as {@code /my-login}
     * @return this configurer
     * @throws IllegalArgumentException if it does not start with {@code /}
     */
    public OtpLoginConfigurer loginPage(String loginPage) {
        Objects.requireNonNull(loginPage, "loginPage");
        if (!loginPage.startsWith("/") || loginPage.startsWith("//")) {
            throw new IllegalArgumentException("loginPage must be a path starting with /: " + loginPage);
        }
        this.loginPage = loginPage;
        this.customLoginPage = true;
        return this;
    }

    /**
     * Where a user is sent once signed in when no request was saved before the login; {@code /} unless set.
     *
     * @param url a path of the application, such as {@code /home}
     * @return this configurer
     * @throws IllegalArgumentException if it does not start with {@code /}
     */
    public OtpLoginConfigurer defaultSuccessUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("/") || url.startsWith("//")) {
            throw new IllegalArgumentException("defaultSuccessUrl must be a path starting with /: " + url);
        }
        this.defaultSuccessUrl = url;
        return this;
    }

    /**
     * A stylesheet the built-in page links after its own small style, to restyle it by its classes
     * ({@code otp-login__card}, {@code otp-login__button} and the others the README lists).
     *
     * @param url the stylesheet's URL, such as {@code /css/login.css}
     * @return this configurer
     */
    public OtpLoginConfigurer stylesheet(String url) {
        this.stylesheet = Objects.requireNonNull(url, "url");
        return this;
    }

    /**
     * A captcha on the built-in page, for a widget that requires one ({@code captcha-required}, with the application's
     * {@code CaptchaVerifier} bean). {@code html} goes into each form that sends a code (the recipient step's, and the
     * code step's resend button), before its button: the provider's widget and its script, such as Cloudflare
     * Turnstile's
     * <pre>{@code
     * login.captcha("<div class=\"cf-turnstile\" data-sitekey=\"0x4AAA…\"></div>"
     *         + "<script src=\"https://challenges.cloudflare.com/turnstile/v0/api.js\" async defer></script>",
     *         "cf-turnstile-response")
     * }</pre>
     * The token the widget writes into the form field {@code tokenField} ({@code g-recaptcha-response} for reCAPTCHA,
     * {@code h-captcha-response} for hCaptcha) is passed to the engine as the send's {@code captchaToken}; a form field
     * named {@value #CAPTCHA_TOKEN} is read when that one is absent, as it always is without this setting. A send
     * without a token, or with one the verifier refuses, comes back to the page with the captcha's message. The
     * fragment is the application's own markup, written into the page as it is: it must not carry anything a user
     * wrote.
     *
     * @param html the captcha's HTML
     * @param tokenField the name of the form field its token is posted in
     * @return this configurer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code tokenField} is blank
     * @throws IllegalStateException if the captcha was already set
     */
    public OtpLoginConfigurer captcha(String html, String tokenField) {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(tokenField, "tokenField");
        if (tokenField.isBlank()) {
            throw new IllegalArgumentException("tokenField must name a form field: \"" + tokenField + "\"");
        }
        if (this.captchaHtml != null) {
            throw new IllegalStateException("captcha was already set");
        }
        this.captchaHtml = html;
        this.captchaTokenField = tokenField;
        return this;
    }

    /**
     * The engine to use instead of the application's {@link OtpEngine} bean.
     *
     * @param engine the engine
     * @return this configurer
     */
    public OtpLoginConfigurer engine(OtpEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        return this;
    }

    /**
     * Sends anonymous visitors of protected pages to the login page, and logged-out users back to it.
     *
     * @param http the security being built
     */
    @Override
    public void init(HttpSecurity http) {
        @SuppressWarnings("unchecked")
        ExceptionHandlingConfigurer<HttpSecurity> exceptions = http.getConfigurer(ExceptionHandlingConfigurer.class);
        if (exceptions != null) {
            exceptions.defaultAuthenticationEntryPointFor(postProcess(new LoginUrlAuthenticationEntryPoint(loginPage)),
                    browserRequests());
        }
        @SuppressWarnings("unchecked")
        LogoutConfigurer<HttpSecurity> logout = http.getConfigurer(LogoutConfigurer.class);
        if (logout != null && isDefaultLogoutSuccess(logout)) {
            logout.logoutSuccessUrl(loginPage + "?logout");
        }
    }

    /**
     * Whether the application left the logout success URL alone, as {@code formLogin()} asks before setting it. Spring
     * Security keeps {@code isCustomLogoutSuccess()} to its own package, so it is read here by reflection; if that
     * fails, the application's logout is left as it is (its default {@code /login?logout} then ends on this login
     * page through the entry point).
     */
    private static boolean isDefaultLogoutSuccess(LogoutConfigurer<HttpSecurity> logout) {
        try {
            java.lang.reflect.Field custom = LogoutConfigurer.class.getDeclaredField("customLogoutSuccess");
            custom.setAccessible(true);
            return !custom.getBoolean(logout);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Adds the login's filter, with the application's session, security context and saved-request handling.
     *
     * @param http the security being built
     * @throws IllegalStateException if no widget was set, there is no engine, or the engine has no such widget
     */
    @Override
    public void configure(HttpSecurity http) {
        if (widgetId == null) {
            throw new IllegalStateException("otpLogin() needs a widget: "
                    + "http.with(otpLogin(), login -> login.widget(\"<uuid>\"))");
        }
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        OtpWebCalls calls = calls(context);
        if (calls.engine().widget(widgetId).isEmpty()) {
            throw new IllegalStateException("otpLogin(): the engine has no widget " + widgetId
                    + "; add it (otpengine.widgets[n].id) or name one it has");
        }
        RequestCache requestCache = http.getSharedObject(RequestCache.class);
        if (requestCache == null) {
            requestCache = new HttpSessionRequestCache();
        }
        SameOriginSuccessHandler success = new SameOriginSuccessHandler(requestCache, defaultSuccessUrl);
        SessionAuthenticationStrategy sessions = http.getSharedObject(SessionAuthenticationStrategy.class);
        if (sessions == null) {
            sessions = new ChangeSessionIdAuthenticationStrategy();
        }
        SecurityContextRepository contexts = http.getSharedObject(SecurityContextRepository.class);
        if (contexts == null) {
            contexts = new DelegatingSecurityContextRepository(new HttpSessionSecurityContextRepository(),
                    new RequestAttributeSecurityContextRepository());
        }
        OtpLoginFilter filter = new OtpLoginFilter(new OtpLoginFilter.Settings(calls, widgetId, users, loginPage,
                customLoginPage, SEND_URL, LOGIN_URL, stylesheet, captchaHtml, captchaTokenField, success, requestCache,
                sessions, contexts,
                getSecurityContextHolderStrategy(), Clock.systemUTC()));
        http.addFilterBefore(postProcess(filter), UsernamePasswordAuthenticationFilter.class);
    }

    private OtpWebCalls calls(ApplicationContext context) {
        if (engine != null) {
            return new OtpWebCalls(engine, RateLimits.defaults());
        }
        if (context == null) {
            throw new IllegalStateException("otpLogin() needs an OtpEngine: add the otpengine starter, or call "
                    + "login.engine(engine)");
        }
        OtpWebCalls bean = context.getBeanProvider(OtpWebCalls.class).getIfAvailable();
        if (bean != null) {
            return bean;
        }
        OtpEngine found = context.getBeanProvider(OtpEngine.class).getIfAvailable();
        if (found == null) {
            throw new IllegalStateException("otpLogin() needs an OtpEngine bean: add the otpengine starter with "
                    + "otpengine.widgets set, or call login.engine(engine)");
        }
        return new OtpWebCalls(found, RateLimits.defaults());
    }

    /** Requests a browser makes for a page, as formLogin() tells them from API calls. */
    private static RequestMatcher browserRequests() {
        MediaTypeRequestMatcher media = new MediaTypeRequestMatcher(new HeaderContentNegotiationStrategy(),
                MediaType.APPLICATION_XHTML_XML, new MediaType("image", "*"), MediaType.TEXT_HTML,
                MediaType.TEXT_PLAIN);
        media.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return new AndRequestMatcher(new NegatedRequestMatcher(new RequestHeaderRequestMatcher("X-Requested-With",
                "XMLHttpRequest")), media);
    }
}
