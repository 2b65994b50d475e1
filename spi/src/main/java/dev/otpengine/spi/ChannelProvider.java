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
     * The version of this SPI, {@code major.minor}: {@value}. A minor version adds to the SPI (default methods, new
     * types); a major one may change or remove. 1.1 added {@link Channel#health()},
     * {@link Channel#checkDeliveryTimeout}, {@link Channel#isValidId}, {@link ChannelSettings#clock()} and
     * {@link #requestedSpiVersion()}.
     */
    String SPI_VERSION = "1.1";

    /**
     * The SPI version this provider was built against, checked by the engine before it creates the provider's channel
     * (as SLF4J 2 checks its providers' requested API version): a plugin built against a newer minor version, or
     * another major one, is refused at {@code build()} with a message naming it, rather than failing mid-send with a
     * {@link NoSuchMethodError}. Implement it as {@code return SPI_VERSION;}: the compiler copies the constant into
     * the plugin's class, so it stays the version the plugin was compiled against.
     *
     * @return {@code major.minor}; {@code "1.0"} by default, what a plugin that predates the check asks for
     */
    default String requestedSpiVersion() {
        return "1.0";
    }

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
