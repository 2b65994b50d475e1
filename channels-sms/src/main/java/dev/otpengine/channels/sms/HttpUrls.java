package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;

import java.net.URI;
import java.util.Optional;

/** The one reading of a URL setting (an API host, a webhook): absolute, http or https, with a host. */
final class HttpUrls {

    private HttpUrls() {
    }

    /**
     * Reads a URL setting.
     *
     * @param s the channel's settings
     * @param key the key without the channel prefix
     * @return the URL, or empty when the setting is absent
     * @throws ChannelConfigurationException if it is not an absolute http or https URL with a host
     */
    static Optional<URI> read(ChannelSettings s, String key) {
        Optional<String> raw = s.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // refused below, with the same message as any other bad value
        }
        throw new ChannelConfigurationException(s.qualifiedKey(key),
                "setting " + s.qualifiedKey(key) + " must be an http or https URL");
    }

    /** An API host: the setting, else the vendor's, without trailing slashes so that paths can be appended. */
    static String base(ChannelSettings s, String key, String defaultUrl) {
        return read(s, key).map(URI::toString).orElse(defaultUrl).replaceAll("/+$", "");
    }
}
