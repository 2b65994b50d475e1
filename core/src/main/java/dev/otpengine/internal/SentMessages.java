package dev.otpengine.internal;

import dev.otpengine.Delivery;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Tells the store which provider message carried which code, so that a delivery report for it can be tied back on any
 * engine: after a send and after each escalation step.
 */
final class SentMessages {

    private static final Logger log = LoggerFactory.getLogger(SentMessages.class);

    private SentMessages() {
    }

    /**
     * Remembers an accepted delivery that has a provider id; a failure is logged and never thrown: the code was
     * delivered.
     *
     * @param store the store
     * @param clock the engine's clock
     * @param m the message delivered
     * @param channels the channels of the send, to find the one that delivered
     * @param delivery the delivery
     */
    static void remember(OtpStore store, Clock clock, OtpMessage m, List<Channel> channels, Delivery delivery) {
        if (!delivery.isAccepted() || delivery.providerMessageId() == null) {
            return;
        }
        try {
            store.rememberMessage(new SentMessage(delivery.channelId(), delivery.providerMessageId(), m.requestId(),
                    m.widgetId(), delivery.attributes().get("gateway"), callingCode(m, channels, delivery.channelId()),
                    m.expiresAt()), clock.instant());
        } catch (RuntimeException e) {
            log.warn("could not remember message {} of channel {} for request {}; its delivery report will not be "
                    + "matched", delivery.providerMessageId(), delivery.channelId(), m.requestId(),
                    Redaction.forLog(e, text -> Redaction.generic(Redaction.redact(text, m.recipient(), null))));
        }
    }

    /** The phone's calling code when the channel that sent the message could reach the phone alone, else 0. */
    private static int callingCode(OtpMessage m, List<Channel> channels, String channelId) {
        String phone = m.recipient().phone().orElse(null);
        if (phone == null) {
            return 0;
        }
        for (Channel channel : channels) {
            if (channel.id().equals(channelId)) {
                boolean reachesPhone;
                try {
                    reachesPhone = channel.canDeliverTo(Recipient.ofPhone(phone));
                } catch (Throwable t) { // a channel's fault
                    reachesPhone = false;
                }
                return reachesPhone ? Math.max(CallingCodes.of(phone), 0) : 0;
            }
        }
        return 0;
    }
}
