package dev.otpengine.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

import java.io.IOException;
import java.net.URI;

/**
 * Where a user goes once signed in: the page saved before the login, as {@code formLogin()}'s
 * {@code SavedRequestAwareAuthenticationSuccessHandler} sends them, but only its path and query. Spring's handler
 * redirects to the saved request's full URL, whose host is the {@code Host} header that request carried: a request
 * with an attacker's {@code Host} (through a proxy that passes it on, or a poisoned cache) would send the user there
 * after the login. A path is resolved against the sign-in request itself (by the container, or by the browser when
 * the {@code Location} stays relative), the origin the user is talking to; a saved path a browser could read as
 * another host ({@code //host}, {@code /\host}) is replaced by the default.
 */
final class SameOriginSuccessHandler implements AuthenticationSuccessHandler {

    private final RequestCache requestCache;
    private final String defaultPath;

    SameOriginSuccessHandler(RequestCache requestCache, String defaultPath) {
        this.requestCache = requestCache;
        this.defaultPath = defaultPath;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        }
        // the saved request stays in the cache, as with Spring's handler: RequestCacheAwareFilter takes it at ?continue
        SavedRequest saved = requestCache.getRequest(request, response);
        response.sendRedirect(response.encodeRedirectURL(target(request, saved)));
    }

    /**
     * The path and query of the saved request, or the default path under the context path.
     *
     * @param request the sign-in request
     * @param saved the request saved before the login, or null
     * @return a path starting with a single {@code /}, never a URL with a host
     */
    String target(HttpServletRequest request, SavedRequest saved) {
        String fallback = request.getContextPath() + defaultPath;
        if (saved == null) {
            return fallback;
        }
        String path;
        String query;
        try {
            URI url = new URI(saved.getRedirectUrl());
            path = url.getRawPath();
            query = url.getRawQuery();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return fallback;
        }
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) {
            return fallback;
        }
        return query == null ? path : path + "?" + query;
    }
}
