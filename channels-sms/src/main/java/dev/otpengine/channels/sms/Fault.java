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
     * The gateway's, but for this destination only: our account there may not send to the number's region (geo
     * permissions), has no route to it, or has a sender it may not use there. Another gateway may reach it, so the
     * text goes on; but it does not count against the circuit: whoever picks the numbers picks these refusals, and
     * must not be able to open a vendor's circuit for everyone else (each such number still costs one call at the next
     * gateway, which the engine's limits and toll-fraud guard bound).
     */
    DESTINATION,

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

    static Code destinations(String meaning) {
        return new Code(DESTINATION, meaning);
    }

    static Code messages(String meaning) {
        return new Code(MESSAGE, meaning);
    }

    /** The gateway's fault is retryable (fail over), the destination's too but marked, the message's permanent. */
    DeliveryException exception(String message) {
        switch (this) {
            case GATEWAY:
                return DeliveryException.retryable(message);
            case DESTINATION:
                return new DestinationRefused(message);
            default:
                return DeliveryException.permanent(message);
        }
    }

    /** Whether a failure a gateway completed with is the gateway's fault: anything but a permanent DeliveryException. */
    static boolean isGateways(Throwable failure) {
        return !(failure instanceof DeliveryException) || ((DeliveryException) failure).isRetryable();
    }

    /** Whether a failure counts against the gateway's circuit: the gateway's fault, but not one for one destination. */
    static boolean countsAgainstCircuit(Throwable failure) {
        return isGateways(failure) && !(failure instanceof DestinationRefused);
    }

    /** A gateway's refusal of one destination: retryable elsewhere, never held against the gateway's circuit. */
    static final class DestinationRefused extends DeliveryException {

        private static final long serialVersionUID = 1L;

        DestinationRefused(String message) {
            super(message, null, true);
        }
    }
}
