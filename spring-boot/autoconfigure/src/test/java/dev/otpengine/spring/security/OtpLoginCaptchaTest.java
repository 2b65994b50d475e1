package dev.otpengine.spring.security;

import dev.otpengine.spi.CaptchaVerifier;
import dev.otpengine.spi.Channel;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.spring.security.OtpLoginConfigurer.otpLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in page with a captcha ({@code login.captcha(html, tokenField)}) for a widget that requires one: the
 * application's captcha markup sits in every form that sends a code, its token reaches the application's
 * {@link CaptchaVerifier} as the send's {@code captchaToken}, and a send without it, or with a token the verifier
 * refuses, comes back to the page with the captcha's message and sends nothing.
 */
@SpringBootTest(classes = OtpLoginCaptchaTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"otpengine.widgets[0].id=" + OtpLoginApp.WIDGET, "otpengine.widgets[0].name=Acme",
                "otpengine.widgets[0].channels=sms", "otpengine.widgets[0].captcha-required=true",
                "otpengine.rate-limits.base=unlimited"})
final class OtpLoginCaptchaTest {

    /** A Turnstile-like widget; with JavaScript off, its field is a plain input a test can fill. */
    static final String CAPTCHA = "<input name=\"cf-turnstile-response\" data-test=\"captcha\">";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Channel sms;

    @Autowired
    List<String> tokensSeen;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableWebSecurity
    static class App {
        @Bean
        Channel sms() {
            return CapturingChannel.sms();
        }

        @Bean
        List<String> tokensSeen() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        CaptchaVerifier captcha(List<String> tokensSeen) {
            return (token, ip, widgetId) -> {
                tokensSeen.add(token);
                return "a-human".equals(token);
            };
        }

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.requestMatchers("/error").permitAll().anyRequest().authenticated())
                    .with(otpLogin(), login -> login.widget(OtpLoginApp.WIDGET)
                            .captcha(CAPTCHA, "cf-turnstile-response"))
                    .build();
        }
    }

    private HttpResponse<String> send(Visitor v, String recipient, String field, String token) throws Exception {
        Map<String, String> form = v.formOf(v.get("/login/otp").body());
        form.put("recipient", recipient);
        if (field != null) {
            form.put(field, token);
        }
        return v.post("/login/otp/send", form);
    }

    @Test
    void thePage_carriesTheCaptchaInTheFormThatSends() throws Exception {
        String page = new Visitor(port).get("/login/otp").body();

        assertTrue(page.matches("(?s).*<form[^>]*action=\"/login/otp/send\">.*<div class=\"otp-login__captcha\">"
                + java.util.regex.Pattern.quote(CAPTCHA) + "</div><button[^>]*>Send code</button></form>.*"), page);
    }

    @Test
    void aSend_withTheTokenTheVerifierTakes_sendsTheCode_andTheResendFormCarriesTheCaptchaToo() throws Exception {
        Visitor v = new Visitor(port);

        HttpResponse<String> sent = send(v, "+12025550151", "cf-turnstile-response", "a-human");

        assertEquals(v.base() + "/login/otp", sent.headers().firstValue("Location").orElseThrow());
        assertTrue(((CapturingChannel) sms).lastCode("+12025550151").isPresent());
        assertTrue(tokensSeen.contains("a-human"), tokensSeen::toString);
        String codePage = v.get("/login/otp").body();
        assertTrue(codePage.matches("(?s).*<input type=\"hidden\" name=\"resend\" value=\"true\">.*"
                + "<div class=\"otp-login__captcha\">.*id=\"otp-resend\".*"), codePage);
    }

    @Test
    void aSend_withoutAToken_orWithARefusedOne_isBackOnThePageWithTheCaptchasMessage_andSendsNothing()
            throws Exception {
        for (String[] field : new String[][] {{null, null}, {"cf-turnstile-response", "a-bot"},
                {"captchaToken", "a-bot"}}) {
            Visitor v = new Visitor(port);

            HttpResponse<String> refused = send(v, "+12025550152", field[0], field[1]);

            assertEquals(v.base() + "/login/otp?error", refused.headers().firstValue("Location").orElseThrow());
            assertTrue(v.get("/login/otp?error").body().contains(
                    "Please confirm that you are not a robot, then try again."), String.join(",", field));
        }
        assertFalse(((CapturingChannel) sms).lastCode("+12025550152").isPresent());
    }

    @Test
    void aPostedCaptchaTokenField_isReadWhenTheConfiguredFieldIsAbsent() throws Exception {
        Visitor v = new Visitor(port);

        send(v, "+12025550153", "captchaToken", "a-human");

        assertTrue(((CapturingChannel) sms).lastCode("+12025550153").isPresent());
    }

    @Test
    void captcha_setTwice_orWithABlankField_isRefused() {
        assertEquals("tokenField must name a form field: \" \"", assertThrows(IllegalArgumentException.class,
                () -> otpLogin().captcha("<div></div>", " ")).getMessage());
        assertEquals("captcha was already set", assertThrows(IllegalStateException.class,
                () -> otpLogin().captcha("<div></div>", "a").captcha("<div></div>", "b")).getMessage());
    }
}
