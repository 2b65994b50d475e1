package dev.otpengine.channels.email;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Up to {@code size} SMTP connections, each used by one thread at a time and kept open between messages, so a
 * burst of codes does not pay a TCP and TLS handshake (and an AUTH) per message.
 *
 * <p>A connection back from a message within {@link #CHECK_AFTER} is used again as it is: asking the server whether
 * it is still there ({@link Transport#isConnected()} sends a NOOP) would cost a round trip per message. One idle for
 * longer is asked first, and reopened if the server dropped it. Should a reused connection turn out dead all the same
 * (the server dropped it sooner), the message is sent once more on a new connection; a connection that failed is
 * closed, never pooled.
 *
 * <p>{@link #close()} closes the idle connections, and a connection that comes back from a message during or after
 * it is closed rather than pooled.
 */
final class TransportPool implements AutoCloseable {

    /** How long a connection may sit idle and still be used without a NOOP first: ten seconds. */
    static final Duration CHECK_AFTER = Duration.ofSeconds(10);

    private final Session session;
    private final EmailSettings settings;
    private final String protocol;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Idle> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile boolean closed;

    /** A pooled connection and when it came back, by {@link System#nanoTime()}. */
    private record Idle(Transport transport, long sinceNanos) {
    }

    TransportPool(Session session, EmailSettings settings, String protocol) {
        this.session = session;
        this.settings = settings;
        this.protocol = protocol;
        this.permits = new Semaphore(settings.poolSize(), true);
    }

    /**
     * Sends one message on a pooled connection.
     *
     * @throws PoolBusyException if no connection came free within the connect and read timeouts
     * @throws MessagingException as the SMTP conversation failed; the connection is then closed
     * @throws InterruptedException if interrupted while waiting for a connection
     */
    void send(MimeMessage message, Address[] to) throws MessagingException, InterruptedException, PoolBusyException {
        long waitMillis = settings.connectTimeout().plus(settings.readTimeout()).toMillis();
        if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            throw new PoolBusyException(settings.poolSize());
        }
        try {
            Idle pooled = idle.poll();
            boolean unchecked = pooled != null && System.nanoTime() - pooled.sinceNanos() < CHECK_AFTER.toNanos();
            Transport transport = pooled == null ? connected(session.getTransport(protocol))
                    : unchecked ? pooled.transport() : checked(pooled.transport());
            try {
                transport.sendMessage(message, to);
            } catch (MessagingException e) {
                closeQuietly(transport);
                if (!unchecked || !connectionLost(e)) {
                    throw e;
                }
                // the pooled connection had died unseen: once more, on a new one
                transport = connected(session.getTransport(protocol));
                sendOrClose(transport, message, to);
            } catch (RuntimeException e) {
                closeQuietly(transport);
                throw e;
            }
            giveBack(transport);
        } finally {
            permits.release();
        }
    }

    /** A connection idle for a while: asked whether it is still there (a NOOP), and reopened if it is not. */
    private Transport checked(Transport transport) throws MessagingException {
        boolean alive;
        try {
            alive = transport.isConnected();
        } catch (RuntimeException e) {
            closeQuietly(transport);
            throw e;
        }
        return alive ? transport : connected(transport);
    }

    private Transport connected(Transport transport) throws MessagingException {
        try {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(transport);
            throw e;
        }
        connects.incrementAndGet();
        return transport;
    }

    private static void sendOrClose(Transport transport, MimeMessage message, Address[] to) throws MessagingException {
        try {
            transport.sendMessage(message, to);
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(transport);
            throw e;
        }
    }

    /**
     * Whether a failure says the connection itself broke (the server had closed it), not that the server refused: an
     * I/O failure somewhere in the chain ({@link MessagingException#getCause()} is its next exception).
     */
    private static boolean connectionLost(MessagingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Pools a connection after a message; closes it instead once the pool is closing, even if it closes meanwhile. */
    private void giveBack(Transport transport) {
        if (closed) {
            closeQuietly(transport);
            return;
        }
        idle.offer(new Idle(transport, System.nanoTime()));
        if (closed) {
            drain(); // close() may have drained the pool between the check above and the offer
        }
    }

    /** How many SMTP connections were opened so far; for tests of the reuse. */
    int connects() {
        return connects.get();
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        Idle i;
        while ((i = idle.poll()) != null) {
            closeQuietly(i.transport());
        }
    }

    private static void closeQuietly(Transport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // already broken; nothing left to release
        }
    }

    /** Every pooled connection stayed busy for longer than a connection may take to open and answer. */
    static final class PoolBusyException extends Exception {

        private static final long serialVersionUID = 1L;

        PoolBusyException(int size) {
            super("all " + size + " smtp connections stayed busy; raise email.pool.size", null, false, false);
        }
    }
}
