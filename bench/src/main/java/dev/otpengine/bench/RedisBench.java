package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.redis.RedisStore;
import dev.otpengine.store.OtpStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Full logins through the public API ({@link Logins}) of two engines on one local Redis, each on a {@link RedisStore}
 * of its own (two nodes): each login sends through one and verifies through the other. Compare with
 * {@link RedisFloorBench}, the same Redis work without the engine.
 */
@State(Scope.Benchmark)
public class RedisBench extends TwoNodeBench<BenchRedis> {

    @Override
    BenchRedis startServer() {
        return new BenchRedis();
    }

    @Override
    OtpStore store(BenchRedis server, int node) {
        return RedisStore.builder(server.uri()).build();
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
    public VerifyResult redis_8threads(EngineBench.Cursor cursor) {
        return login(cursor);
    }
}
