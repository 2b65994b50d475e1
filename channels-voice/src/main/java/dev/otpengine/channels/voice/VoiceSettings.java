package dev.otpengine.channels.voice;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * The channel's settings, read and checked once when the engine is built; every error names its full key and never
 * the auth token.
 *
 * @param accountSid the Twilio account, {@code AC} and 32 hex digits
 * @param authToken its auth token (basic auth password)
 * @param from the caller id: a Twilio number of the account or a verified one, E.164
 * @param callsUri where calls are made: {@code {baseUrl}/2010-04-01/Accounts/{accountSid}/Calls.json}
 * @param statusCallbackUrl where Twilio posts the call's final status, sent as {@code StatusCallback}; or {@code null}
 * @param repeat how many times the code is read in one call
 * @param timeout how long one request to Twilio may take
 * @param voices the {@code <Say>} language and voice for each locale
 */
record VoiceSettings(String accountSid, String authToken, String from, URI callsUri, URI statusCallbackUrl, int repeat,
                     Duration timeout, SayVoices voices) {

    /** Twilio's REST API host. */
    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    /** How many times the code is read unless set: {@value}. */
    static final int DEFAULT_REPEAT = 2;
    /** Most reads of the code in one call: {@value} (more only lengthens a call someone has already heard). */
    static final int MAX_REPEAT = 5;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    @Override
    public String toString() {
        return "VoiceSettings[accountSid=" + accountSid + ", authToken=****, from=" + Recipient.maskPhone(from)
                + ", callsUri=" + callsUri + ", statusCallbackUrl=" + statusCallbackUrl + ", repeat=" + repeat
                + ", timeout=" + timeout + "]";
    }

    static VoiceSettings from(ChannelSettings s) {
        String accountSid = s.require("twilio.accountSid");
        if (!accountSid.matches("AC[0-9a-fA-F]{32}")) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.accountSid"), "setting "
                    + s.qualifiedKey("twilio.accountSid") + " must be AC followed by 32 hex digits");
        }
        String token = s.require("twilio.authToken");
        String from;
        try {
            from = Recipient.normalizePhone(s.require("twilio.from"));
        } catch (IllegalArgumentException e) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.from"), "setting "
                    + s.qualifiedKey("twilio.from") + " must be a phone number in E.164 format, such as +12025550162");
        }
        URI calls = URI.create(url(s, "twilio.baseUrl").map(URI::toString).orElse(DEFAULT_BASE_URL).replaceAll("/+$", "")
                + "/2010-04-01/Accounts/" + accountSid + "/Calls.json");
        return new VoiceSettings(accountSid, token, from, calls, url(s, "twilio.statusCallbackUrl").orElse(null),
                s.getInt("repeat", DEFAULT_REPEAT, 1, MAX_REPEAT), s.getDuration("timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT),
                SayVoices.from(s));
    }

    /** A URL setting: absolute, http or https, with a host. */
    private static Optional<URI> url(ChannelSettings s, String key) {
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
        } catch (URISyntaxException e) {
            // refused below, as any other bad value
        }
        throw new ChannelConfigurationException(s.qualifiedKey(key),
                "setting " + s.qualifiedKey(key) + " must be an http or https URL");
    }
}
