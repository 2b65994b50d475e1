package dev.otpengine.spring.boot;

import dev.otpengine.jdbc.JdbcStore;
import dev.otpengine.store.OtpStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;

import static dev.otpengine.spring.boot.OtpEngineAutoConfiguration.named;

/**
 * The JDBC store's contribution: with {@code otpengine.store=jdbc} and otpengine-jdbc on the class path, an
 * {@link OtpStore} bean in PostgreSQL on the application's {@link DataSource} (Spring Boot's HikariCP pool), unless
 * the application has a store bean of its own. The tables must exist: start-up fails otherwise, saying how to create
 * them ({@code JdbcStore.schema(prefix)}, or the migration file {@code db/otpengine/V1__otpengine_schema.sql} in
 * otpengine-jdbc's jar for Flyway or Liquibase). The health indicator checks the store with the engine. A HikariCP
 * pool that waits longer for a connection than the store's timeout is left as the application set it, with a WARN at
 * start-up naming {@code spring.datasource.hikari.connection-timeout}.
 *
 * <p><b>Thread-safety:</b> Spring calls it once, at start-up.
 */
@AutoConfiguration(before = OtpEngineAutoConfiguration.class,
        afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass(name = "dev.otpengine.jdbc.JdbcStore")
@ConditionalOnProperty(prefix = "otpengine", name = "store", havingValue = "jdbc")
@EnableConfigurationProperties(OtpEngineProperties.class)
public class OtpJdbcStoreAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OtpJdbcStoreAutoConfiguration.class);
    /** The store's own timeout unless {@code otpengine.jdbc.timeout} is set, as {@code JdbcStore.Builder} has it. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

    /** Made by Spring. */
    public OtpJdbcStoreAutoConfiguration() {
    }

    /**
     * The store; Spring closes it with the context, after the engine (the data source stays the application's).
     *
     * @param properties the {@code otpengine.*} properties
     * @param dataSource the application's data source
     * @return the store
     * @throws OtpEnginePropertyException if there is no data source, the tables are missing or
     *     {@code otpengine.jdbc.*} is bad, naming the property
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(OtpStore.class)
    public OtpStore otpStore(OtpEngineProperties properties, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
            throw new OtpEnginePropertyException("otpengine.store", "jdbc needs one DataSource bean (spring.datasource.* "
                    + "with a PostgreSQL driver), and the application has none or several", null);
        }
        OtpEngineProperties.Jdbc jdbc = properties.getJdbc();
        warnIfThePoolWaitsLonger(ds, jdbc.getTimeout() != null ? jdbc.getTimeout() : DEFAULT_TIMEOUT);
        JdbcStore.Builder builder = JdbcStore.builder(ds);
        if (jdbc.getTablePrefix() != null) {
            named("otpengine.jdbc.table-prefix", () -> builder.tablePrefix(jdbc.getTablePrefix()));
        }
        if (jdbc.getTimeout() != null) {
            named("otpengine.jdbc.timeout", () -> builder.timeout(jdbc.getTimeout()));
        }
        if (jdbc.getMaxRateLimitKeys() != null) {
            named("otpengine.jdbc.max-rate-limit-keys", () -> builder.maxRateLimitKeys(jdbc.getMaxRateLimitKeys()));
        }
        if (jdbc.getCleanupTimeout() != null) {
            named("otpengine.jdbc.cleanup-timeout", () -> builder.cleanupTimeout(jdbc.getCleanupTimeout()));
        }
        return named("otpengine.store", builder::build);
    }

    /**
     * Says at start-up, at WARN, when the application's HikariCP pool waits longer for a connection than the store's
     * timeout: a call made just after the database went away waits for the pool (30 s unless
     * {@code spring.datasource.hikari.connection-timeout} is set) before its 503, and so do the threads behind it. The
     * pool's settings are the application's: this changes nothing, it only says which property to set.
     */
    static void warnIfThePoolWaitsLonger(DataSource dataSource, Duration storeTimeout) {
        Duration poolTimeout = hikariConnectionTimeout(dataSource);
        if (poolTimeout != null && poolTimeout.compareTo(storeTimeout) > 0) {
            log.warn("otpengine.store=jdbc: the DataSource's HikariCP pool waits up to {} ms for a connection "
                    + "(spring.datasource.hikari.connection-timeout), longer than the store's timeout of {} ms "
                    + "(otpengine.jdbc.timeout): a call just after the database went away waits that long before its "
                    + "503; set spring.datasource.hikari.connection-timeout to {}ms or less",
                    poolTimeout.toMillis(), storeTimeout.toMillis(), storeTimeout.toMillis());
        }
    }

    /** HikariCP's connection timeout if the data source is (or wraps) a HikariCP pool, else {@code null}. */
    private static Duration hikariConnectionTimeout(DataSource dataSource) {
        try {
            Class<?> hikari = Class.forName(HIKARI, false, dataSource.getClass().getClassLoader());
            Object pool = hikari.isInstance(dataSource) ? dataSource
                    : dataSource.isWrapperFor(hikari) ? dataSource.unwrap(hikari) : null;
            if (pool == null) {
                return null;
            }
            return Duration.ofMillis((Long) hikari.getMethod("getConnectionTimeout").invoke(pool));
        } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
            return null; // not HikariCP, or one we cannot read: nothing to say
        }
    }
}
