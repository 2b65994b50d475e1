package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;

import java.net.URI;

/**
 * The {@code twilio} gateway's settings, read and checked once when the channel is made; every error names its full
 * key.
 *
 * @param accountSid the account, {@code AC} and 32 hex digits
 * @param authToken its auth token (basic auth password)
 * @param senderField {@code From} or {@code MessagingServiceSid}, whichever is set
 * @param sender the sender number or alphanumeric id, or the messaging service's sid
 * @param messagesUri where messages are created: {@code {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json}
 * @param statusCallbackUrl where Twilio posts the message's status changes, sent as {@code StatusCallback}; or
 *     {@code null} for none
 */
record TwilioSettings(String accountSid, String authToken, String senderField, String sender, URI messagesUri,
                      URI statusCallbackUrl) {

    static final String DEFAULT_BASE_URL = "https://api.twilio.com";

    @Override
    public String toString() {
        return "TwilioSettings[accountSid=" + accountSid + ", authToken=****, " + senderField + "=" + sender
                + ", messagesUri=" + messagesUri + ", statusCallbackUrl=" + statusCallbackUrl + "]";
    }

    static TwilioSettings from(ChannelSettings s) {
        String accountSid = s.require("twilio.accountSid");
        if (!accountSid.matches("AC[0-9a-fA-F]{32}")) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.accountSid"), "setting "
                    + s.qualifiedKey("twilio.accountSid") + " must be AC followed by 32 hex digits");
        }
        String token = s.require("twilio.authToken");
        String from = s.get("twilio.from").orElse(null);
        String service = s.get("twilio.messagingServiceSid").orElse(null);
        if ((from == null) == (service == null)) {
            throw new ChannelConfigurationException(s.qualifiedKey("twilio.from"), "set exactly one of "
                    + s.qualifiedKey("twilio.from") + " and " + s.qualifiedKey("twilio.messagingServiceSid"));
        }
        URI messages = URI.create(HttpUrls.base(s, "twilio.baseUrl", DEFAULT_BASE_URL) + "/2010-04-01/Accounts/"
                + accountSid + "/Messages.json");
        return new TwilioSettings(accountSid, token, from != null ? "From" : "MessagingServiceSid",
                from != null ? from : service, messages, HttpUrls.read(s, "twilio.statusCallbackUrl").orElse(null));
    }
}
