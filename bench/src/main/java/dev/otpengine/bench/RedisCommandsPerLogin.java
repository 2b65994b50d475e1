package dev.otpengine.bench;

import dev.otpengine.redis.RedisStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.util.Map;
import java.util.TreeMap;

/**
 * Redis commands per login, from {@code INFO commandstats}: runs 10,000 logins of {@link RedisBench} (two nodes, one
 * Redis) with the given limits and prints the calls of each command divided by the logins. Commands that scripts run
 * inside Redis ({@code redis.call}) are counted there too, apart from the scripts' own {@code evalsha}/{@code eval}.
 * Also prints the size of one bucket's state as Bucket4j wrote it.
 * <pre>{@code java -cp bench/target/benchmarks.jar dev.otpengine.bench.RedisCommandsPerLogin default}</pre>
 */
public final class RedisCommandsPerLogin {

    private RedisCommandsPerLogin() {
    }

    /**
     * @param args {@code default} or {@code unlimited}
     */
    public static void main(String[] args) {
        boolean defaults = args.length > 0 && "default".equals(args[0]);
        int logins = 10_000;
        try (BenchRedis redis = new BenchRedis();
             RedisStore first = RedisStore.builder(redis.uri()).build();
             RedisStore second = RedisStore.builder(redis.uri()).build()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, byte[]> c = client.connect(
                    RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                 Logins l = new Logins(defaults, 0, first, second)) {
                RedisCommands<String, byte[]> redisCommands = c.sync();
                l.login(0); // scripts and connections warm
                redisCommands.configResetstat();
                for (int i = 1; i <= logins; i++) {
                    l.login(i);
                }
                String stats = redisCommands.info("commandstats");
                Map<String, Long> calls = new TreeMap<>();
                for (String line : stats.split("\r?\n")) {
                    if (line.startsWith("cmdstat_")) {
                        String name = line.substring(8, line.indexOf(':'));
                        long n = Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
                        if (!name.equals("config") && !name.equals("info")) {
                            calls.put(name, n);
                        }
                    }
                }
                long total = calls.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("limits=%s, %d logins%n", defaults ? "default" : "unlimited", logins);
                calls.forEach((name, n) -> System.out.printf("  %-10s %6.2f per login%n", name, n / (double) logins));
                System.out.printf("  %-10s %6.2f per login%n", "all", total / (double) logins);
                if (defaults) {
                    KeyScanCursor<String> cursor = redisCommands.scan(ScanArgs.Builder.matches("*:b:recipient:*")
                            .limit(10_000));
                    while (cursor.getKeys().isEmpty() && !cursor.isFinished()) {
                        cursor = redisCommands.scan(cursor, ScanArgs.Builder.matches("*:b:recipient:*").limit(10_000));
                    }
                    if (!cursor.getKeys().isEmpty()) {
                        System.out.printf("  a recipient bucket's state: %d bytes%n",
                                redisCommands.strlen(cursor.getKeys().get(0)));
                    }
                }
            } finally {
                client.shutdown();
            }
        }
    }
}
