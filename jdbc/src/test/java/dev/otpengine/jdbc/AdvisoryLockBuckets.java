package dev.otpengine.jdbc;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.pessimistic_locking.AbstractLockBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.pessimistic_locking.LockBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The other way Bucket4j core offers, kept for {@link BucketLockingMeasure} only: its lock-based proxy manager with a
 * PostgreSQL transaction-scoped advisory lock per bucket ({@code pg_advisory_xact_lock} of the id's hash, and the read,
 * in one round trip: two statements, the read's snapshot taken once the lock is held), then an {@code INSERT} or
 * {@code UPDATE}, then {@code COMMIT}, which releases the lock.
 */
final class AdvisoryLockBuckets extends AbstractLockBasedProxyManager<String> {

    private final Connections connections;
    private final Schema schema;
    private final TimeMeter clock;

    AdvisoryLockBuckets(Connections connections, Schema schema, TimeMeter clock) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.connections = connections;
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public void removeProxy(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected LockBasedTransaction allocateTransaction(String key, Optional<Long> timeout) {
        try {
            Connection c = connections.open();
            return new Tx(c, key);
        } catch (SQLException e) {
            throw connections.failed(e);
        }
    }

    private final class Tx implements LockBasedTransaction {
        private final Connection c;
        private final String id;

        Tx(Connection c, String id) {
            this.c = c;
            this.id = id;
        }

        @Override
        public void begin(Optional<Long> timeout) {
            run(() -> c.setAutoCommit(false));
        }

        @Override
        public byte[] lockAndGet(Optional<Long> timeout) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0)); "
                    + "SELECT state FROM " + schema.buckets + " WHERE id = ?")) {
                s.setString(1, id);
                s.setString(2, id);
                s.execute();
                s.getMoreResults();
                try (ResultSet rs = s.getResultSet()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }

        @Override
        public void unlock() {
            // the lock is the transaction's: commit or rollback releases it
        }

        @Override
        public void create(byte[] data, RemoteBucketState state, Optional<Long> timeout) {
            write("INSERT INTO " + schema.buckets + " (state, expires_at, id) VALUES (?, ?, ?)", data, state);
        }

        @Override
        public void update(byte[] data, RemoteBucketState state, Optional<Long> timeout) {
            write("UPDATE " + schema.buckets + " SET state = ?, expires_at = ? WHERE id = ?", data, state);
        }

        private void write(String sql, byte[] data, RemoteBucketState state) {
            long now = clock.currentTimeNanos();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setBytes(1, data);
                s.setLong(2, now + state.calculateFullRefillingTime(now));
                s.setString(3, id);
                s.executeUpdate();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }

        @Override
        public void rollback() {
            run(c::rollback);
        }

        @Override
        public void commit(Optional<Long> timeout) {
            run(c::commit);
        }

        @Override
        public void release() {
            run(c::close);
        }

        private void run(SqlAction a) {
            try {
                a.run();
            } catch (SQLException e) {
                throw connections.failed(e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
