package dev.otpengine.jdbc;

import dev.otpengine.InternalServerErrorException;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.Escalation;
import dev.otpengine.store.SentMessage;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every way into the database, on a real PostgreSQL whose tables were dropped after the store was built (a statement
 * the database refuses, not a connection lost): each fails with the store's documented
 * {@link InternalServerErrorException} (500) whose cause is PostgreSQL's error, SQL state 42P01, never with the
 * driver's exception or a bare {@code IllegalStateException} (found by the adversarial review on {@code blockWidget}).
 */
final class JdbcFailuresTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final Postgres pg = Postgres.shared();
    private String prefix;
    private JdbcStore store;

    @BeforeEach
    void storeWithoutItsTables() {
        prefix = pg.newSchema();
        store = JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO).build();
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyPath_toATableTheDatabaseNoLongerHas_failsAsA500_causedByTheSqlError() {
        Instant now = clock.instant();
        UUID widget = UUID.randomUUID();
        UUID request = UUID.randomUUID();
        Recipient phone = Recipient.ofPhone("+12025550131");
        StoredCode code = new StoredCode(request, widget, phone, new byte[StoredCode.TAG_BYTES],
                now.plus(Duration.ofMinutes(5)), 5);
        TimeMeter meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return dev.otpengine.store.support.Retention.epochNanos(clock.instant());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(5).refillIntervally(5, Duration.ofHours(1)).build()).build();
        Map<String, Executable> paths = new LinkedHashMap<>();
        paths.put("putCode", () -> store.putCode(code, now));
        paths.put("findCode", () -> store.findCode(request, now));
        paths.put("judgeGuess", () -> store.judgeGuess(request, new byte[StoredCode.TAG_BYTES], now));
        paths.put("withdrawCode", () -> store.withdrawCode(request));
        paths.put("rememberMessage", () -> store.rememberMessage(new SentMessage("sms", "SM1", request, widget,
                null, 1, now.plus(Duration.ofMinutes(5))), now));
        paths.put("findMessage", () -> store.findMessage("sms", "SM1", now));
        paths.put("scheduleEscalation", () -> store.scheduleEscalation(new Escalation(request, widget, phone, null,
                "sms", List.of("voice"), now.plus(Duration.ofMinutes(1)), now.plus(Duration.ofMinutes(5)),
                new byte[] {1}), now));
        paths.put("claimDueEscalations", () -> store.claimDueEscalations(now, 10));
        paths.put("expediteEscalation", () -> store.expediteEscalation(request, "sms", now));
        paths.put("a rate-limit bucket", () -> store.rateLimitBuckets(Scope.IP, meter).builder()
                .build("w|ip|192.0.2.1", () -> config).tryConsume(1));
        paths.put("blockWidget", () -> store.blockWidget(widget));
        paths.put("unblockWidget", () -> store.unblockWidget(widget));
        paths.put("isWidgetBlocked", () -> store.isWidgetBlocked(widget));
        paths.put("cleanUp", () -> store.cleanUp());

        for (Map.Entry<String, Executable> path : paths.entrySet()) {
            InternalServerErrorException e = assertThrows(InternalServerErrorException.class, path.getValue(),
                    path.getKey());
            assertEquals(500, e.httpStatus(), path.getKey());
            assertEquals("42P01", sqlState(e), path.getKey() + ": undefined table");
        }
        assertEquals(OptionalLong.empty(), store.pendingCodes(), "a gauge does not fail");
        store.checkReachable(); // SELECT 1 needs no table: the database is reachable
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return ((SQLException) t).getSQLState();
            }
        }
        return assertInstanceOf(SQLException.class, e, "no SQLException among the causes").getSQLState();
    }
}
