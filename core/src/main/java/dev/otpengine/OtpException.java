package dev.otpengine;

/**
 * The root of every exception the engine throws for a request it refuses or cannot serve. Each carries
 * the seed API's error shape: a {@link #type()} name, an {@link #httpStatus()} and a message, rendered by
 * {@link #toJson()} as {@code {"type":"...","message":"...","httpStatus":400}}, so an HTTP layer can hand it
 * to its client unchanged. Messages never contain a code, a secret or an unmasked phone or email.
 *
 * <p>Misuse of the API itself (a null argument, a misconfigured builder, a closed engine) is reported with
 * the standard {@code NullPointerException}, {@code IllegalArgumentException} or {@code IllegalStateException}
 * instead.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public abstract class OtpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error type name clients see. */
    private final String type;
    /** The HTTP status to answer with. */
    private final int httpStatus;

    /**
     * For subclasses.
     *
     * @param type the error type name clients see
     * @param httpStatus the HTTP status an HTTP layer should answer with
     * @param message the message clients see
     * @param cause the underlying failure, or {@code null}
     * @param writableStackTrace {@code false} for exceptions thrown under load, where a stack trace would
     *     only cost time
     */
    protected OtpException(String type, int httpStatus, String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /**
     * The error type name clients see, such as {@code "WidgetNotFoundException"}.
     *
     * @return the type name
     */
    public String type() {
        return type;
    }

    /**
     * The HTTP status an HTTP layer should answer with.
     *
     * @return the status code, such as 404
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The error as the seed API's JSON body: {@code {"type":...,"message":...,"httpStatus":...}}.
     *
     * @return a JSON object, strings escaped
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(96).append("{\"type\":");
        appendString(json, type);
        json.append(",\"message\":");
        appendString(json, getMessage());
        return json.append(",\"httpStatus\":").append(httpStatus).append('}').toString();
    }

    private static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
