package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The channel's settings, read and checked once when the engine is built; every error names its full key and never
 * a value that may be a secret.
 *
 * @param accessToken the bearer token of a system user with the {@code whatsapp_business_messaging} permission
 * @param phoneNumberId the id of the business phone number that sends (not the number itself)
 * @param template the name of the approved authentication template
 * @param messagesUri where messages are sent: {@code {baseUrl}/{apiVersion}/{phoneNumberId}/messages}
 * @param timeout how long one request may take
 * @param languages the template language for each locale
 */
record WhatsAppSettings(String accessToken, String phoneNumberId, String template, URI messagesUri, Duration timeout,
                        TemplateLanguages languages) {

    /** Meta's Graph API host. */
    static final String DEFAULT_BASE_URL = "https://graph.facebook.com";
    /** A Graph API version current when this channel was written (October 2025); each lives about two years. */
    static final String DEFAULT_API_VERSION = "v24.0";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    private static final Pattern API_VERSION = Pattern.compile("v[1-9][0-9]{0,2}\\.[0-9]");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[0-9]{1,32}");
    /** Template names are lowercase letters, digits and underscores, at most 512 characters (Meta's template rules). */
    private static final Pattern TEMPLATE = Pattern.compile("[a-z0-9_]{1,512}");

    @Override
    public String toString() {
        return "WhatsAppSettings[accessToken=****, phoneNumberId=" + phoneNumberId + ", template=" + template
                + ", messagesUri=" + messagesUri + ", timeout=" + timeout + "]";
    }

    static WhatsAppSettings from(ChannelSettings s) {
        String token = s.require("accessToken");
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ChannelConfigurationException(s.qualifiedKey("accessToken"), "setting "
                    + s.qualifiedKey("accessToken") + " must be a token of printable ASCII characters without spaces");
        }
        String phoneNumberId = s.require("phoneNumberId");
        if (!PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw new ChannelConfigurationException(s.qualifiedKey("phoneNumberId"), "setting "
                    + s.qualifiedKey("phoneNumberId") + " must be the numeric id of the business phone number (WhatsApp "
                    + "Manager > API Setup), not the number itself");
        }
        String template = s.require("template");
        if (!TEMPLATE.matcher(template).matches()) {
            throw new ChannelConfigurationException(s.qualifiedKey("template"), "setting " + s.qualifiedKey("template")
                    + " must be a template name of lowercase letters, digits and underscores: " + template);
        }
        String version = s.get("apiVersion", DEFAULT_API_VERSION);
        if (!API_VERSION.matcher(version).matches()) {
            throw new ChannelConfigurationException(s.qualifiedKey("apiVersion"), "setting "
                    + s.qualifiedKey("apiVersion") + " must be a Graph API version such as " + DEFAULT_API_VERSION + ": "
                    + version);
        }
        URI messages = URI.create(base(s) + "/" + version + "/" + phoneNumberId + "/messages");
        return new WhatsAppSettings(token, phoneNumberId, template, messages,
                s.getDuration("timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT), TemplateLanguages.from(s));
    }

    /** {@code whatsapp.baseUrl}: an absolute http or https URL with a host, without trailing slashes. */
    private static String base(ChannelSettings s) {
        String raw = s.get("baseUrl", DEFAULT_BASE_URL);
        try {
            URI uri = new URI(raw);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return raw.replaceAll("/+$", "");
            }
        } catch (URISyntaxException e) {
            // refused below, as any other bad value
        }
        throw new ChannelConfigurationException(s.qualifiedKey("baseUrl"),
                "setting " + s.qualifiedKey("baseUrl") + " must be an http or https URL");
    }
}
