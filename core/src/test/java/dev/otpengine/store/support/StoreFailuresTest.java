package dev.otpengine.store.support;

import dev.otpengine.NoConnectionException;
import io.github.bucket4j.BucketExceptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A backend's failure as the engine gets it. */
final class StoreFailuresTest {

    private final StoreFailures failures = StoreFailures.of("kv", "kv.internal:1", e -> e instanceof UncheckedIOException);

    @Test
    void translate_aFailureToReach_throughWrappers_isNoConnectionNamingTheStore() {
        UncheckedIOException down = new UncheckedIOException(new IOException("connection refused"));

        RuntimeException e = failures.translate(new CompletionException(BucketExceptions.from(down)));

        NoConnectionException refused = assertInstanceOf(NoConnectionException.class, e);
        assertEquals("the engine's store (kv) could not be reached; try again later", refused.getMessage());
        assertSame(down, refused.getCause());
    }

    @Test
    void translate_anyOtherFailure_isPassedOnUnwrapped() {
        IllegalArgumentException ours = new IllegalArgumentException("a bug");
        assertSame(ours, failures.translate(new CompletionException(ours)));
        NoConnectionException made = new NoConnectionException("kv", ours);
        assertSame(made, failures.translate(made));
        assertEquals("kv store failed", failures.translate(new Exception("checked")).getMessage());
    }
}
