package dev.otpengine.store.support;

import dev.otpengine.NoConnectionException;
import io.github.bucket4j.BucketExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * A backend's failure turned into what the engine expects of a store: a failure to reach the state or get its answer
 * becomes {@link NoConnectionException} naming the store (logged once here, with where the backend is), so that the
 * engine fails closed and answers 503; anything else is a fault of ours and is passed on as it is. Wrappers that a
 * future or Bucket4j puts around a failure ({@link CompletionException}, {@link ExecutionException}, Bucket4j's
 * {@code BucketExecutionException}) are looked through first.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class StoreFailures {

    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);

    private final String storeName;
    private final String where;
    private final Predicate<Throwable> unreachable;

    private StoreFailures(String storeName, String where, Predicate<Throwable> unreachable) {
        this.storeName = storeName;
        this.where = where;
        this.unreachable = unreachable;
    }

    /**
     * The failures of one store.
     *
     * @param storeName the store's name in {@link NoConnectionException}'s message, such as {@code redis}: no
     *     address, no credentials (that message may reach a client)
     * @param where where the backend is, for the log line only (host and port, never credentials)
     * @param unreachable whether a backend exception means the state could not be reached or did not answer in time
     * @return the failures
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code storeName} is blank
     */
    public static StoreFailures of(String storeName, String where, Predicate<Throwable> unreachable) {
        Objects.requireNonNull(storeName, "storeName");
        if (storeName.isBlank()) {
            throw new IllegalArgumentException("storeName must not be blank");
        }
        return new StoreFailures(storeName, Objects.requireNonNull(where, "where"),
                Objects.requireNonNull(unreachable, "unreachable"));
    }

    /** @return the store's name in {@link NoConnectionException}'s message */
    public String storeName() {
        return storeName;
    }

    /**
     * What the engine is told of a failed call: {@link NoConnectionException} naming the store if the backend could
     * not be reached (or a {@code NoConnectionException} already made), else the failure itself, unwrapped.
     *
     * @param failure what the backend threw
     * @return the exception to throw
     * @throws NullPointerException if {@code failure} is null
     */
    public RuntimeException translate(Throwable failure) {
        Throwable cause = unwrap(Objects.requireNonNull(failure, "failure"));
        if (cause instanceof NoConnectionException) {
            return (NoConnectionException) cause;
        }
        if (unreachable.test(cause) || cause instanceof io.github.bucket4j.TimeoutException) {
            log.warn("{} store at {} failed: {}", storeName, where, cause.toString());
            return new NoConnectionException(storeName, cause);
        }
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new IllegalStateException(storeName + " store failed", cause);
    }

    /**
     * The failure without the wrappers of futures and Bucket4j.
     *
     * @param failure a failure
     * @return the first cause that is not a wrapper
     */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; depth < 8; depth++) {
            boolean wrapper = t instanceof CompletionException || t instanceof ExecutionException
                    || t.getClass() == BucketExceptions.BucketExecutionException.class;
            if (!wrapper || t.getCause() == null || t.getCause() == t) {
                return t;
            }
            t = t.getCause();
        }
        return t;
    }
}
