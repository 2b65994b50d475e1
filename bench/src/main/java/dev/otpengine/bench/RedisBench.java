package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.redis.RedisStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Full logins through the public API ({@link Logins}) of two engines on one local Redis, each on a {@link RedisStore}
 * of its own (two nodes): each login sends through one and verifies through the other. Compare with
 * {@link RedisFloorBench}, the same Redis work without the engine.
 */
@State(Scope.Benchmark)
public class RedisBench extends JmhSettings {

    /** Which limits: {@code default} ({@code RateLimits.defaults()}) or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    private BenchRedis redis;
    private RedisStore first;
    private RedisStore second;
    private Logins logins;

    /** Starts Redis and builds the two nodes. */
    @Setup(Level.Trial)
    public void setUp() {
        redis = new BenchRedis();
        first = RedisStore.builder(redis.uri()).build();
        second = RedisStore.builder(redis.uri()).build();
        logins = new Logins("default".equals(limits), 0, first, second);
    }

    /** Closes the engines, the stores and Redis. */
    @TearDown(Level.Trial)
    public void tearDown() {
        logins.close();
        first.close();
        second.close();
        redis.close();
    }

    /**
     * One login, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(2)
    public VerifyResult redis_2threads(EngineBench.Cursor cursor) {
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
    public VerifyResult redis_8threads(EngineBench.Cursor cursor) {
        return logins.login(cursor.take());
    }
}
