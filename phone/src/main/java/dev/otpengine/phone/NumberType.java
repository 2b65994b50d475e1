package dev.otpengine.phone;

import java.util.Locale;

/**
 * What kind of line a valid number is, as the country's numbering plan says (libphonenumber's reading of it). Which of
 * these a channel takes is its own rule ({@link PhoneReader}): sending codes to premium-rate, shared-cost and similar
 * numbers is how SMS and call pumping is paid, so no channel of ours takes those.
 *
 * <p><b>Thread-safety:</b> an enum; immutable.
 */
public enum NumberType {

    /** A mobile number. */
    MOBILE("a mobile number"),
    /** A landline (a geographic fixed line). */
    FIXED_LINE("a landline"),
    /**
     * A number the plan does not tell mobile or landline, because both share its ranges: every number of the North
     * American plan ({@code +1}: the US, Canada and most of the Caribbean) and some others.
     */
    FIXED_LINE_OR_MOBILE("a number that may be a landline or a mobile"),
    /** A toll-free number: the one called pays nothing, the owner pays. */
    TOLL_FREE("a toll-free number"),
    /** A premium-rate number: the caller pays more, and the owner is paid. */
    PREMIUM_RATE("a premium-rate number"),
    /** A shared-cost number: the caller and the owner share the cost. */
    SHARED_COST("a shared-cost number"),
    /** A VoIP number, not tied to one place (such as the UK's {@code 056}). */
    VOIP("a VoIP number"),
    /**
     * A personal number that forwards to wherever its owner says (such as the UK's {@code 070}), at a higher rate:
     * where it rings is not known.
     */
    PERSONAL_NUMBER("a personal number"),
    /** A pager. */
    PAGER("a pager number"),
    /** A universal access number: one number for a company's several offices, at a rate of its own. */
    UAN("a universal access number"),
    /** A voicemail access number. */
    VOICEMAIL("a voicemail access number");

    private final String description;
    private final String key;

    NumberType(String description) {
        this.description = description;
        this.key = name().toLowerCase(Locale.ROOT);
    }

    /**
     * How a refusal names this type, after "is": {@code "a landline"}, {@code "a premium-rate number"}.
     *
     * @return the words, lower case, with their article
     */
    public String description() {
        return description;
    }

    /**
     * This type as the value of the fact {@link dev.otpengine.spi.AddressReading#TYPE}: the constant's name in lower
     * case, such as {@code mobile} or {@code fixed_line_or_mobile}.
     *
     * @return the key
     */
    public String key() {
        return key;
    }
}
