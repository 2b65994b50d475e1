package dev.otpengine.jdbc;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import dev.otpengine.store.support.Retention;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rate-limit check that times out is the store's 503, not a 500: the network timeout closes the connection, and
 * Bucket4j then rolls back on it, which fails with "This connection has been closed." (no SQL state); that failure
 * must not take the place of the first one (found by the adversarial review). The buckets table is locked by another
 * connection, so each check waits for the lock until the store's timeout.
 */
final class JdbcBucketTimeoutTest {

    private static final UUID WIDGET = UUID.fromString("0b8f6a2e-3c1d-4e5f-9a7b-6c5d4e3f2a1b");
    private static final byte[] SECRET = "the bucket timeout test's secret, 32 bytes".getBytes(StandardCharsets.UTF_8);

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final Postgres pg = Postgres.shared();
    private String prefix;
    private JdbcStore store;
    private OtpEngine engine;

    @BeforeEach
    void open() {
        prefix = pg.newSchema();
        store = JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO)
                .timeout(Duration.ofMillis(300)).build();
        engine = OtpEngine.builder().store(store).secret(SECRET).clock(clock).channel(sms)
                .rateLimits(RateLimits.defaults()).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @AfterEach
    void close() {
        engine.close();
        store.close();
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
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
    void bucketsLocked_aSendsRateLimitCheckTimesOut_isThe503_andNothingIsDelivered() throws SQLException {
        try (Connection lock = lockingTheBuckets()) {
            NoConnectionException e = assertThrows(NoConnectionException.class, () -> engine.send(
                    SendRequest.builder(WIDGET).phone("+12025550188").userIp("198.51.100.4").build()));
            assertEquals(503, e.httpStatus());
            assertEquals("the engine's store (jdbc) could not be reached; try again later", e.getMessage());
            assertTrue(sms.messages().isEmpty());
            lock.rollback();
        }
    }

    @Test
    void bucketsLocked_aBucketCall_failsWithItsFirstFailure_theRollbacksAddedToIt() throws SQLException {
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return Retention.epochNanos(clock.instant());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        BucketConfiguration five = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(5).refillIntervally(5, Duration.ofHours(1)).build()).build();
        try (Connection lock = lockingTheBuckets()) {
            NoConnectionException e = assertThrows(NoConnectionException.class, () -> store.rateLimitBuckets(Scope.IP,
                    meter).builder().build("w|ip|192.0.2.1", () -> five).tryConsume(1));
            assertEquals(503, e.httpStatus());
            assertEquals(1, e.getSuppressed().length, "the rollback on the closed connection, added to the timeout");
            assertInstanceOf(SQLException.class, e.getSuppressed()[0], "the driver's \"connection has been closed\"");
            lock.rollback();
        }
    }
}
