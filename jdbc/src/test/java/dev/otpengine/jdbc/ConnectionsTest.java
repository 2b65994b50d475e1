package dev.otpengine.jdbc;

import dev.otpengine.InternalServerErrorException;
import dev.otpengine.NoConnectionException;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How a failed transaction reaches the engine (found by the adversarial review): a connection the store's timeout
 * closed mid-transaction, whose restoring of auto-commit then fails with "closed", must still be the store's 503, not
 * an internal error hiding the timeout; a replica that became read-only after a failover is a 503 too.
 */
final class ConnectionsTest {

    /** A connection whose work fails with {@code failure} and whose {@code setAutoCommit(true)} fails as closed. */
    private static DataSource timingOut(SQLException failure) {
        Connection connection = (Connection) Proxy.newProxyInstance(ConnectionsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
                        throw new SQLException("Connection is closed");
                    }
                    if (method.getName().equals("commit")) {
                        throw failure;
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
        return (DataSource) Proxy.newProxyInstance(ConnectionsTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? connection : null);
    }

    private static Connections connections(DataSource dataSource) {
        return new Connections(dataSource, Duration.ofSeconds(2), Duration.ofSeconds(30), "test");
    }

    @Test
    void aTimeoutMidTransaction_whoseConnectionIsThenClosed_isTheStores503() {
        try (Connections connections = connections(timingOut(new SQLException("I/O error",
                "08006", new SocketTimeoutException("Read timed out"))))) {
            NoConnectionException e = assertThrows(NoConnectionException.class,
                    () -> connections.inTransaction(c -> 1));
            assertEquals(503, e.httpStatus());
        }
    }

    @Test
    void aReadOnlyTransaction_aReplicaAfterAFailover_isTheStores503() {
        try (Connections connections = connections(timingOut(new SQLException(
                "cannot execute INSERT in a read-only transaction", "25006")))) {
            assertThrows(NoConnectionException.class, () -> connections.inTransaction(c -> 1));
        }
    }

    @Test
    void aDatabaseThatCannotServeTheCallForNow_isTheStores503_withoutCountingItDown() {
        // disk full, out of memory, an I/O error, a serialization failure, a deadlock, a lock not granted in time
        for (String state : new String[] {"53100", "53200", "58030", "40001", "40P01", "55P03"}) {
            try (Connections connections = connections(timingOut(new SQLException("unused")))) {
                SQLException refused = new SQLException("the database could not", state);
                NoConnectionException e = assertThrows(NoConnectionException.class,
                        () -> connections.run(c -> { throw refused; }), state);
                assertSame(refused, e.getCause(), state);
                assertFalse(connections.isDown(), state + ": it answered, so calls need not wait for a probe");
            }
        }
    }

    @Test
    void aStatementTheDatabaseRefuses_isA500_causedByTheSqlException_neverABareIllegalStateException() {
        // a table missing, a privilege missing, a value the column does not take
        for (String state : new String[] {"42P01", "42501", "22P02"}) {
            try (Connections connections = connections(timingOut(new SQLException("unused")))) {
                SQLException refused = new SQLException("relation does not exist", state);
                InternalServerErrorException e = assertThrows(InternalServerErrorException.class,
                        () -> connections.run(c -> { throw refused; }), state);
                assertEquals(500, e.httpStatus());
                SQLException cause = assertInstanceOf(SQLException.class, e.getCause().getCause(), state);
                assertEquals(state, cause.getSQLState());
                assertEquals("java.sql.SQLException (SQL state " + state + ")", cause.getMessage());
                assertArrayEquals(refused.getStackTrace(), cause.getStackTrace(), "where it failed is kept");
                assertFalse(connections.isDown(), state);
                assertThrows(InternalServerErrorException.class,
                        () -> connections.inTransaction(c -> { throw refused; }), state);
            }
        }
    }

    @Test
    void aFaultOfOursInsideTheWork_isA500_andOneAlreadyTurnedIntoOursPassesAsItIs() {
        try (Connections connections = connections(timingOut(new SQLException("unused")))) {
            IllegalStateException bug = new IllegalStateException("a row the store cannot read");
            Throwable cause = assertThrows(InternalServerErrorException.class,
                    () -> connections.run(c -> { throw bug; })).getCause();
            assertEquals("java.lang.IllegalStateException", cause.getMessage());
            assertArrayEquals(bug.getStackTrace(), cause.getStackTrace());
            InternalServerErrorException ours = new InternalServerErrorException(bug);
            assertSame(ours, connections.failed(ours));
        }
    }

    @Test
    void aRefusalQuotingTheFailingRow_reachesTheCallerAndTheLogWithoutThePhoneOrEmailInIt() {
        SQLException refused = new SQLException("ERROR: null value in column \"tag\" of relation \"otp_codes\" violates "
                + "not-null constraint\n  Detail: Failing row contains (+1 202-555-0142, victim@example.com).", "23502");
        try (Connections connections = connections(timingOut(new SQLException("unused")))) {
            InternalServerErrorException e = assertThrows(InternalServerErrorException.class,
                    () -> connections.run(c -> { throw refused; }));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(t.toString().contains("555") || t.toString().contains("example.com"), t.toString());
            }
        }
        assertEquals("ERROR: null value in column \"tag\" of relation \"otp_codes\" violates not-null constraint",
                Connections.describe(refused), "the log line: the server's first line, not its detail");
        assertEquals("ERROR: invalid input: <number> and ***@***", Connections.describe(new SQLException(
                "ERROR: invalid input: +12025550142 and victim@example.com", "22P02")));
    }
}
