package dev.otpengine.spring.boot;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The engine's health, for Spring Boot's health endpoint ({@code /actuator/health/otpEngine}): up while the engine
 * is open and its store answers ({@link OtpEngine#checkStore()}: always in process, a round trip to Redis); down
 * otherwise, saying which. The details never name the store's address.
 *
 * <p><b>Thread-safety:</b> thread-safe, as the engine is.
 */
public class OtpEngineHealthIndicator implements HealthIndicator {

    private final OtpEngine engine;

    /**
     * The health of an engine.
     *
     * @param engine the engine
     */
    public OtpEngineHealthIndicator(OtpEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        if (!engine.isOpen()) {
            return Health.down().withDetail("engine", "closed").build();
        }
        try {
            engine.checkStore();
        } catch (NoConnectionException e) {
            return Health.down().withDetail("engine", "open").withDetail("store", "unreachable").build();
        }
        return Health.up().withDetail("engine", "open").withDetail("store", "reachable").build();
    }
}
