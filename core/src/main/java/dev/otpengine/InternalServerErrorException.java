package dev.otpengine;

/**
 * The engine failed for a reason of its own, not the request's: a bug, or the JDK lacking HMAC-SHA256.
 * HTTP 500. The cause says what happened; the message shown to clients does not.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class InternalServerErrorException extends OtpException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param cause what went wrong inside the engine
     */
    public InternalServerErrorException(Throwable cause) {
        super("InternalServerErrorException", 500, "internal server error", cause, true);
    }
}
