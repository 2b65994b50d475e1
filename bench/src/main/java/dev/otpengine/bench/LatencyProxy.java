package dev.otpengine.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that holds every chunk it reads for a fixed delay before passing it on, each way: what a
 * Redis in another zone looks like to the engine. A command and its answer each wait the delay once, so a round trip
 * costs twice the delay; commands sent together (a pipeline) share one wait. Chunks keep their order: each direction
 * of each connection has one reader, which stamps a chunk with its due time, and one writer, which waits until then.
 *
 * <p><b>Thread-safety:</b> thread-safe; four daemon threads per proxied connection, one for accepting.
 */
final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Starts the proxy on a free loopback port.
     *
     * @param targetPort the port on loopback to pass connections to
     * @param delayMicros how long each chunk is held, each way
     */
    LatencyProxy(int targetPort, long delayMicros) {
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "latency-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port to connect to instead of the target's. */
    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(target);
                }
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** A chunk and when it may go on. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private void pipe(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        BlockingQueue<Chunk> held = new LinkedBlockingQueue<>();
        daemon(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    held.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
                }
            } catch (IOException e) {
                // the connection was closed: pass that on
            }
            held.add(END);
        });
        daemon(() -> {
            try {
                for (Chunk chunk; (chunk = held.take()) != END; ) {
                    for (long wait; (wait = chunk.dueNanos - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(chunk.bytes);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                // the other side went away
            }
        });
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "latency-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
