package dev.otpengine.redis;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisShardedCluster;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
        // embedded-redis sets cluster-node-timeout to 5 s: on a loaded 2-core machine a node slow to answer the
        // others' pings that long is marked failing, and with no replicas the whole cluster answers CLUSTERDOWN
        for (int port : cluster.serverPorts()) {
            try (RedisClient admin = RedisClient.create("redis://127.0.0.1:" + port);
                 StatefulRedisConnection<String, String> c = admin.connect()) {
                c.sync().configSet("cluster-node-timeout", "60000");
            }
        }
        // embedded-redis waits until one node says the cluster is ok; the others may take a few seconds more to
        // agree, and until then they answer CLUSTERDOWN: wait until every node does (cluster forming is real time)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int port : cluster.serverPorts()) {
            try (RedisClient admin = RedisClient.create("redis://127.0.0.1:" + port);
                 StatefulRedisConnection<String, String> c = admin.connect()) {
                while (!c.sync().clusterInfo().contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("node " + port + " did not see the cluster ok within 30 s");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
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
