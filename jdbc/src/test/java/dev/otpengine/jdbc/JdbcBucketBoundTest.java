package dev.otpengine.jdbc;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.store.support.Retention;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buckets table is bounded: a flood of distinct keys (refused requests from many IP networks, sends to many
 * phones), each making a bucket that lives until it would be full again (a day for a daily limit), is trimmed to
 * {@link JdbcStore.Builder#maxRateLimitKeys} by the clean-up, which drops the buckets that hold least; a busy counter
 * stays, nothing goes while the table is within its cap, two nodes trimming at once trim once, and the clean-up's
 * defaults outpace a flood that the old budget (10 batches of 1,000 a run) could not. Real PostgreSQL, virtual time;
 * the floods are one multi-row {@code INSERT} each.
 */
final class JdbcBucketBoundTest {

    private static final int CAP = 10_000;
    /** Five sends an hour to one phone: the victim's limit, used up. */
    private static final BucketConfiguration FIVE_AN_HOUR = BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(5).refillIntervally(5, Duration.ofHours(1)).build()).build();

    private final TestClock clock = TestClock.atFixedStart();
    private final TimeMeter meter = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return Retention.epochNanos(clock.instant());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    };
    private final Postgres pg = Postgres.shared();
    private final List<JdbcStore> stores = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void schema() {
        prefix = pg.newSchema();
    }

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
    }

    /** A store on the first (or second) node's pool with the cap, no background task, the clean-up's defaults. */
    private JdbcStore store(boolean second) {
        JdbcStore store = JdbcStore.builder(second ? pg.second() : pg.first()).tablePrefix(prefix).clock(clock)
                .cleanupEvery(Duration.ZERO).maxRateLimitKeys(CAP).build();
        stores.add(store);
        return store;
    }

    /**
     * {@code n} buckets of distinct IP keys (a requester's tier), each using {@code used} thousandths of its limit and
     * full again {@code fullIn} from now.
     */
    private void flood(String tag, int n, int used, Duration fullIn) {
        long expires = Retention.epochNanos(clock.instant().plus(fullIn));
        pg.execute("INSERT INTO " + prefix + "buckets (id, state, expires_at, used) SELECT 'ip:" + tag + "-' || i, "
                + "'\\x00', " + expires + ", " + used + " FROM generate_series(1, " + n + ") i");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long rows() throws SQLException {
        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + "buckets")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A phone's bucket with its five sends of the hour used: a counter that is genuinely limiting someone. */
    private BucketProxy limitedVictim(JdbcStore store) {
        ProxyManager<String> buckets = store.rateLimitBuckets(Scope.RECIPIENT, meter);
        BucketProxy victim = buckets.builder().build("w|phone|+12025550142", () -> FIVE_AN_HOUR);
        for (int i = 0; i < 5; i++) {
            assertTrue(victim.tryConsume(1), "send " + (i + 1));
        }
        assertFalse(victim.tryConsume(1), "the sixth send of the hour is refused");
        return victim;
    }

    @Test
    void flood_pastTheCap_isTrimmedToIt_droppingWhatHoldsLeast_notTheBusyCounter() throws SQLException {
        JdbcStore store = store(false);
        BucketProxy victim = limitedVictim(store);
        // each flood row outlives the victim's (a day against an hour) but holds one call against its five
        flood("flood", 5 * CAP, 1, Duration.ofDays(1));

        long dropped = store.cleanUp();

        assertEquals(CAP, rows(), "the table is back at its cap");
        assertEquals(5L * CAP + 1 - CAP, dropped);
        assertFalse(victim.tryConsume(1), "the victim's counter was kept: its sixth send is still refused");
        ProxyManager<String> buckets = store.rateLimitBuckets(Scope.IP, meter);
        assertTrue(buckets.builder().build("w|ip|198.51.100.7", () -> FIVE_AN_HOUR).tryConsume(1),
                "a new key still gets a bucket: the flood locks nobody out");
    }

    @Test
    void flood_ofEqualLoad_dropsItsNewestRows_soTheRowsThatWereThereFirstStay() throws SQLException {
        JdbcStore store = store(false);
        flood("first", CAP / 2, 1, Duration.ofHours(1));
        flood("flood", 2 * CAP, 1, Duration.ofHours(1)); // the same load and the same aligned window: a tie

        store.cleanUp();

        assertEquals(CAP, rows());
        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + "buckets WHERE id LIKE 'ip:first-%'")) {
            rs.next();
            assertEquals(CAP / 2, rs.getLong(1), "a flood of equal rows cannot push out the rows before it");
        }
    }

    @Test
    void floodOfBusierRows_dropsThemBeforeASpentCounterOfTheSameTier_byShareNotCalls() throws SQLException {
        JdbcStore store = store(false);
        // an IP's five sends of the hour, spent: it refuses (5 calls, 1000 thousandths of its limit)
        ProxyManager<String> ips = store.rateLimitBuckets(Scope.IP, meter);
        BucketProxy spent = ips.builder().build("w|ip|192.0.2.9", () -> FIVE_AN_HOUR);
        assertTrue(spent.tryConsume(5));
        assertFalse(spent.tryConsume(1));
        // verify-IP counters holding 11 calls of 300 each (37 thousandths): more calls than the spent counter holds
        flood("busier", 2 * CAP, 37, Duration.ofDays(1));

        store.cleanUp();

        assertEquals(CAP, rows());
        assertFalse(spent.tryConsume(1), "the spent counter still refuses: 11 calls of 300 rank below 5 of 5");
    }

    @Test
    void floodOfSpentRequesterCounters_isTrimmedBeforeARecipientsCounterThatUsesLess() throws SQLException {
        JdbcStore store = store(false);
        ProxyManager<String> phones = store.rateLimitBuckets(Scope.RECIPIENT, meter);
        BucketProxy phone = phones.builder().build("w|phone|+12025550143", () -> FIVE_AN_HOUR);
        assertTrue(phone.tryConsume(4), "four sends of five: a fifth is left");
        flood("spent", 2 * CAP, 1000, Duration.ofDays(1)); // IPs that spent their limits, a day long

        store.cleanUp();

        assertEquals(CAP, rows());
        assertEquals(1, count("SELECT count(*) FROM " + prefix + "buckets WHERE id = 'recipient:w|phone|+12025550143'"),
                "a recipient's counter goes only after every requester's");
        assertTrue(phone.tryConsume(1));
        assertFalse(phone.tryConsume(1), "the phone's count was kept: its sixth send is refused");
    }

    @Test
    void anotherNodeDeletingExpiredRows_uncommitted_doesNotMakeTheTrimGoBelowTheCap() throws SQLException {
        JdbcStore store = store(false);
        flood("expired", 1_000, 1000, Duration.ofHours(-1));
        flood("live", CAP + 2_000, 1, Duration.ofHours(1));
        long cutoff = Retention.epochNanos(clock.instant().minus(Duration.ofMinutes(1)));
        try (Connection other = pg.direct().getConnection(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            // another node's expiry batch (the clean-up's own statement), not yet committed while this one runs
            assertEquals(1_000, s.executeUpdate("DELETE FROM " + prefix + "buckets WHERE (id) IN (SELECT id FROM "
                    + prefix + "buckets WHERE expires_at < " + cutoff + " LIMIT 1000 FOR UPDATE SKIP LOCKED)"));

            assertEquals(2_000, store.cleanUp(), "the excess of the rows in time, not of the rows being deleted");
            other.commit();
        }
        assertEquals(CAP, rows(), "the cap exactly, once the other node's batch is committed");
    }

    @Test
    void anotherNodeTrimming_holdsTheLock_soThisOneLeavesTheTrimToIt() throws SQLException {
        JdbcStore store = store(false);
        flood("flood", CAP + 500, 1, Duration.ofHours(1));
        try (Connection other = pg.direct().getConnection();
             PreparedStatement s = other.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            s.setInt(1, JdbcStore.TRIM_LOCK);
            s.setInt(2, JdbcStore.trimLockKey(new Schema(prefix)));
            s.execute();

            assertEquals(0, store.cleanUp(), "another node holds the trim's lock: this one trims nothing");
            assertEquals(CAP + 500, rows());
            try (Statement unlock = other.createStatement()) {
                unlock.execute("SELECT pg_advisory_unlock_all()"); // the other node is done
            }
            assertEquals(500, store.cleanUp(), "the lock is free again: this node trims");
        }
        assertEquals(CAP, rows());
    }

    @Test
    void behindAPoolerThatMovesStatementsBetweenSessions_theStoreSaysTheTrimLockDoesNotWork() throws SQLException {
        flood("flood", CAP + 10, 1, Duration.ofHours(1));
        try (Connection first = pg.direct().getConnection(); Connection others = pg.direct().getConnection()) {
            // as PgBouncer in transaction mode would: the lock's statement on one server session, the rest on another
            int[] statements = {0};
            Connection pooled = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        Connection to = method.getName().equals("prepareStatement") && statements[0]++ == 0 ? first
                                : others;
                        return method.getName().equals("close") ? null : method.invoke(to, args);
                    });
            DataSource dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        statements[0] = 0;
                        return method.getName().equals("getConnection") ? pooled : method.invoke(pg.direct(), args);
                    });
            JdbcStore store = JdbcStore.builder(dataSource).tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO)
                    .maxRateLimitKeys(CAP).build();
            stores.add(store);

            store.cleanUp();

            assertTrue(store.warnedLockNotHeldForTests(), "the lock was given back on a session that did not hold it");
        }
    }

    @Test
    void withinTheCap_noCounterIsDropped() throws SQLException {
        JdbcStore store = store(false);
        BucketProxy victim = limitedVictim(store);
        flood("flood", CAP - 1, 1, Duration.ofDays(1));

        assertEquals(0, store.cleanUp(), "at the cap, nothing is trimmed");
        assertEquals(CAP, rows());
        assertFalse(victim.tryConsume(1), "the victim's counter is kept");

        flood("one-more", 1, 1, Duration.ofDays(1));
        assertEquals(1, store.cleanUp(), "one past the cap: one row goes, one that holds least");
        assertFalse(victim.tryConsume(1));
    }

    @Test
    void floodFasterThanTheOldBudget_staysUnderTheBoundRunAfterRun() throws SQLException {
        JdbcStore store = store(false);
        BucketProxy victim = limitedVictim(store);
        // 25,000 refused requests from new networks every 30 s: more than the 10,000 rows a run the old defaults
        // deleted; each bucket holds one call and would be full again in two minutes
        for (int run = 1; run <= 6; run++) {
            flood("run" + run, 25_000, 1, Duration.ofMinutes(2));
            clock.advance(Duration.ofSeconds(30));
            store.cleanUp();
            assertTrue(rows() <= CAP, "run " + run + ": " + rows() + " rows");
            assertFalse(victim.tryConsume(1), "run " + run + ": the victim's counter is kept");
        }
        clock.advance(Duration.ofMinutes(3));
        store.cleanUp();
        assertEquals(1, rows(), "once the engine's time has given the flood up, only the victim's bucket is left");
    }

    @Test
    void expiredFlood_largerThanTheOldBudget_goesInOneRun() throws SQLException {
        JdbcStore store = store(false);
        flood("expired", 50_000, 1, Duration.ofMinutes(-2));

        assertEquals(50_000, store.cleanUp(), "the old defaults deleted 10,000 a run, then stopped");
        assertEquals(0, rows());
    }

    @Test
    void twoNodesCleaningAtOnce_deleteEachExpiredRowOnce_andTrimOnce_downToTheCap() throws Exception {
        JdbcStore[] nodes = {store(false), store(true)};
        BucketProxy victim = limitedVictim(nodes[0]);
        flood("expired", 3 * CAP, 1, Duration.ofMinutes(-2));
        flood("flood", 4 * CAP, 1, Duration.ofDays(1));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (JdbcStore node : nodes) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return node.cleanUp();
                }));
            }
            start.countDown();
            long dropped = runs.get(0).get(60, TimeUnit.SECONDS) + runs.get(1).get(60, TimeUnit.SECONDS);

            assertEquals(CAP, rows(), "down to the cap, not below it: the nodes drew the same line");
            assertEquals(3L * CAP + 4L * CAP + 1 - CAP, dropped,
                    "the rows the two deleted add up to the expired ones and the excess: none deleted twice");
            assertFalse(victim.tryConsume(1));
        } finally {
            pool.shutdownNow();
        }
    }
}
