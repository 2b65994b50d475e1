package dev.otpengine.spring.boot;

/**
 * A bad {@code otpengine.*} value found while the engine is built; its message starts with the property's name, and
 * Spring Boot reports it at start-up through {@link OtpEngineFailureAnalyzer} rather than as a stack trace.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public class OtpEnginePropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The property, such as {@code otpengine.widgets[0]}. */
    private final String property;
    /** What is wrong with it. */
    private final String problem;

    /**
     * A bad value.
     *
     * @param property the property, such as {@code otpengine.widgets[0]}
     * @param problem what is wrong with it
     * @param cause what the engine's builder said
     */
    public OtpEnginePropertyException(String property, String problem, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.problem = problem;
    }

    /** @return the property, such as {@code otpengine.widgets[0]} */
    public String property() {
        return property;
    }

    /** @return what is wrong with it */
    public String problem() {
        return problem;
    }
}
