package dev.otpengine.internal;

import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Asks a widget's channels, in its order, how they read an address ({@link Channel#readAddress}); the first opinion
 * wins. A channel that fails to answer (whatever it throws) is skipped, as one with no opinion, and logged redacted.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
final class AddressReader {

    private static final Logger log = LoggerFactory.getLogger(AddressReader.class);

    private AddressReader() {
    }

    /**
     * The first opinion of the channels on an address.
     *
     * @param channels the widget's channels, in its order
     * @param kind the address kind
     * @param value the address, as the engine's own reading normalized it
     * @return the reading; {@link AddressReading#noOpinion()} if no channel had one
     */
    static AddressReading read(List<Channel> channels, String kind, String value) {
        for (Channel channel : channels) {
            AddressReading reading = readingOf(channel, kind, value);
            if (reading.refusal().isPresent() || reading.canonical().isPresent()) {
                return reading;
            }
        }
        return AddressReading.noOpinion();
    }

    private static AddressReading readingOf(Channel channel, String kind, String value) {
        try {
            AddressReading reading = channel.readAddress(kind, value);
            return reading == null ? AddressReading.noOpinion() : reading;
        } catch (Throwable e) { // Errors too: a channel's fault is never the send's
            log.warn("channel {} failed to read a {} address; skipped", channel.id(), kind,
                    Redaction.forLog(e, text -> Redaction.generic(text, value)));
            return AddressReading.noOpinion();
        }
    }
}
