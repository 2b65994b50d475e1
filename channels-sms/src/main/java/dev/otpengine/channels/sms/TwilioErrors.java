package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * What a refusal from Twilio's Messages API means. Twilio answers an error with an HTTP status and a JSON body
 * {@code {"code":21211,"message":"...","more_info":"https://www.twilio.com/docs/errors/21211","status":400}}
 * (https://www.twilio.com/docs/usage/troubleshooting/debugging-your-application); the code, from Twilio's error and
 * warning dictionary (https://www.twilio.com/docs/api/errors), says whose fault it is. The body's {@code message}
 * is never repeated: it quotes the number.
 */
final class TwilioErrors {

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

    /**
     * The codes a message create can answer with, each from its page https://www.twilio.com/docs/api/errors/{code}.
     * Codes not listed here keep the rule of the HTTP status (below).
     */
    static final Map<Integer, Fault.Code> CODES = Map.ofEntries(
            // The gateway's: our account, credentials, sender or Twilio itself.
            entry(20003, Fault.gateways("authentication failed")), // 401: wrong account sid or auth token
            entry(20005, Fault.gateways("account not active")), // suspended or closed account
            entry(20404, Fault.gateways("resource not found")), // no such account or messaging service
            entry(20429, Fault.gateways("too many requests")), // the account's concurrency limit
            entry(20500, Fault.gateways("internal server error")),
            entry(20503, Fault.gateways("service unavailable")),
            entry(21212, Fault.gateways("invalid 'From' number")), // our sender, not the recipient
            entry(21401, Fault.gateways("invalid sender phone number")), // not a number or sender id of the account
            entry(21408, Fault.destinations("account not permitted to send to the region")), // geo permissions
            entry(21606, Fault.destinations("'From' number cannot send to this destination")), // not message-capable
            entry(21608, Fault.gateways("trial account may only send to verified numbers")),
            entry(21611, Fault.gateways("'From' number has too many queued messages")), // throttling per sender
            entry(21612, Fault.destinations("no route for this 'To' and 'From'")), // sender restrictions, no carrier link
            entry(21659, Fault.gateways("'From' is not a Twilio number of the account")),
            // The message's: the number, or a text every gateway would refuse.
            entry(21211, Fault.messages("invalid 'To' number")),
            entry(21407, Fault.messages("number type does not support sms")),
            entry(21610, Fault.messages("recipient unsubscribed (stop)")),
            entry(21614, Fault.messages("'To' is not a mobile number")),
            entry(21617, Fault.messages("text longer than 1600 characters")),
            entry(21635, Fault.messages("'To' is a landline")));

    private TwilioErrors() {
    }

    /**
     * The failure an error answer means. 429 and 5xx are the gateway's whatever the body says; else a code listed in
     * {@link #CODES} decides; else 401 and 403 (credentials) are the gateway's and other statuses, as before codes
     * were read, the message's.
     *
     * @param status the HTTP status, not 2xx
     * @param body the answer's body, JSON or anything else
     * @return the failure to complete the send with
     */
    static DeliveryException of(int status, String body) {
        Matcher m = CODE.matcher(body == null ? "" : body);
        Integer code = m.find() ? Integer.valueOf(m.group(1)) : null;
        Fault.Code known = code == null ? null : CODES.get(code);
        String message = "twilio answered HTTP " + status + (code == null ? "" : " with error " + code)
                + (known == null ? "" : " (" + known.meaning() + ")");
        if (status == 429 || status >= 500) {
            return DeliveryException.retryable(message);
        }
        if (known != null) {
            return known.fault().exception(message);
        }
        return status == 401 || status == 403 ? DeliveryException.retryable(message) : DeliveryException.permanent(message);
    }
}
