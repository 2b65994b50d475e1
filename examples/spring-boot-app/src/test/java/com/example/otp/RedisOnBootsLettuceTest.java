package com.example.otp;

import dev.otpengine.redis.RedisStore;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;
import io.lettuce.core.LettuceVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis store's whole contract on the Lettuce that Spring Boot's BOM picks (this module imports the BOM, as an
 * application does; see its pom), not the 7.x otpengine-redis is built on, against a real {@code redis-server} that
 * embedded-redis ships: two engines on two {@link RedisStore}s (two clients, two connections) on one server and one
 * key prefix, which each test makes new.
 */
final class RedisOnBootsLettuceTest extends OtpStoreContractTest {

    private static RedisServer server;
    private static int port;
    private String prefix;

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        server.stop();
    }

    @Override
    protected OtpStore createStore(Clock clock) {
        prefix = "boot-bom-" + UUID.randomUUID() + ":";
        return node();
    }

    @Override
    protected OtpStore openSecondNode(OtpStore first) {
        return node();
    }

    private RedisStore node() {
        return RedisStore.builder("redis://127.0.0.1:" + port).keyPrefix(prefix).build();
    }

    /** Without this, the contract above could pass on the Lettuce the engine is built on and prove nothing new. */
    @Test
    void lettuce_isTheSixLineSpringBootsBomManages() {
        assertTrue(LettuceVersion.getVersion().startsWith("6."),
                "Lettuce on the class path is " + LettuceVersion.getVersion() + ", not Spring Boot 4.0's 6.x");
    }
}
