package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad otpengine property at start-up: Spring Boot's report names it and says what to do, with no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
final class StartupFailureTest {

    @Test
    void aTooShortSecret_isReportedByName(CapturedOutput output) {
        assertThrows(RuntimeException.class, () -> new SpringApplicationBuilder(OtpRestTest.App.class)
                .web(WebApplicationType.NONE)
                .properties("otpengine.secret=too short", "otpengine.widgets[0].id=123634df-ddfe-4dda-b31d-f3b4e75fc5dc",
                        "otpengine.widgets[0].name=Acme")
                .run());
        String printed = output.getAll();
        assertTrue(printed.contains("APPLICATION FAILED TO START"), printed);
        assertTrue(printed.contains("The otpengine property otpengine.secret is not valid: secret must be at least 32"),
                printed);
        assertTrue(printed.contains("Fix otpengine.secret in the application's configuration"), printed);
        assertFalse(printed.contains("at dev.otpengine.OtpEngine$Builder.secret"), "no stack trace from the builder");
    }
}
