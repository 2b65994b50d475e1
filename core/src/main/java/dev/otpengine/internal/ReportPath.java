package dev.otpengine.internal;

import dev.otpengine.DeliveryReport;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivery reports: a vendor's word on a message, tied back through the store to the code it carried and reported
 * to the listeners; a failed one moves an escalating send on at once.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class ReportPath {

    private static final Logger log = LoggerFactory.getLogger(ReportPath.class);

    private final Clock clock;
    private final OtpStore store;
    private final OtpListener listener;
    private final Escalator escalator;

    /**
     * The report path of one engine.
     *
     * @param clock the engine's clock
     * @param store where sent messages are remembered
     * @param listener the engine's listeners
     * @param escalator moves an escalating send on when its message failed
     */
    public ReportPath(Clock clock, OtpStore store, OtpListener listener, Escalator escalator) {
        this.clock = clock;
        this.store = store;
        this.listener = listener;
        this.escalator = escalator;
    }

    /**
     * Takes a report; see {@code OtpEngine.reportDelivery}.
     *
     * @param report the report
     * @return whether the store still remembers the message
     */
    public boolean report(DeliveryReport report) {
        Instant now = clock.instant();
        Optional<SentMessage> found = store.findMessage(report.channelId(), report.providerMessageId(), now);
        if (found.isEmpty()) {
            log.debug("delivery report for unknown message {} of channel {}: {}", report.providerMessageId(),
                    report.channelId(), report.status());
            return false;
        }
        SentMessage message = found.get();
        if (report.gateway() != null && message.gateway() != null && !report.gateway().equals(message.gateway())) {
            log.debug("delivery report from {} for message {} of channel {}, which {} accepted: not taken",
                    report.gateway(), report.providerMessageId(), report.channelId(),
                    message.gateway());
            return false;
        }
        if (store.findCode(message.requestId(), now).isEmpty()) {
            log.debug("delivery report for message {} of channel {}: its code (request {}) is no longer held",
                    report.providerMessageId(), report.channelId(), message.requestId());
            return false;
        }
        if (report.status() == DeliveryReport.Status.FAILED) {
            log.info("message {} of channel {}{} for request {} of widget {} failed: error code {}",
                    report.providerMessageId(), report.channelId(),
                    message.gateway() == null ? "" : " (" + message.gateway() + ")", message.requestId(),
                    message.widgetId(), report.errorCode());
        } else {
            log.debug("message {} of channel {} for request {} was delivered", report.providerMessageId(),
                    report.channelId(), message.requestId());
        }
        listener.onDeliveryReported(new OtpEvent.DeliveryReported(now, message.widgetId(), message.requestId(), report,
                message.gateway()));
        if (report.status() == DeliveryReport.Status.FAILED) {
            escalator.failed(message.requestId(), message.channelId());
        }
        return true;
    }
}
