package com.example.otp.chat;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Makes the {@code chat} channel from the engine's settings:
 * <ul>
 *   <li>{@code chat.url} (required): the bot's webhook, {@code http} or {@code https};</li>
 *   <li>{@code chat.timeout} ({@code 5s}, at most a minute): how long one post may take.</li>
 * </ul>
 * The engine finds this class with {@link java.util.ServiceLoader}; it needs a public no-argument constructor.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class ChatChannelProvider implements ChannelProvider {

    /** The channel's id, and the prefix of its settings: {@value}. */
    public static final String ID = "chat";

    /** Creates the provider; the engine's {@code ServiceLoader} calls this. */
    public ChatChannelProvider() {
    }

    /** @return {@link #SPI_VERSION} as this plugin was compiled against it */
    @Override
    public String requestedSpiVersion() {
        return SPI_VERSION;
    }

    /** @return {@value #ID} */
    @Override
    public String id() {
        return ID;
    }

    /**
     * Reads the settings once and makes the channel.
     *
     * @param settings this channel's settings
     * @return the channel
     * @throws ChannelConfigurationException if {@code chat.url} is missing or not an http(s) URL, or
     *     {@code chat.timeout} is malformed; the message names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        String raw = settings.require("url");
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ChannelConfigurationException(settings.qualifiedKey("url"),
                    settings.qualifiedKey("url") + " is not a URL: " + raw);
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new ChannelConfigurationException(settings.qualifiedKey("url"),
                    settings.qualifiedKey("url") + " must be an http or https URL with a host: " + raw);
        }
        Duration timeout = settings.getDuration("timeout", Duration.ofSeconds(5), Duration.ofMinutes(1));
        return new ChatChannel(url, timeout);
    }
}
