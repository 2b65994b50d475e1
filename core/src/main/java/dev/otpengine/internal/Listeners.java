package dev.otpengine.internal;

import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.spi.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Several listeners as one, each called in turn; an exception from one is logged and does not reach the
 * engine or the listeners after it.
 */
public final class Listeners implements OtpListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<OtpListener> listeners;

    private Listeners(List<OtpListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * One listener for many.
     *
     * @param listeners the listeners, in call order
     * @return {@link OtpListener#NONE} for none, else a listener that calls each
     */
    public static OtpListener of(List<OtpListener> listeners) {
        return listeners.isEmpty() ? OtpListener.NONE : new Listeners(List.copyOf(listeners));
    }

    @Override
    public void onSent(OtpEvent.Sent event) {
        each(event, OtpListener::onSent);
    }

    @Override
    public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
        each(event, OtpListener::onDeliveryFailed);
    }

    @Override
    public void onVerified(OtpEvent.Verified event) {
        each(event, OtpListener::onVerified);
    }

    @Override
    public void onVerifyFailed(OtpEvent.VerifyFailed event) {
        each(event, OtpListener::onVerifyFailed);
    }

    @Override
    public void onRejected(OtpEvent.Rejected event) {
        each(event, OtpListener::onRejected);
    }

    @Override
    public void onCountryCutOff(OtpEvent.CountryCutOff event) {
        each(event, OtpListener::onCountryCutOff);
    }

    @Override
    public void onDeliveryReported(OtpEvent.DeliveryReported event) {
        each(event, OtpListener::onDeliveryReported);
    }

    @Override
    public void onEscalated(OtpEvent.Escalated event) {
        each(event, OtpListener::onEscalated);
    }

    private <E extends OtpEvent> void each(E event, BiConsumer<OtpListener, E> call) {
        for (OtpListener listener : listeners) {
            try {
                call.accept(listener, event);
            } catch (RuntimeException e) {
                Recipient about = recipientOf(event);
                log.warn("listener {} threw on {}; ignored", listener.getClass().getName(),
                        event.getClass().getSimpleName(), Redaction.forLog(e, text -> Redaction.generic(
                                about == null ? text : Redaction.redact(text, about, null))));
            }
        }
    }

    /** Whom an event is about, if anyone: what a listener's exception is most likely to name. */
    private static Recipient recipientOf(OtpEvent event) {
        if (event instanceof OtpEvent.Sent) {
            return ((OtpEvent.Sent) event).recipient();
        }
        if (event instanceof OtpEvent.DeliveryFailed) {
            return ((OtpEvent.DeliveryFailed) event).recipient();
        }
        if (event instanceof OtpEvent.Verified) {
            return ((OtpEvent.Verified) event).recipient();
        }
        if (event instanceof OtpEvent.VerifyFailed) {
            return ((OtpEvent.VerifyFailed) event).recipient();
        }
        if (event instanceof OtpEvent.Escalated) {
            return ((OtpEvent.Escalated) event).recipient();
        }
        return null;
    }
}
