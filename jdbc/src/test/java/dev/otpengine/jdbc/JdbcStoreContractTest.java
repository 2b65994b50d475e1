package dev.otpengine.jdbc;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;

import java.time.Clock;

/**
 * The store contract on a real PostgreSQL, one node: both engines of each test on one {@link JdbcStore} and one pool.
 * Each test has a table prefix of its own, so it starts from empty tables.
 */
final class JdbcStoreContractTest extends OtpStoreContractTest {

    @Override
    protected OtpStore createStore(Clock clock) {
        Postgres pg = Postgres.shared();
        return JdbcStore.builder(pg.first()).tablePrefix(pg.newSchema()).clock(clock).build();
    }
}
