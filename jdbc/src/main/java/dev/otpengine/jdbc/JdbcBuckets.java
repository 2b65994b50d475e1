package dev.otpengine.jdbc;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.Request;
import dev.otpengine.RateLimitException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Bucket4j's select-for-update proxy manager on PostgreSQL: Bucket4j core runs the algorithm (lock the bucket's row,
 * read it, run the command, write it back, commit, in one transaction), and this class supplies its few statements,
 * as Bucket4j's own PostgreSQL module does, with two changes:
 * <ul>
 *   <li>Locking a bucket is one round trip for a new bucket too: {@code INSERT … ON CONFLICT DO NOTHING} of an empty row
 *       and {@code SELECT … FOR UPDATE} go together in one call, so Bucket4j never has to insert, commit and start
 *       again (six round trips for a new key, which on a login page is most keys: a new IP, a new phone).</li>
 *   <li>Each row has an expiry, by the engine's clock: when the bucket would be full again, so that the store's
 *       clean-up may drop it (a full bucket is what a new one would be); its tier ({@link #tier}: a requester's
 *       counter or a recipient's) and how much of its limit it uses ({@link #used}), by which the clean-up ranks rows
 *       when the table is past its cap.</li>
 * </ul>
 * A failure leaves as the store's: {@code NoConnectionException} or {@code InternalServerErrorException}, and it is
 * the first failure of the command: a rollback or a close that fails after it (the connection a timeout closed) is
 * added to it as suppressed, never thrown in its place.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class JdbcBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

    /** How long an empty row (locked but never written) is kept: a minute of the engine's time. */
    private static final long EMPTY_ROW_NANOS = 60_000_000_000L;

    private final Connections connections;
    private final String idPrefix;
    private final TimeMeter clock;
    private final int tier;
    private final String lockSql;
    private final String updateSql;

    JdbcBuckets(Connections connections, Schema schema, RateLimitException.Scope scope, TimeMeter clock) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.connections = connections;
        this.idPrefix = scope.name().toLowerCase(Locale.ROOT) + ':';
        this.clock = clock;
        this.tier = tier(scope);
        this.lockSql = "INSERT INTO " + schema.buckets + " (id, state, expires_at, tier) VALUES (?, NULL, ?, " + tier
                + ") "
                + "ON CONFLICT (id) DO NOTHING; SELECT state FROM " + schema.buckets + " WHERE id = ? FOR UPDATE";
        this.updateSql = "UPDATE " + schema.buckets + " SET state = ?, expires_at = ?, used = ? WHERE id = ?";
    }

    @Override
    public <T> CommandResult<T> execute(String key, Request<T> request) {
        try {
            return super.execute(key, request);
        } catch (RuntimeException e) {
            throw connections.failed(e);
        }
    }

    @Override
    public void removeProxy(String key) {
        throw new UnsupportedOperationException("the engine never removes a bucket; the clean-up drops full ones");
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
        Connection c;
        try {
            c = connections.open();
        } catch (SQLException e) {
            throw connections.failed(e);
        }
        return new Transaction(c, idPrefix + key);
    }

    /** The tier of a requester's counter: an IP's, an IP network's, a widget's; anyone can make these cheaply. */
    static final int REQUESTER = 0;
    /** The tier of a recipient's counter (and of every scope not named a requester's): trimmed only after the others. */
    static final int RECIPIENT = 1;
    /** The {@link #used} of a bucket that holds its whole capacity in some window: it refuses. */
    static final int SPENT = 1000;

    /**
     * The tier of a scope's rows. A requester's counters (sends per IP and IP network, sends per widget, verifications
     * per IP) are what a flood of cheap requests makes, one per address it comes from; a recipient's (a phone's sends,
     * its cooldown, its guess budget, the toll-fraud guard's rooms and verified-phone marks) exist only for sends that
     * passed every requester's limit, so the per-widget limit bounds them. Past the cap, the clean-up trims the first
     * tier before it touches the second: a flood of requests cannot push out a counter that limits a phone.
     */
    static int tier(RateLimitException.Scope scope) {
        switch (scope) {
            case IP:
            case VERIFY_IP:
            case WIDGET:
                return REQUESTER;
            default:
                return RECIPIENT;
        }
    }

    /**
     * How much of its limit the bucket uses, in thousandths of the capacity of its tightest window (rounded up, so a
     * bucket that holds a call is above 0): {@value #SPENT} when some window is spent, that is when it refuses. A
     * phone's spent guess budget (10 of 10) and a verified-phone mark (1 of 1) rank at the top, a verify-IP counter
     * holding 11 calls at 367 (of its 30 a minute; 37 of its 300 an hour): raw calls would put the budget below it.
     */
    static int used(RemoteBucketState state) {
        BucketState tokens = state.getState();
        Bandwidth[] bandwidths = state.getConfiguration().getBandwidths();
        long used = 0;
        for (int i = 0; i < bandwidths.length; i++) {
            long capacity = bandwidths[i].getCapacity();
            long held = Math.max(0, capacity - tokens.getCurrentSize(i));
            used = Math.max(used, held >= capacity ? SPENT : (held * SPENT + capacity - 1) / capacity);
        }
        return (int) used;
    }

    /** One command's transaction on one connection, given back to the pool by {@link #release()}. */
    private final class Transaction implements SelectForUpdateBasedTransaction {

        private final Connection connection;
        private final String id;
        /** The command's first failure, which the caller gets; later ones are added to it. */
        private RuntimeException failure;

        Transaction(Connection connection, String id) {
            this.connection = connection;
            this.id = id;
        }

        @Override
        public void begin(Optional<Long> timeoutNanos) {
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw fail(e);
            }
        }

        @Override
        public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
            try (PreparedStatement s = connection.prepareStatement(lockSql)) {
                s.setString(1, id);
                s.setLong(2, clock.currentTimeNanos() + EMPTY_ROW_NANOS);
                s.setString(3, id);
                s.execute(); // the insert
                if (!s.getMoreResults()) {
                    throw new IllegalStateException("PostgreSQL gave no rows for the bucket's SELECT");
                }
                try (ResultSet rs = s.getResultSet()) {
                    if (!rs.next()) {
                        return LockAndGetResult.notLocked(); // dropped by the clean-up meanwhile: Bucket4j tries again
                    }
                    return LockAndGetResult.locked(rs.getBytes(1));
                }
            } catch (SQLException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
            return true; // tryLockAndGet inserts it
        }

        @Override
        public void update(byte[] data, RemoteBucketState state, Optional<Long> timeoutNanos) {
            long now = clock.currentTimeNanos();
            try (PreparedStatement s = connection.prepareStatement(updateSql)) {
                s.setBytes(1, data);
                s.setLong(2, now + state.calculateFullRefillingTime(now));
                s.setInt(3, used(state));
                s.setString(4, id);
                s.executeUpdate();
            } catch (SQLException e) {
                throw fail(e);
            }
        }

        @Override
        public void commit(Optional<Long> timeoutNanos) {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw fail(e);
            }
        }

        /**
         * Bucket4j rolls back after a failure, and releases in a {@code finally}: either may fail in turn (a connection
         * the network timeout closed says "This connection has been closed.", with no SQL state, which would be a 500).
         * So neither throws: what fails is added to the command's first failure, which is what the caller gets; with
         * none (Bucket4j's own exception, or a bucket not found) closing the connection still ends the transaction.
         */
        @Override
        public void rollback() {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                quietly(e);
            }
        }

        @Override
        public void release() {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                quietly(e);
            }
        }

        private RuntimeException fail(Exception e) {
            RuntimeException translated = connections.failed(e);
            if (failure == null) {
                failure = translated;
            }
            return translated;
        }

        private void quietly(Exception e) {
            if (failure != null && failure != e) {
                failure.addSuppressed(Connections.stripped(e, 0));
            }
        }
    }
}
