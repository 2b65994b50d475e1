package dev.otpengine;

/**
 * How a send uses the widget's channels that can reach the recipient.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum DeliveryMode {

    /**
     * Send the one code through every channel at once, in parallel (SMS and email together). The send
     * succeeds if any channel accepts; the others' failures are listed in the result. The default.
     */
    ALL,

    /**
     * Try the channels one at a time, in the widget's order, and stop at the first that accepts.
     */
    FALLBACK
}
