package dev.otpengine.redis;

import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * What Bucket4j's Lettuce proxy manager asks of Redis, with every bucket key put under the store's prefix and scope.
 * Generic in the key type, as Bucket4j's own is: it hands keys over in an {@code Object[]}, so an implementation
 * declared on {@code String[]} would fail its cast.
 *
 * <p><b>Thread-safety:</b> thread-safe (Lettuce's commands are).
 *
 * @param <K> the key type, {@code String} here
 */
final class PrefixedRedisApi<K> implements RedisApi<K> {

    private final RedisClusterAsyncCommands<K, byte[]> redis;
    private final String prefix;

    PrefixedRedisApi(RedisClusterAsyncCommands<K, byte[]> redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @SuppressWarnings("unchecked") // K is String: the store builds every bucket proxy manager on String keys
    private K prefixed(K key) {
        return (K) (prefix + key);
    }

    @Override
    @SuppressWarnings("unchecked") // an array of K, which is String
    public <V> RedisFuture<V> eval(String script, ScriptOutputType type, K[] keys, byte[][] params) {
        Object[] prefixed = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            prefixed[i] = prefixed(keys[i]);
        }
        return redis.eval(script, type, (K[]) prefixed, params);
    }

    @Override
    public RedisFuture<byte[]> get(K key) {
        return redis.get(prefixed(key));
    }

    @Override
    public RedisFuture<?> delete(K key) {
        return redis.del(prefixed(key));
    }
}
