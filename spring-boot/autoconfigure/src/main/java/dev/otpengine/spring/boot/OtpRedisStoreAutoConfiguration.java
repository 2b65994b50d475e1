package dev.otpengine.spring.boot;

import dev.otpengine.redis.RedisStore;
import dev.otpengine.store.OtpStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import static dev.otpengine.spring.boot.OtpEngineAutoConfiguration.named;

/**
 * The Redis store's contribution: with {@code otpengine.store=redis} and otpengine-redis on the class path, an
 * {@link OtpStore} bean in Redis ({@code otpengine.redis.*}) that the engine keeps its state in, unless the application
 * has a store bean of its own.
 *
 * <p><b>Thread-safety:</b> Spring calls it once, at start-up.
 */
@AutoConfiguration(before = OtpEngineAutoConfiguration.class)
@ConditionalOnClass(name = "dev.otpengine.redis.RedisStore")
@ConditionalOnProperty(prefix = "otpengine", name = "store", havingValue = "redis")
@EnableConfigurationProperties(OtpEngineProperties.class)
public class OtpRedisStoreAutoConfiguration {

    /** Made by Spring. */
    public OtpRedisStoreAutoConfiguration() {
    }

    /**
     * The store; Spring closes it with the context, after the engine.
     *
     * @param properties the {@code otpengine.*} properties
     * @return the store
     * @throws OtpEnginePropertyException if {@code otpengine.redis.*} is missing or bad, naming the property
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(OtpStore.class)
    public OtpStore otpStore(OtpEngineProperties properties) {
        OtpEngineProperties.Redis redis = properties.getRedis();
        if (redis.getUri() == null) {
            throw new OtpEnginePropertyException("otpengine.redis.uri", "required with otpengine.store=redis", null);
        }
        RedisStore.Builder builder = named("otpengine.redis.uri", () -> RedisStore.builder(redis.getUri()));
        if (redis.getKeyPrefix() != null) {
            named("otpengine.redis.key-prefix", () -> builder.keyPrefix(redis.getKeyPrefix()));
        }
        if (redis.getTimeout() != null) {
            named("otpengine.redis.timeout", () -> builder.timeout(redis.getTimeout()));
        }
        return named("otpengine.redis", builder::build);
    }
}
