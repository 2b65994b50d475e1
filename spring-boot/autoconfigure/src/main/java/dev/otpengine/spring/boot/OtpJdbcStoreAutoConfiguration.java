package dev.otpengine.spring.boot;

import dev.otpengine.jdbc.JdbcStore;
import dev.otpengine.store.OtpStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

import static dev.otpengine.spring.boot.OtpEngineAutoConfiguration.named;

/**
 * The JDBC store's contribution: with {@code otpengine.store=jdbc} and otpengine-jdbc on the class path, an
 * {@link OtpStore} bean in PostgreSQL on the application's {@link DataSource} (Spring Boot's HikariCP pool), unless
 * the application has a store bean of its own. The tables must exist: start-up fails otherwise, saying how to create
 * them ({@code JdbcStore.schema(prefix)}, or the migration file {@code db/otpengine/V1__otpengine_schema.sql} in
 * otpengine-jdbc's jar for Flyway or Liquibase). The health indicator checks the store with the engine.
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
        JdbcStore.Builder builder = JdbcStore.builder(ds);
        if (jdbc.getTablePrefix() != null) {
            named("otpengine.jdbc.table-prefix", () -> builder.tablePrefix(jdbc.getTablePrefix()));
        }
        if (jdbc.getTimeout() != null) {
            named("otpengine.jdbc.timeout", () -> builder.timeout(jdbc.getTimeout()));
        }
        return named("otpengine.store", builder::build);
    }
}
