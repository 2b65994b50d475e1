package dev.otpengine.spring.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a signed-in user is sent: a path of this application, whatever host or path the saved request named. */
final class SameOriginSuccessHandlerTest {

    private final SameOriginSuccessHandler handler = new SameOriginSuccessHandler(new HttpSessionRequestCache(),
            "/home");

    private String target(String savedUrl) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/app/login/otp");
        request.setContextPath("/app");
        return handler.target(request, savedUrl == null ? null : new SimpleSavedRequest(savedUrl));
    }

    @Test
    void target_keepsThePathAndQuery_dropsTheHost() {
        assertEquals("/app/account?tab=1&continue", target("http://evil.example:8443/app/account?tab=1&continue"));
        assertEquals("/app/a%2Fb?q=%20", target("https://evil.example/app/a%2Fb?q=%20"));
    }

    @Test
    void target_aPathABrowserReadsAsAnotherHost_isTheDefault() {
        assertEquals("/app/home", target("http://app.example//evil.example/account"));
        assertEquals("/app/home", target("http://app.example/\\evil.example/account"));
        assertEquals("/app/home", target("not a url at all"));
        assertEquals("/app/home", target("mailto:someone@evil.example"));
    }

    @Test
    void target_nothingSaved_isTheDefaultUnderTheContextPath() {
        assertEquals("/app/home", target(null));
    }
}
