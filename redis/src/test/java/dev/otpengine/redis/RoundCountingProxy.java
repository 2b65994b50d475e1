package dev.otpengine.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A TCP proxy in front of Redis that counts the round trips one thread waits for, without a clock: it passes commands
 * on at once but holds Redis's answers until the thread is parked, waiting, every command the client dispatched has
 * reached Redis, and every one of them has its whole answer here; then it hands all the answers over at once, and that
 * is one round trip. Commands sent together (pipelined) share one; a command sent only once an answer came back (a
 * script after the read it needs) starts another. Replies and commands are counted by reading RESP, so that a round is
 * never cut in two by how TCP splits the bytes.
 *
 * <p><b>Thread-safety:</b> thread-safe; two threads per proxied connection, one accepting, one handing answers over.
 */
final class RoundCountingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger rounds = new AtomicInteger();
    /** The commands each round answered, for a message. */
    private final List<List<String>> sizes = new CopyOnWriteArrayList<>();
    private long handedOver;
    private volatile Thread waiter;
    private volatile LongSupplier dispatched = () -> 0;
    /**
     * Commands Redis got that the client's listener never saw (the connection's handshake), so that the two counts can
     * be compared.
     */
    private volatile long unlisted;
    private volatile boolean closed;

    RoundCountingProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::accept);
        daemon(this::handOver);
    }

    String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Counts from now the round trips {@code thread} waits for.
     *
     * @param thread the thread whose waits are counted
     * @param commands how many commands the client has dispatched so far (Lettuce's command listener)
     */
    synchronized void watch(Thread thread, LongSupplier commands) {
        // the connection is idle: every command the client dispatched has reached Redis
        long sent = 0;
        for (Link link : links) {
            synchronized (link) {
                sent += link.commands;
            }
        }
        unlisted = sent - commands.getAsLong();
        dispatched = commands;
        waiter = thread;
        rounds.set(0);
        sizes.clear();
    }

    /** @return the commands each round since {@link #watch} answered */
    List<List<String>> answersPerRound() {
        return List.copyOf(sizes);
    }

    /** @return the round trips since {@link #watch} */
    int rounds() {
        return rounds.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                Link link = new Link(client, target);
                links.add(link);
                daemon(link::commands);
                daemon(link::answers);
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Hands the answers over whenever the round is complete; until then they wait here. */
    private void handOver() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
            handOverOnce();
        }
    }

    /** One look, with {@link #watch} kept out: an answer is never handed over by a look that began before it. */
    private synchronized void handOverOnce() {
        Thread thread = waiter;
        long sent = 0;
        long replied = 0;
        boolean answered = true;
        boolean held = false;
        for (Link link : links) {
            synchronized (link) {
                sent += link.commands;
                replied += link.replies;
                answered &= link.replies == link.commands;
                held |= link.held.size() > 0;
            }
        }
        if (thread == null) { // nobody is counted: answers go on at once
            links.forEach(Link::release);
            for (Link link : links) {
                synchronized (link) {
                    link.namesHandedOver = link.names.size();
                }
            }
            handedOver = replied;
            return;
        }
        Thread.State state = thread.getState();
        boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        if (held && answered && waiting && sent - unlisted >= dispatched.getAsLong()) {
            links.forEach(Link::release);
            rounds.incrementAndGet();
            List<String> names = new java.util.ArrayList<>();
            for (Link link : links) {
                synchronized (link) {
                    names.addAll(link.names.subList((int) link.namesHandedOver, link.names.size()));
                    link.namesHandedOver = link.names.size();
                }
            }
            sizes.add(names);
            handedOver = replied;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            for (Link link : links) {
                link.client.close();
                link.target.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "round-counting-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** One proxied connection. */
    private static final class Link {
        final Socket client;
        final Socket target;
        final ByteArrayOutputStream held = new ByteArrayOutputStream();
        final Resp requestReader = new Resp();
        final Resp replyReader = new Resp();
        long commands;
        long replies;
        final List<String> names = new java.util.ArrayList<>();
        long namesHandedOver;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void commands() {
            pump(client, target, false);
        }

        void answers() {
            pump(target, client, true);
        }

        private void pump(Socket from, Socket to, boolean hold) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    byte[] chunk = Arrays.copyOf(buffer, n);
                    synchronized (this) {
                        if (hold) {
                            held.write(chunk);
                            replies += replyReader.values(chunk);
                        } else {
                            commands += requestReader.values(chunk, names);
                        }
                    }
                    if (!hold) {
                        out.write(chunk);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        synchronized void release() {
            if (held.size() == 0) {
                return;
            }
            try {
                OutputStream out = client.getOutputStream();
                out.write(held.toByteArray());
                out.flush();
            } catch (IOException e) {
                // the client went away
            }
            held.reset();
        }
    }

    /** Counts whole RESP values (RESP2 and RESP3) in a stream that arrives in pieces. */
    private static final class Resp {
        private byte[] pending = new byte[0];

        /** @return how many whole top-level values the stream completes with this chunk */
        int values(byte[] chunk) {
            return values(chunk, null);
        }

        /** As {@link #values(byte[])}, adding each whole command's name to {@code names}. */
        int values(byte[] chunk, List<String> names) {
            byte[] all = Arrays.copyOf(pending, pending.length + chunk.length);
            System.arraycopy(chunk, 0, all, pending.length, chunk.length);
            int count = 0;
            int at = 0;
            for (int end; (end = skip(all, at)) >= 0; at = end) {
                count++;
                if (names != null) {
                    names.add(name(all, at));
                }
            }
            pending = Arrays.copyOfRange(all, at, all.length);
            return count;
        }

        /** The end of the value starting at {@code at}, or -1 if it is not whole yet. */
        private static int skip(byte[] b, int at) {
            if (at >= b.length) {
                return -1;
            }
            int eol = lineEnd(b, at);
            if (eol < 0) {
                return -1;
            }
            byte type = b[at];
            int next = eol + 2;
            switch (type) {
                case '$', '!', '=' -> {
                    long len = Long.parseLong(new String(b, at + 1, eol - at - 1));
                    if (len < 0) {
                        return next;
                    }
                    long end = next + len + 2;
                    return end <= b.length ? (int) end : -1;
                }
                case '*', '~', '>', '%', '|' -> {
                    long n = Long.parseLong(new String(b, at + 1, eol - at - 1));
                    if (type == '%' || type == '|') {
                        n *= 2;
                    }
                    int end = next;
                    for (long i = 0; i < n; i++) {
                        end = skip(b, end);
                        if (end < 0) {
                            return -1;
                        }
                    }
                    return type == '|' ? skip(b, end) : end; // an attribute comes before the value it describes
                }
                default -> {
                    return next;
                }
            }
        }

        /** The first bulk string of a command (an array of bulk strings), upper-cased. */
        private static String name(byte[] b, int at) {
            int first = lineEnd(b, at) + 2;
            int eol = lineEnd(b, first);
            int len = Integer.parseInt(new String(b, first + 1, eol - first - 1));
            return new String(b, eol + 2, len).toUpperCase(java.util.Locale.ROOT);
        }

        private static int lineEnd(byte[] b, int from) {
            for (int i = from; i + 1 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
