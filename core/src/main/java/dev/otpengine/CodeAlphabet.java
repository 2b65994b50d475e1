package dev.otpengine;

/**
 * The characters a code is drawn from. Every character of a code is drawn uniformly and independently
 * from the alphabet with {@link java.security.SecureRandom}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public enum CodeAlphabet {

    /** The ten digits {@value #DIGIT_SYMBOLS}: easy to type on a phone keypad. The default. */
    DIGITS(CodeAlphabet.DIGIT_SYMBOLS),

    /**
     * Digits and uppercase letters without the look-alikes {@code 0 O 1 I L}: {@value #ALPHANUMERIC_SYMBOLS}
     * (31 characters). Verification ignores case, so users may type lowercase.
     */
    ALPHANUMERIC(CodeAlphabet.ALPHANUMERIC_SYMBOLS);

    /** The symbols of {@link #DIGITS}. */
    public static final String DIGIT_SYMBOLS = "0123456789";
    /** The symbols of {@link #ALPHANUMERIC}. */
    public static final String ALPHANUMERIC_SYMBOLS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    private final String symbols;

    CodeAlphabet(String symbols) {
        this.symbols = symbols;
    }

    /**
     * The characters codes are drawn from, each once.
     *
     * @return the symbols, in ascending order
     */
    public String symbols() {
        return symbols;
    }
}
