package dev.otpengine.phone;

import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Recipient;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How one phone channel reads numbers: {@link PhoneNumbers#read}, and then its own rule on which {@link NumberType}s
 * it takes. Made once per channel, used both to answer the engine ({@link #readAddress}, from the channel's
 * {@code Channel.readAddress}) and to deliver ({@link #read}), so that the form a channel is counted under and the
 * one it sends to are one reading.
 *
 * <pre>{@code
 * static final PhoneReader NUMBERS = PhoneReader.taking("by SMS", NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE);
 *
 * public AddressReading readAddress(String kind, String address) {
 *     return NUMBERS.readAddress(kind, address);
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> immutable; thread-safe.
 */
public final class PhoneReader {

    private final String how;
    private final Set<NumberType> takes;

    private PhoneReader(String how, Set<NumberType> takes) {
        this.how = how;
        this.takes = takes;
    }

    /**
     * A reader for a channel that takes these number types.
     *
     * @param how how the channel gets a code to a person, completing "{@code which does not get codes }…" in a
     *     refusal: {@code "by SMS"}, {@code "by a phone call"}, {@code "on WhatsApp"}
     * @param takes the number types the channel delivers to; at least one
     * @return the reader
     * @throws IllegalArgumentException if {@code how} is blank or {@code takes} is empty
     * @throws NullPointerException if {@code how}, {@code takes} or one of the types is null
     */
    public static PhoneReader taking(String how, NumberType... takes) {
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(takes, "takes");
        if (how.isBlank()) {
            throw new IllegalArgumentException("how must not be blank");
        }
        if (takes.length == 0) {
            throw new IllegalArgumentException("takes must name at least one number type");
        }
        EnumSet<NumberType> types = EnumSet.noneOf(NumberType.class);
        for (NumberType type : takes) {
            types.add(Objects.requireNonNull(type, "takes"));
        }
        return new PhoneReader(how, Collections.unmodifiableSet(types));
    }

    /** @return the number types this reader takes, unmodifiable, in {@link NumberType}'s order */
    public Set<NumberType> takes() {
        return takes;
    }

    /**
     * Reads a number for this channel.
     *
     * @param number the number as written, with its country code
     * @return the number if it is valid, of a country (not a global service such as a satellite network: +881,
     *     +882, +883, +870, +878) and of a type this channel takes; else a refusal: one of {@link PhoneNumbers#read}'s,
     *     {@code "is a number of a global service, not of a country, which does not get codes <how>"}, or
     *     {@code "is <the type's description>, which does not get codes <how>"}, such as
     *     {@code "is a landline, which does not get codes by SMS"}
     * @throws NullPointerException if {@code number} is null
     */
    public PhoneReading read(String number) {
        PhoneReading reading = PhoneNumbers.read(number);
        PhoneNumber read = reading.number().orElse(null);
        if (read != null && NON_GEOGRAPHIC.equals(read.region())) {
            // satellite (+881, +870), international networks (+882, +883) and the like: no country, and ranges that
            // toll fraud is paid through
            return PhoneReading.refused("is a number of a global service, not of a country, which does not get codes "
                    + how);
        }
        NumberType type = read == null ? null : read.type();
        if (type == null || takes.contains(type)) {
            return reading;
        }
        return PhoneReading.refused("is " + type.description() + ", which does not get codes " + how);
    }

    /** The region libphonenumber gives numbers that belong to no country. */
    private static final String NON_GEOGRAPHIC = "001";

    /**
     * The channel's answer to the engine's {@code Channel.readAddress}: for a {@link Recipient#PHONE}, {@link #read}
     * as an {@link AddressReading} (the E.164 form with the facts {@link AddressReading#REGION},
     * {@link AddressReading#CALLING_CODE}, {@link AddressReading#TYPE} and {@link AddressReading#MAIN_REGION}, or the
     * refusal); for any other kind, no
     * opinion.
     *
     * @param kind the address kind
     * @param address the address
     * @return the reading
     * @throws NullPointerException if {@code kind} is null, or {@code address} is for a phone and null
     */
    public AddressReading readAddress(String kind, String address) {
        Objects.requireNonNull(kind, "kind");
        return Recipient.PHONE.equals(kind) ? read(address).toAddressReading() : AddressReading.noOpinion();
    }

    /** @return the types taken and how */
    @Override
    public String toString() {
        return "PhoneReader[" + takes + " " + how + "]";
    }
}
