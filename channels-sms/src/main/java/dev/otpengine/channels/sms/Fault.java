package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;

/**
 * Whose fault a gateway's refusal is. That decides both whether the same text goes on to the next gateway in
 * {@code sms.gateway} and whether the refusal counts against the gateway's circuit breaker.
 */
enum Fault {

    /**
     * The gateway's: it is down, slow, throttling, out of balance, or our account there is misconfigured (credentials,
     * sender, permissions). Another gateway may deliver the same text, so it is tried; counts against the circuit.
     */
    GATEWAY,

    /**
     * The message's: its number (invalid, not a mobile, unsubscribed, barred, deactivated) or its text (too long).
     * Every gateway would refuse it, so none is paid to try; does not count against the circuit.
     */
    MESSAGE;

    /**
     * A vendor's documented error code and what it means.
     *
     * @param fault whose fault it is
     * @param meaning a few words for the error text; never the vendor's own message, which may quote the number
     */
    record Code(Fault fault, String meaning) {
    }

    static Code gateways(String meaning) {
        return new Code(GATEWAY, meaning);
    }

    static Code messages(String meaning) {
        return new Code(MESSAGE, meaning);
    }

    /** The gateway's fault is retryable (fail over), the message's permanent. */
    DeliveryException exception(String message) {
        return this == GATEWAY ? DeliveryException.retryable(message) : DeliveryException.permanent(message);
    }

    /** Whether a failure a gateway completed with is the gateway's fault: anything but a permanent DeliveryException. */
    static boolean isGateways(Throwable failure) {
        return !(failure instanceof DeliveryException) || ((DeliveryException) failure).isRetryable();
    }
}
