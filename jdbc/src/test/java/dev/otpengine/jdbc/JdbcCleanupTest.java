package dev.otpengine.jdbc;

import dev.otpengine.spi.Recipient;
import dev.otpengine.store.StoredCode;
import dev.otpengine.store.support.Retention;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clean-up: a flood of expired rows costs each run a bounded number of rows, counted, and every expired row goes
 * in the end while live ones stay.
 */
final class JdbcCleanupTest {

    private static final int FLOOD = 1_000_000;
    private static final int BATCH = 20_000;
    private static final int BATCHES = 5;

    private final TestClock clock = TestClock.atFixedStart();
    private final Postgres pg = Postgres.shared();
    private String prefix;
    private JdbcStore store;

    @BeforeEach
    void open() {
        prefix = pg.newSchema();
        store = JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO)
                .cleanupBatchSize(BATCH).cleanupBatches(BATCHES).build();
    }

    @AfterEach
    void close() {
        store.close();
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
    }

    private long rows(String table) throws SQLException {
        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void cleanUp_ofAMillionExpiredCodes_deletesAtMostBatchTimesBatchesPerRun_untilNoneIsLeft() throws SQLException {
        long expired = Retention.epochNanos(clock.instant().minus(Duration.ofHours(1)));
        pg.execute("INSERT INTO " + prefix + "codes (request_id, widget_id, recipient, tag, expires_at, max_attempts) "
                + "SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '6f1c3f0e-8d5b-4c7a-9a43-2f0d1b7e5c19', E'phone\\t+12025550100', "
                + "'\\x00000000000000000000000000000000', " + expired + ", 5 FROM generate_series(1, " + FLOOD + ") i");
        StoredCode live = new StoredCode(UUID.randomUUID(), UUID.randomUUID(), Recipient.ofPhone("+12025550199"),
                new byte[StoredCode.TAG_BYTES], clock.instant().plus(Duration.ofMinutes(2)), 5);
        store.putCode(live, clock.instant());

        long left = FLOOD + 1;
        int runs = 0;
        while (left > 1) {
            long deleted = store.cleanUp();
            runs++;
            assertEquals(Math.min(BATCH * BATCHES, left - 1), deleted, "run " + runs);
            left -= deleted;
            assertEquals(left, rows("codes"));
        }
        assertEquals(FLOOD / (BATCH * BATCHES), runs);
        assertEquals(0, store.cleanUp());
        assertTrue(store.findCode(live.requestId(), clock.instant()).isPresent(), "a live code stays");
    }

    @Test
    void cleanUp_withoutAClock_goesByTheLatestTimeAnEngineGave_notByTheHostsClock() throws SQLException {
        try (JdbcStore unclocked = JdbcStore.builder(pg.first()).tablePrefix(prefix).cleanupEvery(Duration.ZERO).build()) {
            assertEquals(0, unclocked.cleanUp(), "no engine has called: nothing is known to be given up");
            StoredCode code = new StoredCode(UUID.randomUUID(), UUID.randomUUID(), Recipient.ofPhone("+12025550197"),
                    new byte[StoredCode.TAG_BYTES], clock.instant().plus(Duration.ofMinutes(2)), 5);
            unclocked.putCode(code, clock.instant()); // the test clock is months behind the host's

            assertEquals(0, unclocked.cleanUp(), "the code is live by the engine's time");
            unclocked.findCode(code.requestId(), clock.instant().plus(Duration.ofMinutes(4).plusNanos(1)));
            assertEquals(2, unclocked.cleanUp(), "the code and its address row, given up by the engine's time");
            assertEquals(0, rows("codes"));
        }
    }

    @Test
    void cleanUp_takesEachTablesRowsOnceTheEnginesTimeHasGivenThemUp_andNotBefore() throws SQLException {
        StoredCode code = new StoredCode(UUID.randomUUID(), UUID.randomUUID(), Recipient.ofPhone("+12025550198"),
                new byte[StoredCode.TAG_BYTES], clock.instant().plus(Duration.ofMinutes(2)), 5);
        store.putCode(code, clock.instant());
        store.blockWidget(code.widgetId());

        clock.advance(Duration.ofMinutes(2).plus(dev.otpengine.store.OtpStore.EXPIRED_RETENTION));
        assertEquals(0, store.cleanUp(), "within the minute the clean-up leaves to clocks that differ");
        clock.advance(Duration.ofMinutes(1).plusNanos(1));

        assertEquals(2, store.cleanUp(), "the code and its address row");
        assertEquals(0, rows("codes"));
        assertEquals(0, rows("addresses"));
        assertEquals(1, rows("blocked_widgets"), "a block never expires");
    }
}
