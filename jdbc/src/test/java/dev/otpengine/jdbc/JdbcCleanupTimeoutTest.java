package dev.otpengine.jdbc;

import dev.otpengine.NoConnectionException;
import dev.otpengine.store.support.Retention;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The clean-up has its own timeout ({@link JdbcStore.Builder#cleanupTimeout}): its statements may take longer than the
 * calls' {@link JdbcStore.Builder#timeout} (a count near a cap of a million rows under traffic, a batch behind a lock),
 * and one that times out fails its run without counting the database as down (found by the adversarial review: the
 * trim's line query past the 2 s timeout failed every run and marked the whole store down). The buckets table is
 * locked by another connection, as a long migration or a {@code VACUUM FULL} would.
 */
final class JdbcCleanupTimeoutTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final Postgres pg = Postgres.shared();
    private final List<JdbcStore> stores = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void schema() {
        prefix = pg.newSchema();
        long expired = Retention.epochNanos(clock.instant().minus(Duration.ofHours(1)));
        pg.execute("INSERT INTO " + prefix + "buckets (id, state, expires_at) SELECT 'ip:e-' || i, '\\x00', " + expired
                + " FROM generate_series(1, 100) i");
    }

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
    }

    private JdbcStore store(JdbcStore.Builder builder) {
        JdbcStore store = builder.tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO).build();
        stores.add(store);
        return store;
    }

    private Connection lockingTheBuckets() throws SQLException {
        Connection c = pg.direct().getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + prefix + "buckets IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    @Test
    void cleanupStatementTimedOut_failsThatRun_butTheStoreIsNotDown() throws SQLException {
        JdbcStore store = store(JdbcStore.builder(pg.first()).cleanupTimeout(Duration.ofSeconds(1)));
        try (Connection lock = lockingTheBuckets()) {
            NoConnectionException e = assertThrows(NoConnectionException.class, store::cleanUp);
            assertEquals(503, e.httpStatus());
            assertFalse(store.isDownForTests(), "a clean-up that took too long says nothing of the calls' database");
            lock.rollback();
        }
        assertEquals(100, store.cleanUp(), "the next run does the work");
    }

    @Test
    void cleanupStatement_mayWaitLongerThanTheCallsTimeout() throws Exception {
        JdbcStore store = store(JdbcStore.builder(pg.first()).timeout(Duration.ofMillis(200)));
        try (Connection lock = lockingTheBuckets()) {
            CompletableFuture<Long> run = CompletableFuture.supplyAsync(store::cleanUp);
            awaitCleanupWaitingLongerThan(Duration.ofSeconds(1)); // five times the calls' timeout
            lock.rollback();
            assertEquals(100, run.get(30, TimeUnit.SECONDS), "the run waited for the lock and did its work");
        }
        assertFalse(store.isDownForTests());
    }

    /** Until PostgreSQL shows the clean-up's statement on the buckets waiting for the lock for longer than that. */
    private void awaitCleanupWaitingLongerThan(Duration waited) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM "
                + prefix + "buckets%' AND now() - query_start > ? * interval '1 millisecond'";
        try (Connection c = pg.direct().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, waited.toMillis());
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("the clean-up's statement was not seen waiting for the lock");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }
}
