package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Twilio and Vonage played by one {@link RecordingHttpServer}: the settings that point the SMS channel at it, the
 * paths each vendor is scripted by, and their answers as each vendor documents them.
 */
final class ScriptedVendors {

    static final String TWILIO = "/2010-04-01/";
    static final String VONAGE = "/sms/json";
    static final String TWILIO_OK = "{\"sid\": \"SM0123456789abcdef0123456789abcdef\", \"status\": \"queued\"}";
    static final String VONAGE_OK = "{\"message-count\": \"1\", \"messages\": [{\"to\": \"79991234567\", "
            + "\"message-id\": \"0A0000000123ABCD1\", \"status\": \"0\", \"remaining-balance\": \"3.14159265\", "
            + "\"message-price\": \"0.03330000\", \"network\": \"25001\"}]}";

    private ScriptedVendors() {
    }

    /** Twilio's error body (https://www.twilio.com/docs/usage/troubleshooting/debugging-your-application). */
    static String twilioError(int code, int status) {
        return "{\"code\": " + code + ", \"message\": \"The 'To' number +79991234567 is not valid.\", "
                + "\"more_info\": \"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}";
    }

    /** Vonage's refusal: a 200 with a non-zero status and an error text. */
    static String vonageStatus(int status) {
        return "{\"message-count\": \"1\", \"messages\": [{\"status\": \"" + status + "\", "
                + "\"error-text\": \"refused 79991234567\"}]}";
    }

    /** Settings for {@code sms.gateway=<gateways>} with both vendors pointed at the server. */
    static Map<String, String> settings(RecordingHttpServer server, String gateways) {
        Map<String, String> s = new HashMap<>();
        s.put("sms.gateway", gateways);
        s.put("sms.twilio.accountSid", HttpGatewaysTest.SID);
        s.put("sms.twilio.authToken", "token-xyz");
        s.put("sms.twilio.from", "+15005550006");
        s.put("sms.twilio.baseUrl", server.url());
        s.put("sms.vonage.apiKey", "key-123");
        s.put("sms.vonage.apiSecret", "secret-456");
        s.put("sms.vonage.from", "Acme");
        s.put("sms.vonage.baseUrl", server.url());
        return s;
    }

    static SmsChannel channel(Map<String, String> settings, Clock clock) {
        return (SmsChannel) new SmsChannelProvider().create(ChannelSettings.forChannel("sms", settings).withClock(clock));
    }

    /** Delivers and waits, throwing what the stage failed with. */
    static DeliveryReceipt deliver(SmsChannel channel, OtpMessage message) throws Exception {
        try {
            return channel.deliver(message).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
