package dev.otpengine.redis;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real {@code redis-server} process on a free loopback port, from the binary that embedded-redis ships (so the tests
 * need nothing installed but a JDK and Maven), without persistence: a restart empties it, as a Redis without
 * persistence does. One is shared by the tests of a JVM ({@link #shared()}); a test that stops Redis makes its own.
 */
final class RedisProcess implements AutoCloseable {

    private static RedisProcess shared;

    private final int port;
    private RedisServer server;

    private RedisProcess(int port) {
        this.port = port;
    }

    /** The JVM's shared server, started at first use and stopped when the JVM exits. */
    static synchronized RedisProcess shared() {
        if (shared == null) {
            shared = start();
            RedisProcess s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A server of one's own, on a new free port. */
    static RedisProcess start() {
        RedisProcess p = new RedisProcess(freePort());
        p.startAgain();
        return p;
    }

    /** Starts the server (again) on its port. */
    void startAgain() {
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
    }

    /** Stops the server; its data is gone. */
    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop redis-server on port " + port, e);
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (server != null && server.isActive()) {
                server.stop();
            }
        } catch (IOException e) {
            // the JVM is going away; the process dies with it
        }
    }
}
