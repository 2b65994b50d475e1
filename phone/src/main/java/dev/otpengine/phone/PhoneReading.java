package dev.otpengine.phone;

import dev.otpengine.spi.AddressReading;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PhoneNumbers#read} or a {@link PhoneReader} makes of a number: the {@link PhoneNumber}, or why it is
 * refused, in words a requester can act on that complete "{@code phone }…" and never repeat the number
 * ({@code "is not a valid number for its country"}, {@code "is a landline, which does not get codes by SMS"}).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class PhoneReading {

    private final PhoneNumber number;
    private final String refusal;

    private PhoneReading(PhoneNumber number, String refusal) {
        this.number = number;
        this.refusal = refusal;
    }

    /**
     * A number read.
     *
     * @param number the number
     * @return the reading
     * @throws NullPointerException if {@code number} is null
     */
    public static PhoneReading of(PhoneNumber number) {
        return new PhoneReading(Objects.requireNonNull(number, "number"), null);
    }

    /**
     * A number refused.
     *
     * @param reason why, completing "{@code phone }…", without the number
     * @return the reading
     * @throws IllegalArgumentException if {@code reason} is blank
     * @throws NullPointerException if {@code reason} is null
     */
    public static PhoneReading refused(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        return new PhoneReading(null, reason);
    }

    /** @return the number, unless it was refused */
    public Optional<PhoneNumber> number() {
        return Optional.ofNullable(number);
    }

    /** @return why the number was refused, if it was */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * This reading as a channel gives it to the engine: the E.164 form with the number's
     * {@linkplain PhoneNumber#facts() facts}, or the refusal.
     *
     * @return the address reading
     */
    public AddressReading toAddressReading() {
        return number != null ? AddressReading.as(number.e164(), number.facts()) : AddressReading.refused(refusal);
    }

    /** @return the number masked, or the refusal */
    @Override
    public String toString() {
        return number != null ? "PhoneReading[" + number + "]" : "PhoneReading[refused: " + refusal + "]";
    }
}
