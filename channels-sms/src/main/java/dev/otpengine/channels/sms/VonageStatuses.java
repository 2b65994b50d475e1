package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;

import java.util.Map;

import static java.util.Map.entry;

/**
 * What a non-zero {@code status} in an answer of Vonage's SMS API means. The API answers 200 with one object per
 * message part, {@code {"message-count":"1","messages":[{"status":"0","message-id":"...",...}]}}; status 0 is
 * accepted, any other is a refusal listed in "SMS API error codes"
 * (https://developer.vonage.com/en/messaging/sms/guides/troubleshooting-sms and
 * https://developer.vonage.com/en/api-errors/sms). Its {@code error-text} is never repeated: it may quote the number.
 */
final class VonageStatuses {

    /** Every documented non-zero status. A status not listed is the gateway's: all but four listed here are. */
    static final Map<Integer, Fault.Code> STATUSES = Map.ofEntries(
            // The gateway's: sending too fast, our request or account, or Vonage itself.
            entry(1, Fault.gateways("throttled")), // faster than the account's throughput limit
            entry(2, Fault.gateways("missing parameters")), // from, to, api_key, api_secret or text
            entry(3, Fault.gateways("invalid parameters")), // the number was checked before: our settings' values
            entry(4, Fault.gateways("invalid credentials")),
            entry(5, Fault.gateways("internal error")),
            entry(8, Fault.gateways("partner account barred")), // the account is suspended
            entry(9, Fault.gateways("partner quota violation")), // not enough credit: top up
            entry(10, Fault.gateways("too many existing binds")),
            entry(11, Fault.gateways("account not enabled for http")), // not provisioned for the SMS API
            entry(14, Fault.gateways("invalid signature")),
            entry(15, Fault.destinations("invalid sender address")), // a sender id the account may not use there
            entry(22, Fault.gateways("invalid network code")), // we send none: Vonage's own routing
            entry(23, Fault.gateways("invalid callback url")), // sms.vonage.callbackUrl
            entry(29, Fault.destinations("non-whitelisted destination")), // a demo account: only its test numbers
            entry(32, Fault.gateways("signature and api secret disallowed")),
            // The message's: the number, or a text every gateway would refuse.
            entry(6, Fault.messages("invalid message")), // "for example, an unrecognized number prefix"
            entry(7, Fault.messages("number barred")),
            entry(12, Fault.messages("message too long")),
            entry(33, Fault.messages("number de-activated")));

    private VonageStatuses() {
    }

    /**
     * The failure a non-zero status means.
     *
     * @param status the status
     * @return the failure to complete the send with
     */
    static DeliveryException of(int status) {
        Fault.Code known = STATUSES.get(status);
        String message = "vonage answered status " + status + (known == null ? "" : " (" + known.meaning() + ")");
        return known == null ? DeliveryException.retryable(message) : known.fault().exception(message);
    }
}
