package dev.otpengine.redis;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisShardedCluster;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The store contract on a real Redis Cluster of three masters (three redis-server processes, slots shared out
 * between them): each script's keys share a hash slot, or Redis would refuse it with {@code CROSSSLOT}; bucket keys
 * land on all three.
 */
final class RedisClusterContractTest extends OtpStoreContractTest {

    private static RedisShardedCluster cluster;

    private String prefix;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = RedisShardedCluster.newRedisCluster().shard("a", 0).shard("b", 0).shard("c", 0)
                .ephemeral().initializationTimeout(Duration.ofSeconds(20)).build();
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        cluster.stop();
    }

    @Override
    protected OtpStore createStore(Clock clock) {
        prefix = "cluster-" + UUID.randomUUID() + ":";
        return node();
    }

    @Override
    protected OtpStore openSecondNode(OtpStore first) {
        return node();
    }

    private RedisStore node() {
        return RedisStore.clusterBuilder("redis://127.0.0.1:" + cluster.serverPorts().get(0)).keyPrefix(prefix).build();
    }
}
