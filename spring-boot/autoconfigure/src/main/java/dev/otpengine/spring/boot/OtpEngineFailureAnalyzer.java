package dev.otpengine.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad {@code otpengine.*} value into Spring Boot's start-up report ("APPLICATION FAILED TO START", a
 * description and an action) instead of a stack trace from deep inside the engine's builder.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public class OtpEngineFailureAnalyzer extends AbstractFailureAnalyzer<OtpEnginePropertyException> {

    /** Made by Spring Boot, through {@code META-INF/spring.factories}. */
    public OtpEngineFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OtpEnginePropertyException cause) {
        return new FailureAnalysis("The otpengine property " + cause.property() + " is not valid: " + cause.problem(),
                "Fix " + cause.property() + " in the application's configuration (application.yml, "
                        + "application.properties or the environment).", cause);
    }
}
