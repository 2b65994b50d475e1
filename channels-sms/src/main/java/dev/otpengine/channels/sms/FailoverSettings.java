package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelSettings;

import java.time.Duration;

/**
 * The circuit breaker settings every gateway's breaker is made with, read and checked once when the channel is made.
 *
 * @param failureRate the percentage of failed calls, among the last {@code minimumCalls}, at which a circuit opens
 * @param minimumCalls how many calls a circuit judges at once: none opens before that many were made, and the rate
 *     is over the last that many
 * @param openFor how long an open circuit skips its gateway before one probe call is let through
 */
record FailoverSettings(int failureRate, int minimumCalls, Duration openFor) {

    /** {@value} percent. */
    static final int DEFAULT_FAILURE_RATE = 50;
    /** {@value} calls. */
    static final int DEFAULT_MINIMUM_CALLS = 10;
    /** The most calls a circuit judges at once: {@value}. */
    static final int MAX_MINIMUM_CALLS = 10_000;
    static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
    static final Duration MAX_OPEN_FOR = Duration.ofHours(1);

    static FailoverSettings from(ChannelSettings s) {
        return new FailoverSettings(
                s.getInt("failover.failureRate", DEFAULT_FAILURE_RATE, 1, 100),
                s.getInt("failover.minimumCalls", DEFAULT_MINIMUM_CALLS, 1, MAX_MINIMUM_CALLS),
                s.getDuration("failover.openFor", DEFAULT_OPEN_FOR, MAX_OPEN_FOR));
    }
}
