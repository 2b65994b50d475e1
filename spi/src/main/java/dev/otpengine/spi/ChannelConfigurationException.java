package dev.otpengine.spi;

import java.util.Objects;

/**
 * A channel's settings are missing a required key or hold a value that cannot be used. Thrown by
 * {@link ChannelSettings} and by {@link ChannelProvider#create}, and so out of the engine builder's
 * {@code build()}. The message names the full key, such as {@code email.smtp.host}, and never a value,
 * which may be a secret.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public class ChannelConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The full key of the setting at fault. */
    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the full setting key, with the channel prefix ({@code "email.smtp.host"})
     * @param message the full message, naming the key
     */
    public ChannelConfigurationException(String key, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The setting at fault.
     *
     * @return the full key, with the channel prefix
     */
    public String key() {
        return key;
    }
}
