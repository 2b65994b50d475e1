package dev.otpengine.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a channel makes of an address of a kind it delivers to, asked before the engine counts, draws or withdraws
 * anything ({@link Channel#readAddress}): the one form the channel would deliver to, whatever the spelling (so that one
 * handset or mailbox is one key for every limit, one slot of the resend index, one test recipient); or a refusal, when
 * the channel could never deliver there (a number invalid for its country, a premium-rate or toll-free one), which
 * leaves the channel out of the send, and is the requester's error (HTTP 400) naming the field when no channel of the
 * widget takes the address; or no opinion.
 *
 * <p>A reading that takes the address may also carry facts the channel learned about it ({@link #facts()}), so that
 * the engine can use the one reading for more than the key: the phone channels, which share one reading of numbers
 * ({@code otpengine-phone}), give {@value #REGION}, {@value #CALLING_CODE}, {@value #TYPE} and
 * {@value #MAIN_REGION}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class AddressReading {

    /**
     * The fact key of a phone's country or territory: its ISO 3166-1 alpha-2 code as libphonenumber gives it
     * ({@code "GB"}, {@code "GG"}, {@code "TT"}), or {@code "001"} for a number of no country (such as {@code +800}).
     * Numbers that share a calling code are told apart ({@code +1 868} is {@code "TT"}, {@code +1 202} is
     * {@code "US"}): {@value}.
     */
    public static final String REGION = "region";
    /** The fact key of a phone's country calling code, its digits without {@code +} ({@code "44"}): {@value}. */
    public static final String CALLING_CODE = "callingCode";
    /**
     * The fact key of a phone's number type, in lower case: {@code mobile}, {@code fixed_line},
     * {@code fixed_line_or_mobile} (where the numbering plan does not tell them apart, as in the US), {@code voip},
     * {@code toll_free}, {@code premium_rate}, {@code shared_cost}, {@code personal_number}, {@code pager},
     * {@code uan} or {@code voicemail}: {@value}.
     */
    public static final String TYPE = "type";
    /**
     * The fact key of the main country of a phone's calling code, ISO 3166-1 alpha-2 as libphonenumber names it
     * ({@code "GB"} for every {@code +44} number, Guernsey's included; {@code "US"} for every {@code +1} one), so
     * that trusting a country's calling code need not trust the territories that share it: {@value}.
     */
    public static final String MAIN_REGION = "mainRegion";

    private static final AddressReading NO_OPINION = new AddressReading(null, null, Map.of());

    private final String canonical;
    private final String refusal;
    private final Map<String, String> facts;

    private AddressReading(String canonical, String refusal, Map<String, String> facts) {
        this.canonical = canonical;
        this.refusal = refusal;
        this.facts = facts;
    }

    /**
     * The channel reads the address as this form, the one it would deliver to: the engine uses it for everything
     * about the send (limits, the resend index, test recipients, delivery, events).
     *
     * @param canonical the address as the channel writes it, such as a phone in E.164 ({@code +447911123456})
     * @return the reading
     * @throws IllegalArgumentException if {@code canonical} is blank
     * @throws NullPointerException if {@code canonical} is null
     */
    public static AddressReading as(String canonical) {
        return as(canonical, Map.of());
    }

    /**
     * The channel reads the address as this form, and knows these facts about it: as {@link #as(String)}, with facts
     * the engine may use for the send (a phone's {@value #REGION}, {@value #CALLING_CODE} and {@value #TYPE}).
     *
     * @param canonical the address as the channel writes it, such as a phone in E.164 ({@code +447911223456})
     * @param facts facts about the address by key, such as {@code region=GB}; copied, in their order
     * @return the reading
     * @throws IllegalArgumentException if {@code canonical}, a key or a value is blank
     * @throws NullPointerException if {@code canonical}, {@code facts}, a key or a value is null
     */
    public static AddressReading as(String canonical, Map<String, String> facts) {
        Objects.requireNonNull(canonical, "canonical");
        Objects.requireNonNull(facts, "facts");
        if (canonical.isBlank()) {
            throw new IllegalArgumentException("canonical must not be blank");
        }
        if (facts.isEmpty()) {
            return new AddressReading(canonical, null, Map.of());
        }
        Map<String, String> copy = new LinkedHashMap<>(facts.size() * 2);
        facts.forEach((key, value) -> {
            Objects.requireNonNull(key, "facts key");
            Objects.requireNonNull(value, () -> "facts value of " + key);
            if (key.isBlank()) {
                throw new IllegalArgumentException("facts key must not be blank");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("facts value of " + key + " must not be blank");
            }
            copy.put(key, value);
        });
        return new AddressReading(canonical, null, Collections.unmodifiableMap(copy));
    }

    /**
     * The channel could never deliver to this address: the engine refuses the send as the requester's error, before
     * anything is counted.
     *
     * @param reason why, in words a requester can act on, such as {@code "is not a valid number for its country"};
     *     completes "{@code <field> }…" in the message, and must not repeat the address
     * @return the reading
     * @throws IllegalArgumentException if {@code reason} is blank
     * @throws NullPointerException if {@code reason} is null
     */
    public static AddressReading refused(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        return new AddressReading(null, reason, Map.of());
    }

    /**
     * The channel has nothing to say about the address (not its kind, or no rules for it): the default.
     *
     * @return the reading
     */
    public static AddressReading noOpinion() {
        return NO_OPINION;
    }

    /** @return the form the channel reads the address as, if it gave one */
    public Optional<String> canonical() {
        return Optional.ofNullable(canonical);
    }

    /** @return why the channel refuses the address, if it does */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * Facts the channel learned about the address while reading it, by key: for a phone, {@value #REGION},
     * {@value #CALLING_CODE} and {@value #TYPE}. Empty for a refusal, no opinion, or a reading made with
     * {@link #as(String)}.
     *
     * @return the facts, unmodifiable, in the order given
     */
    public Map<String, String> facts() {
        return facts;
    }

    /** @return what kind of reading this is, and its fact keys; never the address, which may be personal */
    @Override
    public String toString() {
        return canonical != null ? "AddressReading[as a canonical form" + (facts.isEmpty() ? "" : ", facts "
                + facts.keySet()) + "]" : refusal != null
                ? "AddressReading[refused: " + refusal + "]" : "AddressReading[no opinion]";
    }
}
