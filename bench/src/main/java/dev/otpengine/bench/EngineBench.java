package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;


/** Full logins through the public API ({@link Logins}), with the default limits or none, at 1 and 2 threads. */
@State(Scope.Benchmark)
public class EngineBench extends JmhSettings {

    /** Which limits: {@code default} ({@code RateLimits.defaults()}) or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    private Logins logins;

    /**
     * Where each benchmark thread is in the pool. Thread {@code t} of {@code n} takes the pool's entries {@code t},
     * {@code t + n}, {@code t + 2n} and so on, so no two threads ever log the same phone in: one would withdraw the
     * other's code, as a resend does.
     */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
        int step;

        /** @param thread which thread this is */
        @Setup
        public void start(ThreadParams thread) {
            next = thread.getThreadIndex();
            step = thread.getThreadCount();
        }

        int take() {
            int i = next;
            next += step;
            return i;
        }
    }

    /** Builds the engine. */
    @Setup(Level.Trial)
    public void setUp() {
        logins = new Logins("default".equals(limits), 0);
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        logins.close();
    }

    /**
     * One login, one thread.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(1)
    public VerifyResult otpengine_1thread(Cursor cursor) {
        return logins.login(cursor.take());
    }

    /**
     * One login, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(2)
    public VerifyResult otpengine_2threads(Cursor cursor) {
        return logins.login(cursor.take());
    }
}
