package dev.otpengine.spring.security;

import dev.otpengine.spi.Channel;
import dev.otpengine.testkit.CapturingChannel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

import static dev.otpengine.spring.security.OtpLoginConfigurer.otpLogin;

/**
 * The application the login's HTTP and browser tests share ({@link OtpLoginApplicationTest}): Spring Security with
 * {@code otpLogin()} as its only login, a protected home page that names the principal, the REST endpoints and the
 * web component's module open to all, a static page with the component, and a user store that knows every recipient
 * but {@link #UNKNOWN} and has {@link #LOCKED} locked.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSecurity
class OtpLoginApp {

    static final String WIDGET = "5b1f3f4e-8a0c-4b7a-9d4e-0c6a1e2f3a4b";
    static final String OTHER_WIDGET = "7c2e4a6b-1d3f-4e5a-8b7c-9d0e1f2a3b4c";
    static final String UNKNOWN = "+12025550100";
    static final String LOCKED = "+12025550101";

    @Bean
    Channel sms() {
        return CapturingChannel.sms();
    }

    @Bean
    UserDetailsService users() {
        return recipient -> {
            if (recipient.equals(UNKNOWN)) {
                throw new UsernameNotFoundException("unknown");
            }
            return User.withUsername(recipient).password("").roles("USER")
                    .accountLocked(recipient.equals(LOCKED)).build();
        };
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http, UserDetailsService users) throws Exception {
        return http.authorizeHttpRequests(a -> a.requestMatchers("/otp/**", "/component.html", "/error")
                        .permitAll().anyRequest().authenticated())
                .csrf(c -> c.spa())
                .with(otpLogin(), login -> login.widget(WIDGET).userDetailsService(users))
                .build();
    }

    /** The protected pages. */
    @RestController
    static class Pages {
        @GetMapping(path = {"/", "/account"}, produces = "text/html")
        String home(Principal principal) {
            return "<!DOCTYPE html><html lang=\"en\"><title>Home</title><h1 id=\"who\">Signed in</h1>"
                    + "<form method=\"post\" action=\"/logout\"><button>Sign out</button></form></html>";
        }

        @GetMapping("/whoami")
        String whoami(Principal principal) {
            return principal.getName();
        }
    }
}
