package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;


/**
 * Logins with 10,000 codes left pending, beside {@code SpringOttBench} with 10,000 live tokens: no limits (Spring's
 * service has none) and a still clock, so the parked codes stay pending throughout.
 */
@State(Scope.Benchmark)
public class PendingBench extends JmhSettings {

    private Logins logins;
    private int next;

    /** Builds the engine and parks 10,000 codes. */
    @Setup(Level.Trial)
    public void setUp() {
        logins = new Logins(false, 10_000);
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        logins.close();
    }

    /**
     * One login, one thread, 10,000 codes pending.
     *
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(1)
    public VerifyResult otpengine10kPending_1thread() {
        return logins.login(next++);
    }
}
