package dev.otpengine.spring.security;

import dev.otpengine.OtpEngine;
import dev.otpengine.spring.boot.OtpEngineAutoConfiguration;
import dev.otpengine.spring.boot.OtpLoginAutoConfiguration;
import dev.otpengine.spring.boot.OtpLoginScriptController;
import dev.otpengine.spring.boot.OtpWebCalls;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.spi.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An application without Spring Security on its class path is untouched by the login's code. */
final class OtpLoginWithoutSecurityTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OtpEngineAutoConfiguration.class, OtpLoginAutoConfiguration.class))
            .withBean("sms", Channel.class, CapturingChannel::sms)
            .withPropertyValues("otpengine.web.enabled=true", "otpengine.widgets[0].id=" + OtpLoginApp.WIDGET,
                    "otpengine.widgets[0].name=Acme");

    @Test
    void withoutSpringSecurity_theContextStarts_withTheEngineTheSharedCallsAndTheModule() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run(context -> {
            assertNull(context.getStartupFailure());
            assertThrows(ClassNotFoundException.class, () -> context.getClassLoader()
                    .loadClass("org.springframework.security.config.annotation.web.builders.HttpSecurity"));
            assertEquals(1, context.getBeansOfType(OtpEngine.class).size());
            assertEquals(1, context.getBeansOfType(OtpWebCalls.class).size());
            assertEquals(1, context.getBeansOfType(OtpLoginScriptController.class).size());
        });
    }

    @Test
    void otpWebCalls_takesTheResendCooldownFromTheProperties() {
        runner.withPropertyValues("otpengine.rate-limits.resend-cooldown=45s").run(context -> assertEquals(
                java.time.Duration.ofSeconds(45), context.getBean(OtpWebCalls.class)
                        .resendCooldown(java.util.UUID.fromString(OtpLoginApp.WIDGET))));
    }
}
