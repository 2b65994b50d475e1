package dev.otpengine.internal;

import dev.otpengine.InternalServerErrorException;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpEvent.Operation;
import dev.otpengine.OtpException;
import dev.otpengine.OtpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns a failure into what the caller gets, and tells the listeners: an {@link OtpException} as it is, anything
 * else as an {@link InternalServerErrorException}, logged at ERROR, since it means the engine itself failed.
 *
 * <p><b>Thread-safety:</b> thread-safe if the listener is.
 */
public final class Refusals {

    private static final Logger log = LoggerFactory.getLogger("dev.otpengine.OtpEngine");

    private final Clock clock;
    private final OtpListener listener;

    /**
     * Refusals reported to a listener.
     *
     * @param clock the engine's clock, for the event's time
     * @param listener the engine's listeners
     */
    public Refusals(Clock clock, OtpListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Reports a refusal and gives the exception to throw.
     *
     * @param widgetId the widget, or {@code null} if unknown
     * @param operation what was refused
     * @param e why
     * @return the exception the caller gets
     */
    public OtpException refused(UUID widgetId, Operation operation, RuntimeException e) {
        OtpException refusal;
        if (e instanceof OtpException) {
            refusal = (OtpException) e;
        } else {
            // whatever the failure says may hold a phone, an email or a code the engine cannot name here
            Throwable redacted = Redaction.forLog(e, Redaction::generic);
            log.error("{} failed inside the engine", operation, redacted);
            refusal = new InternalServerErrorException(redacted); // the caller and the listeners get frames, not data
        }
        listener.onRejected(new OtpEvent.Rejected(instantOrEpoch(), widgetId, operation, refusal));
        return refusal;
    }

    private Instant instantOrEpoch() {
        try {
            return clock.instant();
        } catch (RuntimeException e) {
            return Instant.EPOCH; // the clock itself is what failed
        }
    }
}
