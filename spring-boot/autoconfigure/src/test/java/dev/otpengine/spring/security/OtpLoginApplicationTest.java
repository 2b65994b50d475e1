package dev.otpengine.spring.security;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one application with Spring Security and {@code otpLogin()} ({@link OtpLoginApp}) that the login's HTTP and
 * browser tests share: Spring's context cache starts it once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = OtpLoginApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"otpengine.web.enabled=true", "otpengine.widgets[0].id=" + OtpLoginApp.WIDGET,
                "otpengine.widgets[0].name=Acme", "otpengine.widgets[0].channels=sms",
                "otpengine.widgets[1].id=" + OtpLoginApp.OTHER_WIDGET, "otpengine.widgets[1].name=Other",
                "otpengine.widgets[1].channels=sms",
                // every test signs in from 127.0.0.1: only the per-recipient cooldown, which the tests look at
                "otpengine.rate-limits.base=unlimited", "otpengine.rate-limits.resend-cooldown=30s"})
@interface OtpLoginApplicationTest {
}
