package dev.otpengine.jdbc;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;

import java.time.Clock;

/**
 * The store contract on a real PostgreSQL, two nodes: the two engines of each test on two {@link JdbcStore}s, each on
 * a pool of its own, on one database and one table prefix, as two instances of an application would be.
 */
final class JdbcTwoNodesContractTest extends OtpStoreContractTest {

    private String prefix;
    private Clock clock;

    @Override
    protected OtpStore createStore(Clock clock) {
        Postgres pg = Postgres.shared();
        this.prefix = pg.newSchema();
        this.clock = clock;
        return JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock).build();
    }

    @Override
    protected OtpStore openSecondNode(OtpStore first) {
        return JdbcStore.builder(Postgres.shared().second()).tablePrefix(prefix).clock(clock).build();
    }
}
