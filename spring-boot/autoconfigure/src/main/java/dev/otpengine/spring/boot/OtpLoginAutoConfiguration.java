package dev.otpengine.spring.boot;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the sign-in with a code needs from a servlet application, with or without Spring Security: the one
 * {@link OtpWebCalls} the REST endpoints and the login share (with the engine's rate limits from
 * {@code otpengine.rate-limits}), and, with {@code otpengine.web.enabled=true}, the {@code <otp-login>} module
 * ({@link OtpLoginScriptController}). Nothing here needs Spring Security: the login itself is applied by the
 * application with {@code http.with(OtpLoginConfigurer.otpLogin(), ...)}.
 *
 * <p><b>Thread-safety:</b> Spring calls it once, at start-up.
 */
@AutoConfiguration(after = OtpEngineAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
public class OtpLoginAutoConfiguration {

    /** Made by Spring. */
    public OtpLoginAutoConfiguration() {
    }

    /**
     * The engine's calls over HTTP.
     *
     * @param engine the engine
     * @param properties the {@code otpengine.*} properties, for the engine's rate limits
     * @return the calls
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(OtpEngine.class)
    public OtpWebCalls otpWebCalls(OtpEngine engine, ObjectProvider<OtpEngineProperties> properties) {
        OtpEngineProperties p = properties.getIfAvailable();
        RateLimits limits = p == null ? RateLimits.defaults()
                : OtpEngineAutoConfiguration.rateLimits(p.getRateLimits(), "otpengine.rate-limits");
        return new OtpWebCalls(engine, limits);
    }

    /** The web component's module, with the REST endpoints. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    @ConditionalOnProperty(prefix = "otpengine.web", name = "enabled", havingValue = "true")
    static class Script {

        /**
         * The module's controller.
         *
         * @return the controller
         */
        @Bean
        @ConditionalOnMissingBean
        OtpLoginScriptController otpLoginScriptController() {
            return new OtpLoginScriptController();
        }
    }
}
