package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The channel's own settings (each gateway reads its own), read and checked once when the channel is made; every
 * error names its full key.
 *
 * @param gateways the gateway names of {@code sms.gateway}, lowercase, in order of preference, each once
 * @param timeout how long each gateway call may take ({@code sms.timeout})
 * @param webOtpDomain the WebOTP domain, lowercase, or {@code null}
 * @param failover the circuit breakers' settings
 */
record SmsSettings(List<String> gateways, Duration timeout, String webOtpDomain, FailoverSettings failover) {

    /** The gateway names {@code sms.gateway} may list. */
    static final List<String> GATEWAY_NAMES = List.of(TwilioGateway.NAME, VonageGateway.NAME, HttpGateway.NAME,
            SmppGateway.NAME, ConsoleGateway.NAME);
    /** {@code sms.timeout} with one gateway: ten seconds, the engine's default delivery timeout. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * With several gateways, {@code sms.timeout} defaults to this divided among them (4 s each for two), so that the
     * whole chain fits the engine's default delivery timeout of ten seconds with time to spare.
     */
    static final Duration DEFAULT_CHAIN_TIMEOUT = Duration.ofSeconds(8);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    SmsSettings {
        gateways = List.copyOf(gateways);
    }

    static SmsSettings from(ChannelSettings s) {
        List<String> gateways = gateways(s);
        Duration defaultTimeout = gateways.size() == 1 ? DEFAULT_TIMEOUT
                : DEFAULT_CHAIN_TIMEOUT.dividedBy(gateways.size()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Duration timeout = s.getDuration("timeout", defaultTimeout, MAX_TIMEOUT);
        String domain = s.get("webotp.domain").map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
        if (domain != null && !domain.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
            throw new ChannelConfigurationException(s.qualifiedKey("webotp.domain"), "setting "
                    + s.qualifiedKey("webotp.domain") + " must be a host name such as example.com");
        }
        return new SmsSettings(gateways, timeout, domain, FailoverSettings.from(s));
    }

    private static List<String> gateways(ChannelSettings s) {
        String raw = s.require("gateway");
        String key = s.qualifiedKey("gateway");
        List<String> names = new ArrayList<>();
        for (String entry : raw.split(",", -1)) {
            String name = entry.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new ChannelConfigurationException(key, "setting " + key + " has an empty entry: " + raw
                        + "; list gateways separated by single commas, such as twilio,vonage");
            }
            if (!GATEWAY_NAMES.contains(name)) {
                throw new ChannelConfigurationException(key, "setting " + key + " must be twilio, vonage, http, smpp"
                        + " or console, or several of them in order of preference, comma-separated: " + entry.strip());
            }
            if (names.contains(name)) {
                throw new ChannelConfigurationException(key, "setting " + key + " names " + name + " twice: " + raw);
            }
            names.add(name);
        }
        return names;
    }
}
