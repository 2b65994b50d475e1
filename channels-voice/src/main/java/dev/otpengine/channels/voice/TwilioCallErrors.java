package dev.otpengine.channels.voice;

import dev.otpengine.spi.DeliveryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * What a refusal of Twilio's Calls API means. Twilio answers an error with an HTTP status and a JSON body
 * {@code {"code":21211,"message":"...","more_info":"https://www.twilio.com/docs/errors/21211","status":400}}
 * (https://www.twilio.com/docs/usage/troubleshooting/debugging-your-application); the code, from Twilio's error
 * dictionary (https://www.twilio.com/docs/api/errors, one page each: https://www.twilio.com/docs/api/errors/{code}),
 * says whose fault it is, as for the SMS channel's Twilio gateway. The body's {@code message} is never repeated: it
 * quotes the number.
 *
 * <p>The number's fault (invalid, unreachable, blocked as high-risk) is permanent: no other try, by this vendor or
 * another, is paid for. Twilio's and the account's (credentials, caller id, Geo Permissions, throttling, an outage)
 * are retryable: another vendor may deliver, and they count against this one. The account's configuration fails every
 * call alike, so it is logged at ERROR once per code, naming what to fix.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class TwilioCallErrors {

    private static final Logger log = LoggerFactory.getLogger(VoiceChannel.class);
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

    /**
     * A documented code.
     *
     * @param numbers whether it is the number's fault (permanent); else the vendor's or the account's (retryable)
     * @param meaning a few words from Twilio's title
     * @param fix what to fix in the configuration, naming the setting; {@code null} when there is nothing to fix
     */
    record Code(boolean numbers, String meaning, String fix) {
    }

    /** The codes a call create can answer with; others follow the HTTP status (see {@link #of}). */
    static final Map<Integer, Code> CODES = Map.ofEntries(
            // The number's: every vendor would refuse or fail it.
            entry(21211, numbers("invalid 'To' phone number")),
            entry(21214, numbers("'To' phone number cannot be reached")),
            entry(21216, numbers("the number is blocked (high-risk)")),
            entry(21217, numbers("phone number does not appear to be valid")),
            entry(13223, numbers("phone number format is not valid")),
            entry(13224, numbers("invalid phone number")),
            // Twilio's: throttling and outages.
            entry(20429, vendors("too many requests", null)),
            entry(20500, vendors("internal server error", null)),
            entry(20503, vendors("service unavailable", null)),
            // The account's configuration.
            entry(20003, vendors("authentication failed", "check voice.twilio.accountSid and voice.twilio.authToken")),
            entry(20005, vendors("account not active", "check the Twilio account of voice.twilio.accountSid")),
            entry(20404, vendors("resource not found", "check voice.twilio.accountSid")),
            entry(21210, vendors("'From' phone number not verified",
                    "set voice.twilio.from to a number of the account or a verified caller id")),
            entry(21212, vendors("invalid 'From' number",
                    "set voice.twilio.from to a number of the account or a verified caller id")),
            entry(21213, vendors("'From' phone number is required", "set voice.twilio.from")),
            entry(21215, vendors("Geo Permissions do not allow calling this country",
                    "enable the destination in the Twilio Console's Voice Geographic Permissions")),
            entry(21219, vendors("'To' phone number not verified (trial account)",
                    "upgrade the Twilio account of voice.twilio.accountSid or verify the number")),
            entry(21205, vendors("invalid url", "check voice.twilio.statusCallbackUrl")));

    private final Set<Integer> logged = ConcurrentHashMap.newKeySet();

    private static Code numbers(String meaning) {
        return new Code(true, meaning, null);
    }

    private static Code vendors(String meaning, String fix) {
        return new Code(false, meaning, fix);
    }

    /**
     * The failure an error answer means, logging a configuration error once per code. 429 and 5xx are Twilio's
     * whatever the body says; else a listed code decides; else 401 and 403 (credentials) are the account's and other
     * statuses the number's.
     *
     * @param status the HTTP status, not 2xx
     * @param body the answer's body, JSON or anything else
     */
    DeliveryException of(int status, String body) {
        Matcher m = CODE.matcher(body == null ? "" : body);
        Integer code = m.find() ? Integer.valueOf(m.group(1)) : null;
        Code known = code == null ? null : CODES.get(code);
        String message = "twilio answered HTTP " + status + (code == null ? "" : " with error " + code)
                + (known == null ? "" : " (" + known.meaning() + ")");
        if (known != null && known.fix() != null) {
            message = message + ": " + known.fix();
            if (logged.add(code)) {
                log.error("voice channel: {}; every call fails alike until it is fixed", message);
            }
        }
        if (status == 429 || status >= 500) {
            return DeliveryException.retryable(message);
        }
        if (known != null) {
            return known.numbers() ? DeliveryException.permanent(message) : DeliveryException.retryable(message);
        }
        return status == 401 || status == 403 ? DeliveryException.retryable(message) : DeliveryException.permanent(message);
    }
}
