package dev.otpengine.spring.boot;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's health, for Spring Boot's health endpoint ({@code /actuator/health/otpEngine}): up while the engine
 * is open and its store answers ({@link OtpEngine#checkStore()}: always in process, a round trip to Redis); down
 * otherwise, saying which. The details never name the store's address.
 *
 * <p>The details also hold what each channel tells of the providers behind it ({@link OtpEngine#channelHealth()}),
 * such as {@code channels: {sms: {circuit.twilio: OPEN, circuit.vonage: CLOSED}}}, and, when a channel has circuits
 * and every one of them is {@code OPEN}, that channel's id under {@code channelsAllCircuitsOpen}. The status stays UP
 * however the circuits stand: a vendor's outage is not this instance's fault, it hits every instance alike, and DOWN
 * would take them all out of their load balancer at once, stopping verifications of codes already sent and sends on
 * other channels, which still work. Alert on the meter {@code otp.gateway.circuit} ({@code state=open}) or on these
 * details instead.
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
            return channels(Health.down().withDetail("engine", "open").withDetail("store", "unreachable")).build();
        }
        return channels(Health.up().withDetail("engine", "open").withDetail("store", "reachable")).build();
    }

    private Health.Builder channels(Health.Builder health) {
        Map<String, Map<String, String>> channels = engine.channelHealth();
        if (channels.isEmpty()) {
            return health;
        }
        health.withDetail("channels", channels);
        List<String> allOpen = new ArrayList<>();
        channels.forEach((channel, facts) -> {
            List<String> circuits = facts.entrySet().stream().filter(f -> f.getKey().startsWith("circuit."))
                    .map(Map.Entry::getValue).toList();
            if (!circuits.isEmpty() && circuits.stream().allMatch("OPEN"::equals)) {
                allOpen.add(channel);
            }
        });
        if (!allOpen.isEmpty()) {
            health.withDetail("channelsAllCircuitsOpen", allOpen);
        }
        return health;
    }
}
