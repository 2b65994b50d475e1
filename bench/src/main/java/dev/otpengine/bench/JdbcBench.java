package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.jdbc.JdbcStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Full logins through the public API ({@link Logins}) of two engines on one local PostgreSQL, each on a
 * {@link JdbcStore} of its own with a HikariCP pool of its own (two nodes): each login sends through one and verifies
 * through the other. Compare with {@link JdbcFloorBench}, the same statements in plain JDBC.
 */
@State(Scope.Benchmark)
public class JdbcBench extends JmhSettings {

    /** Which limits: {@code default} ({@code RateLimits.defaults()}) or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    private BenchPostgres postgres;
    private JdbcStore first;
    private JdbcStore second;
    private Logins logins;

    /** Starts PostgreSQL and builds the two nodes. */
    @Setup(Level.Trial)
    public void setUp() {
        postgres = new BenchPostgres();
        first = JdbcStore.builder(postgres.first()).build();
        second = JdbcStore.builder(postgres.second()).build();
        logins = new Logins("default".equals(limits), 0, first, second);
    }

    /** Closes the engines, the stores and PostgreSQL. */
    @TearDown(Level.Trial)
    public void tearDown() {
        logins.close();
        first.close();
        second.close();
        postgres.close();
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
        return logins.login(cursor.take());
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
        return logins.login(cursor.take());
    }
}
