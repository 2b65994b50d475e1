package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.store.OtpStore;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full logins through the public API ({@link Logins}) of two engines on one shared store server, each on a store of
 * its own (two nodes): each login sends through one and verifies through the other. A subclass starts the server,
 * builds a node's store on it, and declares its {@code @Benchmark} methods (JMH names a benchmark by its class and
 * method), each calling {@link #login}.
 *
 * @param <S> the server
 */
@State(Scope.Benchmark)
public abstract class TwoNodeBench<S extends AutoCloseable> extends JmhSettings {

    /** Which limits: {@code default} ({@code RateLimits.defaults()}) or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    private S server;
    private OtpStore first;
    private OtpStore second;
    private Logins logins;

    /**
     * Starts the store's server.
     *
     * @return the server, closed after the trial
     */
    abstract S startServer();

    /**
     * Builds one node's store on the server {@link #startServer} started.
     *
     * @param server that server
     * @param node 0 for the node that sends, 1 for the one that verifies
     * @return the store
     */
    abstract OtpStore store(S server, int node);

    /** Starts the server and builds the two nodes. */
    @Setup(Level.Trial)
    public void setUp() {
        server = startServer();
        first = store(server, 0);
        second = store(server, 1);
        logins = new Logins("default".equals(limits), 0, first, second);
    }

    /**
     * Closes the engines, the stores and the server.
     *
     * @throws Exception if the server fails to close
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        logins.close();
        first.close();
        second.close();
        server.close();
    }

    /**
     * One login.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    VerifyResult login(EngineBench.Cursor cursor) {
        return logins.login(cursor.take());
    }
}
