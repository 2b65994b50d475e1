package dev.otpengine.jdbc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The schema: its DDL, the migration file in the jar, and the builder's checks of the prefix and the tables. */
final class JdbcSchemaTest {

    @Test
    void migrationFile_inTheJar_isTheSchemaOfTheDefaultPrefix() throws IOException {
        try (InputStream in = JdbcStore.class.getClassLoader().getResourceAsStream("db/otpengine/V1__otpengine_schema.sql")) {
            assertNotNull(in, "the migration file is missing from the jar");
            assertEquals(JdbcStore.schema("otp_"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void schema_runTwiceAsOneStatement_createsSixTablesOnce() throws SQLException {
        Postgres pg = Postgres.shared();
        pg.execute(JdbcStore.schema("twice_"));
        pg.execute(JdbcStore.schema("twice_"));

        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'twice\\_%'")) {
            rs.next();
            assertEquals(6, rs.getInt(1));
        }
        JdbcStore.builder(pg.first()).tablePrefix("twice_").build().close();
    }

    @Test
    void build_onADatabaseWithoutTheTables_failsSayingHowToCreateThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JdbcStore.builder(Postgres.shared().first()).tablePrefix("missing_").build());

        assertEquals("the database has no otpengine tables [missing_codes, missing_addresses, missing_messages, "
                + "missing_escalations, missing_blocked_widgets, missing_buckets]: create them with the DDL of "
                + "JdbcStore.schema(\"missing_\") (idempotent, one statement), or run the migration file "
                + "db/otpengine/V1__otpengine_schema.sql from otpengine-jdbc's jar with Flyway or Liquibase after "
                + "replacing its prefix otp_ with missing_", e.getMessage());
    }

    @Test
    void tablePrefix_notAPlainIdentifier_isRefusedNamingIt() {
        JdbcStore.Builder b = JdbcStore.builder(Postgres.shared().first());
        for (String bad : new String[] {"", "1otp_", "otp-", "Otp_", "otp_; DROP TABLE x; --", "a".repeat(41)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.tablePrefix(bad));
            assertEquals("tablePrefix must be 1 to 40 lower-case letters, digits or underscores, not starting with a "
                    + "digit: \"" + bad + "\"", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JdbcStore.schema("otp;"));
    }

    @Test
    void builder_settingTwiceOrOutOfRange_isRefusedNamingTheSetting() {
        JdbcStore.Builder b = JdbcStore.builder(Postgres.shared().first()).tablePrefix("a_").timeout(Duration.ofSeconds(1))
                .cleanupBatchSize(10).cleanupBatches(2).cleanupEvery(Duration.ZERO).cleanupTimeout(Duration.ofSeconds(5));

        assertEquals("tablePrefix was already set to a_",
                assertThrows(IllegalStateException.class, () -> b.tablePrefix("b_")).getMessage());
        assertEquals("timeout was already set to PT1S",
                assertThrows(IllegalStateException.class, () -> b.timeout(Duration.ofSeconds(2))).getMessage());
        assertEquals("cleanupBatchSize was already set to 10",
                assertThrows(IllegalStateException.class, () -> b.cleanupBatchSize(5)).getMessage());
        assertEquals("timeout must be from 1 ms to 1 minute: PT2M", assertThrows(IllegalArgumentException.class,
                () -> JdbcStore.builder(Postgres.shared().first()).timeout(Duration.ofMinutes(2))).getMessage());
        assertEquals("cleanupBatchSize must be from 1 to 100000: 0", assertThrows(IllegalArgumentException.class,
                () -> JdbcStore.builder(Postgres.shared().first()).cleanupBatchSize(0)).getMessage());
        assertEquals("cleanupEvery must be zero or from 1 second to 1 day: PT0.5S",
                assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder(Postgres.shared().first())
                        .cleanupEvery(Duration.ofMillis(500))).getMessage());
        assertEquals("cleanupTimeout was already set to PT5S",
                assertThrows(IllegalStateException.class, () -> b.cleanupTimeout(Duration.ofSeconds(9))).getMessage());
        assertEquals("cleanupTimeout must be from 1 second to 1 hour: PT0.5S",
                assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder(Postgres.shared().first())
                        .cleanupTimeout(Duration.ofMillis(500))).getMessage());
        assertEquals("cleanupTimeout must be from 1 second to 1 hour: PT1H0.001S",
                assertThrows(IllegalArgumentException.class, () -> JdbcStore.builder(Postgres.shared().first())
                        .cleanupTimeout(Duration.ofHours(1).plusMillis(1))).getMessage());
        assertEquals("dataSource", assertThrows(NullPointerException.class, () -> JdbcStore.builder(null)).getMessage());
    }
}
