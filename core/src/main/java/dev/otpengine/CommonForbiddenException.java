package dev.otpengine;

/**
 * A request refused by an access rule rather than by a limit: the seed API's {@code ForbiddenException},
 * HTTP 403. The engine does not throw it in this version; it is public so that an application's own checks
 * around {@link OtpEngine#send} answer in the same shape as the engine's.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class CommonForbiddenException extends OtpException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the message {@code "forbidden"}. */
    public CommonForbiddenException() {
        this("forbidden");
    }

    /**
     * Creates the exception.
     *
     * @param message what was refused, lowercase, without codes or unmasked addresses
     */
    public CommonForbiddenException(String message) {
        super("ForbiddenException", 403, message, null, true);
    }
}
