package dev.otpengine.internal;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds {@link ChannelProvider}s with {@link ServiceLoader} and creates their channels from settings keyed
 * {@code <channelId>.<key>}. A provider that fails to load is logged and skipped, so one broken jar does not
 * stop the rest; a provider given no settings at all is skipped with one INFO line, so that a jar on the class path
 * the user did not mean to configure (the SMS channel beside the email one) does not stop the engine; a provider
 * given some settings, or {@code <id>.enabled=true}, is one the user asked for: wrong or missing settings fail the
 * build, naming the key.
 */
public final class ChannelDiscovery {

    private static final Logger log = LoggerFactory.getLogger(ChannelDiscovery.class);

    private ChannelDiscovery() {
    }

    /**
     * Creates a channel for every provider found, except those disabled by {@code <id>.enabled=false}, those given
     * no setting at all (unless {@code <id>.enabled=true}) and those whose id {@code taken} already holds.
     *
     * @param settings every channel's settings, keys with channel prefixes
     * @param loader where to look for providers
     * @param taken ids of channels registered explicitly, which win over discovered ones
     * @param clock the engine's clock, handed to each channel with its settings
     * @return the new channels, in the order the providers were found
     * @throws ChannelConfigurationException if a provider's settings are missing a key or malformed
     * @throws IllegalStateException if two providers share an id, or a provider fails to create its channel
     */
    public static List<Channel> discover(Map<String, String> settings, ClassLoader loader, Set<String> taken,
                                         Clock clock) {
        Map<String, ChannelProvider> providers = providers(loader);
        warnAboutUnknownPrefixes(settings, providers.keySet(), taken);
        List<Channel> channels = new ArrayList<>();
        try {
            for (ChannelProvider provider : providers.values()) {
                String id = provider.id();
                ChannelSettings own = ChannelSettings.forChannel(id, settings).withClock(clock);
                if (taken.contains(id)) {
                    log.info("channel {} was registered explicitly; the discovered {} is not used", id,
                            provider.getClass().getName());
                } else if (!own.getBoolean("enabled", true)) {
                    log.debug("channel {} is disabled by {}=false", id, own.qualifiedKey("enabled"));
                } else if (own.keys().isEmpty()) {
                    log.info("channel plugin {} ({}) was found but given no {}.* settings, so it is not used; configure "
                            + "it, or set {}=false to leave it out without this line", id, provider.getClass().getName(),
                            id, own.qualifiedKey("enabled"));
                } else {
                    channels.add(create(provider, own));
                }
            }
            return channels;
        } catch (RuntimeException e) {
            channels.forEach(ChannelDiscovery::closeQuietly);
            throw e;
        }
    }

    private static Map<String, ChannelProvider> providers(ClassLoader loader) {
        Map<String, ChannelProvider> providers = new LinkedHashMap<>();
        Iterator<ChannelProvider> found = ServiceLoader.load(ChannelProvider.class, loader).iterator();
        while (true) {
            ChannelProvider provider;
            try {
                if (!found.hasNext()) {
                    return providers;
                }
                provider = found.next();
            } catch (ServiceConfigurationError e) {
                log.warn("skipped a channel provider that failed to load: {}", e.getMessage());
                continue;
            }
            String id = provider.id();
            if (id == null || !Channel.isValidId(id)) {
                log.warn("skipped channel provider {}: its id {} is not lowercase letters, digits, - or _",
                        provider.getClass().getName(), id);
                continue;
            }
            ChannelProvider other = providers.putIfAbsent(id, provider);
            if (other != null) {
                throw new IllegalStateException("two channel providers have the id " + id + ": "
                        + other.getClass().getName() + " and " + provider.getClass().getName()
                        + "; remove one of their jars from the class path");
            }
        }
    }

    /**
     * Refuses a provider built against an SPI this engine does not implement: another major version, or a newer minor
     * one, whose methods the engine's {@code otpengine-spi} lacks.
     *
     * @throws IllegalStateException naming the plugin, both versions and the fix
     */
    static void checkSpiVersion(ChannelProvider provider) {
        String requested;
        try {
            requested = provider.requestedSpiVersion();
        } catch (RuntimeException | LinkageError e) {
            requested = null;
        }
        int[] wanted = parse(requested);
        int[] have = parse(ChannelProvider.SPI_VERSION);
        if (wanted == null || wanted[0] != have[0] || wanted[1] > have[1]) {
            throw new IllegalStateException("channel plugin " + provider.id() + " (" + provider.getClass().getName()
                    + ") was built against otpengine-spi " + requested + ", which this engine's otpengine-spi "
                    + ChannelProvider.SPI_VERSION + " does not implement: use otpengine-core and otpengine-spi of the "
                    + "plugin's release or later, or a plugin built for SPI " + ChannelProvider.SPI_VERSION);
        }
    }

    private static int[] parse(String version) {
        if (version == null || !version.matches("[0-9]{1,4}\\.[0-9]{1,4}")) {
            return null;
        }
        int dot = version.indexOf('.');
        return new int[] {Integer.parseInt(version.substring(0, dot)), Integer.parseInt(version.substring(dot + 1))};
    }

    private static Channel create(ChannelProvider provider, ChannelSettings settings) {
        checkSpiVersion(provider);
        Channel channel;
        try {
            channel = provider.create(settings);
        } catch (ChannelConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("channel provider " + provider.getClass().getName() + " failed to create channel "
                    + settings.channelId() + ": " + e.getMessage(), e);
        }
        if (channel == null || !settings.channelId().equals(channel.id())) {
            closeQuietly(channel);
            throw new IllegalStateException("channel provider " + provider.getClass().getName() + " with id "
                    + settings.channelId() + " created a channel with id " + (channel == null ? null : channel.id()));
        }
        return channel;
    }

    private static void warnAboutUnknownPrefixes(Map<String, String> settings, Set<String> found, Set<String> taken) {
        settings.keySet().stream()
                .map(key -> key.indexOf('.') > 0 ? key.substring(0, key.indexOf('.')) : key)
                .distinct()
                .filter(prefix -> !found.contains(prefix) && !taken.contains(prefix))
                .forEach(prefix -> log.warn("settings under {}. name no channel found on the class path; "
                        + "is its jar missing, or the prefix misspelt? (found: {})", prefix, found));
    }

    /**
     * Closes a channel, logging instead of throwing.
     *
     * @param channel the channel, or {@code null}
     */
    public static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (RuntimeException e) {
            log.warn("closing channel {} failed", channel.id(), Redaction.forLog(e, Redaction::generic));
        }
    }
}
