package dev.otpengine.redis;

import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;

import java.util.function.Function;

/**
 * Bucket4j's Lettuce proxy manager, with one change: a failure to reach Redis leaves it as the engine's
 * {@code NoConnectionException}, never as a Lettuce or Bucket4j exception.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class RedisBuckets extends LettuceBasedProxyManager<String> {

    private final Function<RuntimeException, RuntimeException> failures;

    RedisBuckets(Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder,
                 Function<RuntimeException, RuntimeException> failures) {
        super(builder);
        this.failures = failures;
    }

    @Override
    public <T> CommandResult<T> execute(String key, Request<T> request) {
        try {
            return super.execute(key, request);
        } catch (RuntimeException e) {
            throw failures.apply(e);
        }
    }

    @Override
    public void removeProxy(String key) {
        try {
            super.removeProxy(key);
        } catch (RuntimeException e) {
            throw failures.apply(e);
        }
    }
}
