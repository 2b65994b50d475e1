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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 *       clean-up may drop it (a full bucket is what a new one would be); and what it holds, the most calls any of its
 *       windows holds ({@link #held}), by which the clean-up ranks rows when the table is past its cap.</li>
 * </ul>
 * A failure leaves as the store's: {@code NoConnectionException} or {@code InternalServerErrorException}.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class JdbcBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

    /** How long an empty row (locked but never written) is kept: a minute of the engine's time. */
    private static final long EMPTY_ROW_NANOS = 60_000_000_000L;

    private final Connections connections;
    private final String idPrefix;
    private final TimeMeter clock;
    private final String lockSql;
    private final String updateSql;

    JdbcBuckets(Connections connections, Schema schema, String scope, TimeMeter clock) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.connections = connections;
        this.idPrefix = scope + ':';
        this.clock = clock;
        this.lockSql = "INSERT INTO " + schema.buckets + " (id, state, expires_at) VALUES (?, NULL, ?) "
                + "ON CONFLICT (id) DO NOTHING; SELECT state FROM " + schema.buckets + " WHERE id = ? FOR UPDATE";
        this.updateSql = "UPDATE " + schema.buckets + " SET state = ?, expires_at = ?, held = ? WHERE id = ?";
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

    /**
     * The most calls any window of the bucket holds: its capacity minus what is left, at the last refill (the load by
     * which the in-process store sorts its buckets into tiers). What a row is worth when the table is over its cap:
     * dropping it forgets that many calls at most.
     */
    static int held(RemoteBucketState state) {
        BucketState tokens = state.getState();
        Bandwidth[] bandwidths = state.getConfiguration().getBandwidths();
        long held = 0;
        for (int i = 0; i < bandwidths.length; i++) {
            held = Math.max(held, bandwidths[i].getCapacity() - tokens.getCurrentSize(i));
        }
        return (int) Math.min(Integer.MAX_VALUE, held);
    }

    /** One command's transaction on one connection, given back to the pool by {@link #release()}. */
    private final class Transaction implements SelectForUpdateBasedTransaction {

        private final Connection connection;
        private final String id;

        Transaction(Connection connection, String id) {
            this.connection = connection;
            this.id = id;
        }

        @Override
        public void begin(Optional<Long> timeoutNanos) {
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw connections.failed(e);
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
            } catch (SQLException e) {
                throw connections.failed(e);
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
                s.setInt(3, held(state));
                s.setString(4, id);
                s.executeUpdate();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }

        @Override
        public void commit(Optional<Long> timeoutNanos) {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }

        @Override
        public void rollback() {
            try {
                connection.rollback();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }

        @Override
        public void release() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }
    }
}
