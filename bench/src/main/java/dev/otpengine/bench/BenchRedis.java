package dev.otpengine.bench;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A local redis-server for the Redis benchmarks: the binary embedded-redis ships (6.2), on a free loopback port,
 * without persistence, started per JMH trial and stopped after it.
 */
final class BenchRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    BenchRedis() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
    }

    /** The port redis-server listens on, on loopback. */
    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
