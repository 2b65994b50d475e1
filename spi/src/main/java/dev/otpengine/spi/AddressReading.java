package dev.otpengine.spi;

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
 * <p><b>Thread-safety:</b> immutable.
 */
public final class AddressReading {

    private static final AddressReading NO_OPINION = new AddressReading(null, null);

    private final String canonical;
    private final String refusal;

    private AddressReading(String canonical, String refusal) {
        this.canonical = canonical;
        this.refusal = refusal;
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
        Objects.requireNonNull(canonical, "canonical");
        if (canonical.isBlank()) {
            throw new IllegalArgumentException("canonical must not be blank");
        }
        return new AddressReading(canonical, null);
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
        return new AddressReading(null, reason);
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

    @Override
    public String toString() {
        return canonical != null ? "AddressReading[as a canonical form]" : refusal != null
                ? "AddressReading[refused: " + refusal + "]" : "AddressReading[no opinion]";
    }
}
