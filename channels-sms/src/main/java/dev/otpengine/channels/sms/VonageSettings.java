package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelSettings;

import java.net.URI;

/**
 * The {@code vonage} gateway's settings, read and checked once when the channel is made; every error names its full
 * key.
 *
 * @param apiKey the account's API key ({@code api_key})
 * @param apiSecret its API secret ({@code api_secret})
 * @param from the sender: an alphanumeric id, or a number, which is sent without a leading {@code +} as Vonage's
 *     numbers are
 * @param smsUri where texts are sent: {@code {baseUrl}/sms/json}
 * @param callbackUrl where Vonage posts this message's delivery receipt, sent as {@code callback}; or {@code null}
 *     for the account's default
 */
record VonageSettings(String apiKey, String apiSecret, String from, URI smsUri, URI callbackUrl) {

    static final String DEFAULT_BASE_URL = "https://rest.nexmo.com";

    @Override
    public String toString() {
        return "VonageSettings[apiKey=" + apiKey + ", apiSecret=****, from=" + from + ", smsUri=" + smsUri
                + ", callbackUrl=" + callbackUrl + "]";
    }

    static VonageSettings from(ChannelSettings s) {
        String from = s.require("vonage.from");
        if (from.matches("\\+[0-9]+")) {
            from = from.substring(1);
        }
        return new VonageSettings(s.require("vonage.apiKey"), s.require("vonage.apiSecret"), from,
                URI.create(HttpUrls.base(s, "vonage.baseUrl", DEFAULT_BASE_URL) + "/sms/json"),
                HttpUrls.read(s, "vonage.callbackUrl").orElse(null));
    }
}
