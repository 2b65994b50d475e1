package dev.otpengine.spi;

/**
 * Creates a {@link Channel} from settings: the service that {@code OtpEngine.Builder.discoverChannels}
 * finds through {@link java.util.ServiceLoader}.
 *
 * <p>A provider needs a public no-argument constructor, and is registered both in the plugin's
 * {@code module-info} ({@code provides dev.otpengine.spi.ChannelProvider with ...}) and in
 * {@code META-INF/services/dev.otpengine.spi.ChannelProvider}.
 *
 * <p><b>Thread-safety:</b> the engine calls a provider from one thread, while an engine is being built;
 * a provider need not be thread-safe, the channels it creates must be.
 */
public interface ChannelProvider {

    /**
     * The id of the channels this provider creates; also the prefix of its settings
     * ({@code "email"} reads {@code email.smtp.host}).
     *
     * @return the id, never {@code null}
     */
    String id();

    /**
     * Creates a channel.
     *
     * @param settings this channel's settings, with the {@code id + "."} prefix already removed
     * @return a new channel whose {@link Channel#id()} equals {@link #id()}
     * @throws ChannelConfigurationException if a required setting is missing or a setting is malformed;
     *     the engine's {@code build()} lets it through, so the user sees which key to fix
     */
    Channel create(ChannelSettings settings);
}
