package dev.otpengine.bench;

import dev.otpengine.VerifyResult;
import dev.otpengine.redis.RedisStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The round trips a user waits for when Redis is far away: one thread logs in ({@link Logins}: with two nodes, send on
 * one and verify on the other, as {@link RedisBench} does) through a {@link LatencyProxy} that holds every chunk {@link #delayMicros}
 * each way, so each round trip the engine waits for costs about twice the delay and the engine's own work (microseconds)
 * disappears beside it. Its channel answers with a provider message id, as a real gateway does, so the engine also
 * remembers each message for its delivery report.
 *
 * <p>Read it as round trips: {@code login} ms ÷ (2 × delay), calibrated by {@code floor}, exactly two round trips
 * ({@code PING}, then {@code PING}) on a connection through the same proxy: round trips per login =
 * 2 × {@code login} ÷ {@code floor}. Average time, one fork, 3 × 2 s of warm-up and 5 × 2 s measured: the figure is the
 * delay's, not the JIT's.
 * <pre>{@code java -jar bench/target/benchmarks.jar RedisLatencyBench -p delayMicros=5000}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Threads(1)
public class RedisLatencyBench {

    /** Which limits: {@code default} ({@code RateLimits.defaults()}) or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    /**
     * How many nodes: {@code 2} sends on one and verifies on the other, as {@link RedisBench} does (a bucket another
     * node wrote last costs a swap that loses, then one that wins: two round trips, as every bucket call did before);
     * {@code 1} logs in through one engine.
     */
    @Param({"2", "1"})
    public int nodes;

    /** How long the proxy holds each chunk, each way, in microseconds. */
    @Param({"2000"})
    public long delayMicros;

    private BenchRedis redis;
    private LatencyProxy proxy;
    private RedisStore first;
    private RedisStore second;
    private Logins logins;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> floor;
    private int next;

    /** Starts Redis and the proxy, builds the two nodes and the floor's connection, all through the proxy. */
    @Setup(Level.Trial)
    public void setUp() {
        redis = new BenchRedis();
        proxy = new LatencyProxy(redis.port(), delayMicros);
        String uri = "redis://127.0.0.1:" + proxy.port();
        first = RedisStore.builder(uri).build();
        second = RedisStore.builder(uri).build();
        logins = new Logins(new AcceptingChannel(true, true), "default".equals(limits), 0,
                nodes == 1 ? new RedisStore[] {first} : new RedisStore[] {first, second});
        client = RedisClient.create(uri);
        connection = client.connect();
        floor = connection.sync();
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        logins.close();
        first.close();
        second.close();
        connection.close();
        client.shutdown();
        proxy.close();
        redis.close();
    }

    /**
     * One login, one thread.
     *
     * @return the result, for the blackhole
     */
    @Benchmark
    public VerifyResult login() {
        return logins.login(next++);
    }

    /**
     * Exactly two round trips through the proxy: the calibration.
     *
     * @return the second answer, for the blackhole
     */
    @Benchmark
    public String floor() {
        floor.ping();
        return floor.ping();
    }
}
