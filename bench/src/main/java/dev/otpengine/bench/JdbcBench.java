package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.jdbc.JdbcStore;
import dev.otpengine.store.OtpStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Full logins through the public API ({@link Logins}) of two engines on one local PostgreSQL, each on a
 * {@link JdbcStore} of its own with a HikariCP pool of its own (two nodes): each login sends through one and verifies
 * through the other. Compare with {@link JdbcFloorBench}, the same statements in plain JDBC.
 */
@State(Scope.Benchmark)
public class JdbcBench extends TwoNodeBench<BenchPostgres> {

    @Override
    BenchPostgres startServer() {
        return new BenchPostgres();
    }

    @Override
    OtpStore store(BenchPostgres server, int node) {
        return JdbcStore.builder(node == 0 ? server.first() : server.second()).build();
    }

    /**
     * One login, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(2)
    public VerifyResult jdbc_2threads(EngineBench.Cursor cursor) {
        return login(cursor);
    }

    /**
     * One login, eight threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(8)
    public VerifyResult jdbc_8threads(EngineBench.Cursor cursor) {
        return login(cursor);
    }
}
