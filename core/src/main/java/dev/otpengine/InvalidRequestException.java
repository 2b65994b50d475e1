package dev.otpengine;

import java.util.Objects;

/**
 * Request data from an end user is malformed: a widget id that is not a UUID, a phone that is not E.164,
 * an email, a code or an IP address that cannot be one. HTTP 400. {@link #field()} names the field; the
 * message names it too and shows the value masked.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class InvalidRequestException extends OtpException {

    private static final long serialVersionUID = 1L;

    /** The request field at fault. */
    private final String field;

    /**
     * Creates the exception.
     *
     * @param field the request field at fault, such as {@code "phone"}
     * @param message the full message, starting with the field's name
     */
    public InvalidRequestException(String field, String message) {
        super("InvalidRequestException", 400, message, null, false);
        this.field = Objects.requireNonNull(field, "field");
    }

    /**
     * The request field at fault: {@code widgetId}, {@code requestId}, {@code recipient}, {@code phone},
     * {@code email}, an address kind, {@code code}, {@code userIp} or {@code captchaToken}.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }
}
