package dev.otpengine.jdbc;

import dev.otpengine.InternalServerErrorException;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpException;
import dev.otpengine.store.support.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The store's way to the database: a connection borrowed from the application's {@link DataSource} for one operation
 * and given back, its reads bounded by the store's timeout ({@link Connection#setNetworkTimeout}), and every failure
 * turned into the store's: {@code NoConnectionException} when the database could not be reached or serve the call,
 * {@code InternalServerErrorException} when it refused the statement ({@link #failed}).
 *
 * <p><b>Failing fast while the database is down.</b> A pool asked for a connection while the database is down waits
 * its own connection timeout (HikariCP's default is 30 s) before it gives up. Once a call has failed to reach the
 * database, the store counts it as down: later calls no longer ask the pool themselves, but wait, at most the store's
 * timeout, for one probe (one thread, one request to the pool at a time) to get a connection; the first probe that
 * does marks the database up again, so the store recovers by itself.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class Connections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final DataSource dataSource;
    private final int timeoutMillis;
    /** The clean-up's statements' timeout, in whole seconds (JDBC's query timeout). */
    private final int cleanupSeconds;
    private final StoreFailures failures;
    private final String where;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otpengine-jdbc-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean down;
    private CompletableFuture<Void> probe;

    Connections(DataSource dataSource, Duration timeout, Duration cleanupTimeout, String where) {
        this.dataSource = dataSource;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
        this.cleanupSeconds = (int) Math.max(1, (cleanupTimeout.toMillis() + 999) / 1000);
        this.failures = StoreFailures.of(JdbcStore.NAME, where, Connections::unavailable);
        this.where = where;
    }

    /** One piece of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Runs work on a connection in auto-commit mode: each statement its own transaction. */
    <T> T run(Work<T> work) {
        try (Connection c = open()) {
            return work.on(c);
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * Runs the clean-up's work on a connection in auto-commit mode, its statements bounded by the clean-up's timeout
     * rather than the store's ({@link #cleanupStatement}; the network timeout is that and the store's timeout more, a
     * backstop for a server that stopped answering). A failure is the store's, as from {@link #run}, but it never marks
     * the database down: a clean-up statement that took too long says nothing of whether calls can reach it.
     */
    <T> T runCleanup(Work<T> work) {
        try (Connection c = open()) {
            c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, cleanupSeconds * 1000L + timeoutMillis));
            return work.on(c);
        } catch (SQLException | RuntimeException e) {
            throw failed(e, false);
        }
    }

    /** A statement of the clean-up: the server cancels it after the clean-up's timeout (SQL state 57014). */
    PreparedStatement cleanupStatement(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            s.setQueryTimeout(cleanupSeconds);
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Runs work in one transaction, committed if it returns, rolled back if it throws. */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = open()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.on(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                restoreAutoCommitQuietly(c, e); // a connection the timeout closed must not hide why with its own error
                throw e;
            }
            c.setAutoCommit(true);
            return result;
        } catch (SQLException | RuntimeException e) {
            throw failed(e);
        }
    }

    private static void restoreAutoCommitQuietly(Connection c, Exception cause) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException r) {
            cause.addSuppressed(r);
        }
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException r) {
            cause.addSuppressed(r);
        }
    }

    /**
     * A connection whose reads give up after the store's timeout; the caller closes it.
     *
     * @throws SQLException if the database cannot be reached
     */
    Connection open() throws SQLException {
        if (down) {
            awaitProbe();
        }
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            down = true;
            throw e;
        }
        try {
            c.setNetworkTimeout(Runnable::run, timeoutMillis);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return c;
    }

    /** Waits, at most the timeout, for the one probe to reach the database. */
    private void awaitProbe() throws SQLException {
        CompletableFuture<Void> p;
        synchronized (this) {
            if (probe == null || probe.isDone()) { // a probe that ended, well or not, says nothing of now
                probe = CompletableFuture.runAsync(this::probeOnce, prober);
            }
            p = probe;
        }
        try {
            p.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SQLTransientConnectionException("the database gave no connection within " + timeoutMillis
                    + " ms", "08001", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SQLException ? (SQLException) cause
                    : new SQLTransientConnectionException("the database could not be reached", "08001", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for the database", "08001", e);
        }
    }

    private void probeOnce() {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(Math.max(1, timeoutMillis / 1000))) {
                throw new SQLTransientConnectionException("the database's connection is not valid", "08006");
            }
            down = false;
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /**
     * The failure as the engine gets it: {@link NoConnectionException} (503) if the database could not be reached or
     * could not serve the call for now ({@link #unavailable}), which also marks it down if it could not be reached;
     * else {@link InternalServerErrorException} (500), logged once here with its SQL state: the database refused the
     * statement (a table or a privilege missing, a fault of ours). Never a driver's exception, never a bare
     * {@code IllegalStateException}. The 500's cause is the failure {@linkplain #stripped stripped} of its messages,
     * since PostgreSQL quotes the failing row (a phone, an email) in them, and the engine hands our exceptions to its
     * caller and its listeners as they are.
     */
    RuntimeException failed(Exception e) {
        return failed(e, true);
    }

    private RuntimeException failed(Exception e, boolean marksDown) {
        if (marksDown && unreachable(e)) {
            down = true;
        }
        RuntimeException translated = failures.translate(e);
        if (translated instanceof OtpException) {
            return translated; // NoConnectionException, or a failure turned into ours already
        }
        SQLException sql = sqlException(e);
        log.error("JDBC store ({}) failed{}", where, sql == null ? ": " + translated.getClass().getName()
                : " with SQL state " + sql.getSQLState() + ": " + describe(sql));
        return new InternalServerErrorException(stripped(translated, 0));
    }

    private static final Pattern EMAIL = Pattern.compile("[^\\s\"'(),]+@[^\\s\"'(),]+");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\+?\\d[\\d ().-]{5,}\\d");

    /**
     * The server's own line of a refusal, for the log: its first line only (PostgreSQL's detail, on the lines after,
     * quotes the failing row), with what could be an email or a phone number masked.
     */
    static String describe(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        String first = end < 0 ? message : message.substring(0, end);
        return LONG_NUMBER.matcher(EMAIL.matcher(first).replaceAll("***@***")).replaceAll("<number>");
    }

    /**
     * A copy of a failure for the 500's cause: each exception of the chain named by its class (and its SQL state),
     * without its message, with its stack frames: where it failed, not what it was about.
     */
    static Throwable stripped(Throwable t, int depth) {
        Throwable cause = t.getCause() != null && t.getCause() != t && depth < 8 ? stripped(t.getCause(), depth + 1)
                : null;
        Throwable copy;
        if (t instanceof SQLException) {
            String state = ((SQLException) t).getSQLState();
            copy = new SQLException(t.getClass().getName() + " (SQL state " + state + ")", state, cause);
        } else {
            copy = new IllegalStateException(t.getClass().getName(), cause);
        }
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    private static SQLException sqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return (SQLException) t;
            }
        }
        return null;
    }

    /**
     * Whether a failure is the store's 503: the database could not be reached ({@link #unreachable}) or could not serve
     * the call for now, though it answered: SQL states of class 53 (insufficient resources: disk full, out of memory),
     * 58 (system error: I/O), 40001 and 40P01 (a serialization failure, a deadlock) and 55P03 (a lock not available
     * in time). Trying again later may work; nothing was written.
     */
    static boolean unavailable(Throwable e) {
        if (unreachable(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("53") || state.startsWith("58") || state.equals("40001")
                        || state.equals("40P01") || state.equals("55P03"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return whether calls wait for a probe: the last call could not reach the database */
    boolean isDown() {
        return down;
    }

    /**
     * Whether a failure means the database could not be reached or did not answer in time: JDBC's connection and
     * timeout exceptions, the SQL states of class 08 (connection exception), 57P01 to 57P03 (the server shutting down
     * or starting), 57014 (a statement cancelled by its timeout), 53300 (too many connections) and 25006 (a read-only
     * transaction: a replica after a failover, which cannot keep state), and a socket timeout.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException || t instanceof SQLRecoverableException
                    || t instanceof SocketTimeoutException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("57014")
                        || state.equals("53300") || state.equals("25006"))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
