package dev.otpengine.internal;

import dev.otpengine.Widget;
import dev.otpengine.WidgetNotFoundException;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The engine's widgets, each with its channels resolved once when it is put rather than on every send. Whether a
 * widget is blocked is the store's to keep, so that a block holds on every engine of a shared store. Changes are
 * single atomic map operations, safe from any thread.
 */
public final class WidgetRegistry {

    /**
     * A widget as the engine serves it.
     *
     * @param widget the widget
     * @param channels its channels, in its order
     * @param testCodes its test recipients' fixed codes, each address as the channels read it (one per handset)
     */
    public record Entry(Widget widget, List<Channel> channels, Map<String, String> testCodes) {

        /**
         * The fixed code of a test recipient.
         *
         * @param address an address as the channels read it
         * @return its code, or {@code null} if it is not one of the widget's test recipients
         */
        public String testCode(String address) {
            return testCodes.get(address);
        }

        /**
         * The fixed code if every address of the recipient is one of the widget's test recipients, all with the same
         * code; otherwise a send to it is a real one for every address, test ones included. A request that pairs a test
         * address with a real one (one's own email, say) is thus answered as any real send is: it cannot tell a test
         * recipient from a real one, and the real address never silently goes without a code.
         *
         * @param recipient the recipient, each address as the channels read it
         * @return the code, or {@code null} for a real send
         */
        public String testCode(Recipient recipient) {
            if (testCodes.isEmpty()) {
                return null;
            }
            String code = null;
            for (String address : recipient.addresses().values()) {
                String fixed = testCodes.get(address);
                if (fixed == null || (code != null && !code.equals(fixed))) {
                    return null;
                }
                code = fixed;
            }
            return code;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WidgetRegistry.class);

    private final Map<String, Channel> channels;
    private final boolean captchaVerifierPresent;
    private final ConcurrentMap<UUID, Entry> widgets = new ConcurrentHashMap<>();
    /** How many widgets have rate limits of their own, so a verification can tell whether every one has the engine's. */
    private final AtomicInteger ownLimits = new AtomicInteger();

    /**
     * An empty registry.
     *
     * @param channels the engine's channels by id, in registration order
     * @param captchaVerifierPresent whether the engine can check captchas
     */
    public WidgetRegistry(Map<String, Channel> channels, boolean captchaVerifierPresent) {
        this.channels = channels;
        this.captchaVerifierPresent = captchaVerifierPresent;
    }

    /**
     * Adds or replaces a widget. A widget with test recipients is
     * logged at WARN, their addresses masked, so that one left in a production configuration gets noticed.
     *
     * @param widget the widget
     * @throws IllegalArgumentException if it names an unknown channel, requires a captcha the engine cannot check, or
     *     escalates with a ttl that does not cover its steps over the channels it resolves to
     */
    public void put(Widget widget) {
        List<Channel> resolved = new ArrayList<>();
        if (widget.channels().isEmpty()) {
            resolved.addAll(channels.values());
        }
        for (String id : widget.channels()) {
            Channel channel = channels.get(id);
            if (channel == null) {
                throw new IllegalArgumentException("widget " + widget.id() + " names channel " + id
                        + ", which the engine does not have; it has " + channels.keySet());
            }
            resolved.add(channel);
        }
        if (widget.captchaRequired() && !captchaVerifierPresent) {
            throw new IllegalArgumentException("widget " + widget.id()
                    + " requires a captcha, but the engine has no captcha verifier: call captchaVerifier(...) on its builder");
        }
        try {
            widget.checkEscalationFits(resolved.size());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Channel> fixed = List.copyOf(resolved);
        Entry replaced = widgets.put(widget.id(), new Entry(widget, fixed, testCodes(widget, fixed)));
        if (widget.rateLimits().isPresent()) {
            ownLimits.incrementAndGet();
        }
        if (replaced != null && replaced.widget().rateLimits().isPresent()) {
            ownLimits.decrementAndGet();
        }
        if (!widget.testRecipients().isEmpty()) {
            log.warn("widget {} has {} test recipient(s) that get a fixed code and no delivery: {}", widget.id(),
                    widget.testRecipients().size(), widget.testRecipients().stream()
                            .map(a -> Recipient.masked(Recipient.kindOf(a), a))
                            .collect(Collectors.joining(", ")));
        }
    }

    /**
     * A widget's test recipients as its channels read them, so that every spelling of a test phone finds its code. One
     * a channel refuses would stand out (every other number of its kind is refused, it alone gets a code), so it is
     * refused here, when the widget is put.
     */
    private static Map<String, String> testCodes(Widget widget, List<Channel> channels) {
        if (widget.testRecipients().isEmpty()) {
            return Map.of();
        }
        Map<String, String> codes = new HashMap<>();
        for (String address : widget.testRecipients()) {
            String kind = Recipient.kindOf(address);
            AddressReading reading = AddressReader.read(channels, kind, address).reading();
            if (reading.refusal().isPresent()) {
                throw new IllegalArgumentException("test recipient " + Recipient.masked(kind, address) + " of widget "
                        + widget.id() + " " + Redaction.generic(reading.refusal().get(), address)
                        + ": a channel could never deliver there, so a send to it would stand out from every real one; "
                        + "use an address the widget's channels accept");
            }
            codes.put(reading.canonical().orElse(address), widget.testCode(address).orElseThrow());
        }
        return Map.copyOf(codes);
    }

    /**
     * Removes a widget.
     *
     * @param widgetId the id
     * @return whether there was one
     */
    public boolean remove(UUID widgetId) {
        Entry removed = widgets.remove(widgetId);
        if (removed != null && removed.widget().rateLimits().isPresent()) {
            ownLimits.decrementAndGet();
        }
        return removed != null;
    }

    /** @return whether any widget has rate limits of its own rather than the engine's */
    public boolean anyOwnRateLimits() {
        return ownLimits.get() > 0;
    }

    /**
     * One widget.
     *
     * @param widgetId the id
     * @return the entry
     * @throws WidgetNotFoundException if no widget has the id
     */
    public Entry require(UUID widgetId) {
        Entry entry = widgets.get(widgetId);
        if (entry == null) {
            throw new WidgetNotFoundException(widgetId);
        }
        return entry;
    }

    /**
     * One widget, if there is one.
     *
     * @param widgetId the id
     * @return the entry, or {@code null}
     */
    public Entry find(UUID widgetId) {
        return widgets.get(widgetId);
    }

    /** @return a snapshot of every widget, unmodifiable */
    public Collection<Widget> widgets() {
        return widgets.values().stream().map(Entry::widget).collect(Collectors.toUnmodifiableList());
    }
}
