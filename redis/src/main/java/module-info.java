/**
 * The otpengine Redis store: {@link dev.otpengine.redis.RedisStore}, the state of any number of engines in one Redis.
 */
module dev.otpengine.redis {
    requires transitive dev.otpengine;
    // RedisStore.builder(RedisClient) and builder(RedisClusterClient) name Lettuce's clients
    requires transitive lettuce.core; // an automatic module: Lettuce ships no module-info
    requires io.github.bucket4j.lettuce; // Bucket4j's Lettuce proxy manager, an automatic module too
    requires io.github.bucket4j.redis.common;
    requires com.github.benmanes.caffeine; // the last state of each bucket this node saw
    requires io.netty.common; // the Future that shutting down Lettuce's client resources returns
    requires org.slf4j;

    exports dev.otpengine.redis;
}
