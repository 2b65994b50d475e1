package dev.otpengine.bench;

import io.github.bucket4j.redis.consts.LuaScripts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The floor of {@link RedisBench}: the Redis work one login needs, done directly with Lettuce on two connections (as
 * the two nodes have; a login sends on one and verifies on the other), and nothing else — no engine, no code, no HMAC, no Bucket4j arithmetic. With no limits: {@code SISMEMBER} (the block
 * list), the store's put script, {@code HMGET} (the code), the store's judge script, four round trips. With the
 * default limits, per bucket the engine touches (four on a send, three on a verification) Bucket4j's two: {@code GET},
 * then its {@code SET NX PX} script for a new bucket or its compare-and-swap script for one that exists, with a state of
 * the size Bucket4j writes for the default limits.
 */
@State(Scope.Benchmark)
public class RedisFloorBench extends JmhSettings {

    /** {@code default}: the round trips of the default limits too; {@code unlimited}: the codes' only. */
    @Param({"default", "unlimited"})
    public String limits;

    /** The size of a bucket's state as Bucket4j writes it for the default per-recipient limits: 178 bytes. */
    private static final byte[] STATE = new byte[178];

    private BenchRedis redis;
    private RedisClient client;
    private final StatefulRedisConnection<String, byte[]>[] connections = newConnections();
    private final RedisCommands<String, byte[]>[] nodes = newCommands();
    private String putSha;
    private String judgeSha;
    private boolean buckets;

    /** Starts Redis, connects, loads the store's two scripts. */
    @Setup(Level.Trial)
    public void setUp() {
        redis = new BenchRedis();
        client = RedisClient.create(redis.uri());
        for (int n = 0; n < 2; n++) {
            connections[n] = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            nodes[n] = connections[n].sync();
        }
        putSha = nodes[0].scriptLoad(script("put"));
        judgeSha = nodes[0].scriptLoad(script("judge"));
        buckets = "default".equals(limits);
        Arrays.fill(STATE, (byte) 1);
    }

    private static String script(String name) {
        try (InputStream in = RedisFloorBench.class.getResourceAsStream("/dev/otpengine/redis/" + name + ".lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Disconnects and stops Redis. */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (StatefulRedisConnection<String, byte[]> c : connections) {
            c.close();
        }
        client.shutdown();
        redis.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked") // an array of a generic type
    private static StatefulRedisConnection<String, byte[]>[] newConnections() {
        return new StatefulRedisConnection[2];
    }

    @SuppressWarnings("unchecked") // an array of a generic type
    private static RedisCommands<String, byte[]>[] newCommands() {
        return new RedisCommands[2];
    }

    /** Bucket4j's two round trips on one bucket: read it, then create it or compare-and-swap it. */
    private static void bucket(RedisCommands<String, byte[]> commands, String key) {
        byte[] held = commands.get(key);
        if (held == null) {
            commands.eval(LuaScripts.SCRIPT_SET_NX_PX, ScriptOutputType.BOOLEAN, new String[] {key}, STATE,
                    bytes("86400000"));
        } else {
            commands.eval(LuaScripts.SCRIPT_COMPARE_AND_SWAP_PX, ScriptOutputType.BOOLEAN, new String[] {key}, held,
                    STATE, bytes("86400000"));
        }
    }

    boolean login(int i) {
        int at = i & (Traffic.POOL - 1);
        String widget = Traffic.WIDGET_IDS[at % Traffic.WIDGETS].toString();
        String phone = Traffic.PHONES[at];
        String ip = Traffic.IPS[at];
        String requestId = UUID.randomUUID().toString();
        String codeKey = "otpengine:{codes}:c:" + requestId;
        RedisCommands<String, byte[]> commands = nodes[i & 1];

        commands.sismember("otpengine:{codes}:blocked", bytes(widget));
        if (buckets) {
            bucket(commands, "otpengine:b:resend_cooldown:f|" + widget + "|phone|" + phone);
            bucket(commands, "otpengine:b:recipient:f|" + widget + "|phone|" + phone);
            bucket(commands, "otpengine:b:ip:f|" + widget + "|ip|" + ip);
            bucket(commands, "otpengine:b:widget:f|" + widget);
        }
        commands.evalsha(putSha, ScriptOutputType.INTEGER,
                new String[] {codeKey, "otpengine:{codes}:blocked", "otpengine:{codes}:i:" + widget + ":phone:" + phone},
                bytes(requestId), bytes("otpengine:{codes}:c:"), bytes("1767258000"), bytes("0"), bytes("1767258300"),
                bytes("0"), bytes("361000"), bytes("00112233445566778899aabb"), bytes(widget),
                bytes("phone\t" + phone), bytes("3"), bytes("0"));

        commands = nodes[(i + 1) & 1];
        commands.hmget(codeKey, "es", "en", "t", "w", "r", "m");
        if (buckets) {
            bucket(commands, "otpengine:b:verify_ip:f|" + widget + "|ip|" + ip);
            bucket(commands, "otpengine:b:verify_failures:f|" + widget + "|phone|" + phone);
        }
        Object judged = commands.evalsha(judgeSha, ScriptOutputType.MULTI, new String[] {codeKey},
                bytes("1767258001"), bytes("0"), bytes("00112233445566778899aabb"), bytes("60"), bytes(""));
        if (buckets) {
            bucket(commands, "otpengine:b:verify_failures:f|" + widget + "|phone|" + phone);
        }
        return judged != null;
    }

    /**
     * One login's Redis work, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return whether Redis answered, for the blackhole
     */
    @Benchmark
    @Threads(2)
    public boolean floor_2threads(EngineBench.Cursor cursor) {
        return login(cursor.take());
    }

    /**
     * One login's Redis work, eight threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return whether Redis answered, for the blackhole
     */
    @Benchmark
    @Threads(8)
    public boolean floor_8threads(EngineBench.Cursor cursor) {
        return login(cursor.take());
    }
}
