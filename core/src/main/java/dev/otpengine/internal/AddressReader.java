package dev.otpengine.internal;

import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks each of a widget's channels how it reads an address ({@link Channel#readAddress}), and agrees one reading for
 * the send whatever the channels' order: the form of the first channel that takes the address (phone channels share one
 * reading of numbers, so they agree on it), a refusal only when no channel takes it, and which channels refused, so that
 * the send drops only those (a landline that SMS refuses still gets its call). A channel that fails to answer (whatever
 * it throws) is skipped, as one with no opinion, and logged redacted.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
final class AddressReader {

    private static final Logger log = LoggerFactory.getLogger(AddressReader.class);

    private AddressReader() {
    }

    /**
     * What the channels make of one address.
     *
     * @param reading the agreed reading: the first form a channel gave; else the first refusal; else no opinion
     * @param refusedBy the ids of the channels that refused it; empty for most addresses
     */
    record Opinions(AddressReading reading, Set<String> refusedBy) {
    }

    /**
     * The channels' agreed reading of an address.
     *
     * @param channels the widget's channels, in its order
     * @param kind the address kind
     * @param value the address, as the engine's own reading normalized it
     * @return the reading and who refused it
     */
    static Opinions read(List<Channel> channels, String kind, String value) {
        AddressReading taken = null;
        AddressReading refused = null;
        Set<String> refusedBy = Set.of();
        for (Channel channel : channels) {
            AddressReading reading = readingOf(channel, kind, value);
            if (reading.canonical().isPresent()) {
                if (taken == null) {
                    taken = reading;
                }
            } else if (reading.refusal().isPresent()) {
                if (refused == null) {
                    refused = reading;
                    refusedBy = new HashSet<>(2);
                }
                refusedBy.add(channel.id());
            }
        }
        AddressReading agreed = taken != null ? taken : refused != null ? refused : AddressReading.noOpinion();
        return new Opinions(agreed, refusedBy);
    }

    /**
     * The facts of a phone from the first of the channels whose reading takes it and names both its region (two capital
     * letters, or {@code 001}) and its calling code's main country, whatever the channels' order: a channel that takes
     * numbers without reading regions, or reads them partly or wrongly formed (a custom one answering
     * {@code AddressReading.as(canonical)}), must not hide the phone channels' reading from the toll-fraud guard.
     *
     * @param channels the widget's channels
     * @param phone the phone, E.164
     * @return the facts, or none if no channel reads the phone's region
     */
    static Map<String, String> regionFacts(List<Channel> channels, String phone) {
        for (Channel channel : channels) {
            AddressReading reading = readingOf(channel, Recipient.PHONE, phone);
            Map<String, String> facts = reading.facts();
            if (reading.canonical().isPresent() && isRegion(facts.get(AddressReading.REGION))
                    && isRegion(facts.get(AddressReading.MAIN_REGION))) {
                return facts;
            }
        }
        return Map.of();
    }

    /** Whether a fact names a region as libphonenumber does: two capital letters, or {@code 001}. */
    static boolean isRegion(String fact) {
        return fact != null && (fact.equals("001") || fact.length() == 2 && fact.charAt(0) >= 'A' && fact.charAt(0) <= 'Z'
                && fact.charAt(1) >= 'A' && fact.charAt(1) <= 'Z');
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
