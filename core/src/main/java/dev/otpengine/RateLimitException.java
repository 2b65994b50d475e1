package dev.otpengine;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate limit refused the request. HTTP 429. {@link #scope()} says which limit tripped and
 * {@link #retryAfter()} how long until that limit lets one more request through; put it in a {@code Retry-After}
 * header. Nothing was generated or sent, and the request counts against no other limit.
 *
 * <p>Thrown often under attack, so it carries no stack trace.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class RateLimitException extends OtpException {

    private static final long serialVersionUID = 1L;

    /** Which limit tripped. */
    public enum Scope {
        /** Sends per widget. */
        WIDGET("widget"),
        /** Sends per user IP address. */
        IP("ip"),
        /** Sends per recipient address. */
        RECIPIENT("recipient"),
        /** The pause required between two sends to one recipient. */
        RESEND_COOLDOWN("resend cooldown"),
        /** Verifications per user IP address. */
        VERIFY_IP("verify ip"),
        /** Wrong guesses per recipient, across resends. */
        VERIFY_FAILURES("verify failures"),
        /**
         * The engine's store holds as many pending codes as it may (a memory bound, not a per-user limit): codes
         * already pending are kept, and new sends are refused until some are verified or expire.
         */
        PENDING_CODES("pending codes"),
        /**
         * The destination's range of numbers (or region) is cut off by the toll-fraud guard ({@link ConversionGuard}):
         * too few of the codes sent there lately were verified. Thrown only by a guard that
         * {@linkplain ConversionGuard#refusingOpenly() refuses openly}; by default such a send is withheld (answered as
         * sent, delivered to no one) and this scope reaches only the listeners.
         */
        COUNTRY_CONVERSION("country conversion");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        /**
         * The scope as it appears in messages, lowercase.
         *
         * @return a label such as {@code "resend cooldown"}
         */
        public String label() {
            return label;
        }
    }

    /** The limit that tripped. */
    private final Scope scope;
    /** How long until one more request would pass. */
    private final Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param scope the limit that tripped
     * @param retryAfter how long until one more request would pass; zero or positive
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public RateLimitException(Scope scope, Duration retryAfter) {
        super("RateLimitException", 429, message(scope, retryAfter), null, false);
        this.scope = scope;
        this.retryAfter = retryAfter;
    }

    private static String message(Scope scope, Duration retryAfter) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        return "too many requests (" + scope.label() + " limit); retry after " + wholeSeconds(retryAfter) + " s";
    }

    private static long wholeSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /**
     * The limit that tripped.
     *
     * @return the scope
     */
    public Scope scope() {
        return scope;
    }

    /**
     * How long until the limit that tripped lets one more request of the same kind through: to the end of the
     * {@link Limit}'s window, or of the resend cooldown. Exact to the engine clock's nanosecond. Another limit may
     * still refuse the request then.
     *
     * @return a zero or positive duration
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * {@link #retryAfter()} in whole seconds, rounded up, as an HTTP {@code Retry-After} header takes it and as the
     * message says it.
     *
     * @return zero or more seconds
     */
    public long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }
}
