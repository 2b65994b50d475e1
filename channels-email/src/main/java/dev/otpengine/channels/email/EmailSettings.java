package dev.otpengine.channels.email;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;

import java.time.Duration;
import java.util.Locale;

/**
 * The channel's settings, read and checked once when the engine is built; every error names its full key.
 *
 * @param host the SMTP server
 * @param port its port
 * @param security how the connection is protected
 * @param username the SMTP user, or {@code null} for no authentication
 * @param password the SMTP password, or {@code null}
 * @param sslTrust hosts whose certificate is trusted without checking ({@code "*"} for any), or {@code null}
 * @param checkServerIdentity whether the certificate must name the host
 * @param connectTimeout how long connecting may take
 * @param readTimeout how long the server may take to answer
 * @param writeTimeout how long sending one command or message may take
 * @param from the sender address
 * @param fromName the sender's display name, or {@code null}
 * @param poolSize how many SMTP connections are kept open at most
 */
record EmailSettings(String host, int port, Security security, String username, String password, String sslTrust,
                     boolean checkServerIdentity,
                     Duration connectTimeout, Duration readTimeout, Duration writeTimeout, String from, String fromName,
                     int poolSize) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    static final int DEFAULT_POOL_SIZE = 4;
    static final int MAX_POOL_SIZE = 64;

    /** How the SMTP connection is protected. */
    enum Security {
        /** Plain text: only for a relay on the same host or network. */
        NONE(25),
        /** Upgrade a plain connection with STARTTLS, and refuse a server that does not offer it. */
        STARTTLS(587),
        /** TLS from the first byte ("SMTPS", implicit TLS). */
        SMTPS(465);

        final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    @Override
    public String toString() {
        return "EmailSettings[host=" + host + ", port=" + port + ", security=" + security + ", username=" + username
                + ", password=" + (password == null ? "none" : "****") + ", from=" + from + "]";
    }

    static EmailSettings from(ChannelSettings s) {
        String host = s.require("smtp.host").strip();
        Security security = security(s);
        int port = s.getInt("smtp.port", security.defaultPort, 1, 65535);
        String username = s.get("smtp.username").orElse(null);
        String password = s.get("smtp.password").orElse(null);
        if (username != null && password == null) {
            throw new ChannelConfigurationException(s.qualifiedKey("smtp.password"), "missing required setting "
                    + s.qualifiedKey("smtp.password") + " for channel email: " + s.qualifiedKey("smtp.username") + " is set");
        }
        if (password != null && username == null) {
            throw new ChannelConfigurationException(s.qualifiedKey("smtp.username"), "missing required setting "
                    + s.qualifiedKey("smtp.username") + " for channel email: " + s.qualifiedKey("smtp.password") + " is set");
        }
        String from = s.require("from");
        try {
            from = Recipient.normalizeEmail(from);
        } catch (IllegalArgumentException e) {
            throw new ChannelConfigurationException(s.qualifiedKey("from"),
                    "setting " + s.qualifiedKey("from") + " must be an email address");
        }
        String fromName = s.get("from.name").map(String::strip).orElse(null);
        if (fromName != null && (fromName.isEmpty() || fromName.length() > 64
                || fromName.chars().anyMatch(Character::isISOControl))) {
            throw new ChannelConfigurationException(s.qualifiedKey("from.name"), "setting " + s.qualifiedKey("from.name")
                    + " must be 1 to 64 characters without control characters");
        }
        int poolSize = s.getInt("pool.size", DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE);
        return new EmailSettings(host, port, security, username, password, s.get("smtp.ssl.trust").orElse(null),
                s.getBoolean("smtp.ssl.checkServerIdentity", true),
                timeout(s, "smtp.connectTimeout"), timeout(s, "smtp.readTimeout"), timeout(s, "smtp.writeTimeout"),
                from, fromName, poolSize);
    }

    private static Security security(ChannelSettings s) {
        String raw = s.get("smtp.security", "starttls");
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "none":
                return Security.NONE;
            case "starttls":
                return Security.STARTTLS;
            case "smtps":
                return Security.SMTPS;
            default:
                throw new ChannelConfigurationException(s.qualifiedKey("smtp.security"), "setting "
                        + s.qualifiedKey("smtp.security") + " must be none, starttls or smtps: " + raw);
        }
    }

    private static Duration timeout(ChannelSettings s, String key) {
        return s.getDuration(key, DEFAULT_TIMEOUT, MAX_TIMEOUT);
    }
}
