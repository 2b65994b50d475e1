package com.example.otp;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.otpengine.spring.security.OtpLoginConfigurer.otpLogin;

/**
 * A small site: its home page needs a sign-in, and its only login is a code by SMS ({@code otpLogin()}), sent by the
 * console gateway of {@code application.yml}, which prints it. The REST endpoints ({@code /otp}) stay open to
 * clients that call them with JSON.
 */
@SpringBootApplication
public class OtpApplication {

    /** The widget of {@code application.yml}. */
    static final String WIDGET = "123634df-ddfe-4dda-b31d-f3b4e75fc5dc";

    /**
     * Starts it.
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(OtpApplication.class, args);
    }

    /**
     * Every page needs a sign-in, with a code; the REST endpoints take JSON from any client, so they are open and
     * need no CSRF token (a cross-site form cannot send JSON, and they keep no session).
     *
     * @param http Spring Security's builder
     * @return the site's security
     * @throws Exception as Spring Security's builder does
     */
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                // the error dispatch is public, so that a refusal (a missing CSRF token: 403) reaches the client as what
                // it is, rather than as a redirect to the login page that the request cache then remembers
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/otp/**").permitAll().anyRequest().authenticated())
                .csrf(c -> c.ignoringRequestMatchers("/otp", "/otp/verify"))
                .with(otpLogin(), login -> login.widget(WIDGET))
                .build();
    }

    /** The site's one page. */
    @RestController
    static class Home {

        /**
         * The home page, for signed-in users only, with a sign-out button.
         *
         * @param csrf the CSRF token, for the sign-out form
         * @return the page
         */
        @GetMapping(path = "/", produces = "text/html;charset=UTF-8")
        String home(CsrfToken csrf) {
            return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Acme</title></head><body>"
                    + "<h1>Welcome to Acme</h1><p>You are signed in with a code.</p>"
                    + "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"" + csrf.getParameterName()
                    + "\" value=\"" + csrf.getToken() + "\"><button>Sign out</button></form></body></html>";
        }
    }
}
