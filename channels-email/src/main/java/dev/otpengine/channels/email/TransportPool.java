package dev.otpengine.channels.email;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Up to {@code size} SMTP connections, each used by one thread at a time and kept open between messages, so a
 * burst of codes does not pay a TCP and TLS handshake (and an AUTH) per message. A connection that fails is closed
 * and replaced; one the server dropped while idle is noticed by {@link Transport#isConnected()} (a NOOP) and
 * reopened.
 */
final class TransportPool implements AutoCloseable {

    private final Session session;
    private final EmailSettings settings;
    private final String protocol;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Transport> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile boolean closed;

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
        Transport transport = idle.poll();
        try {
            if (transport == null) {
                transport = session.getTransport(protocol);
            }
            if (!transport.isConnected()) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
                connects.incrementAndGet();
            }
            transport.sendMessage(message, to);
            if (closed) {
                closeQuietly(transport);
            } else {
                idle.offer(transport);
            }
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(transport);
            throw e;
        } finally {
            permits.release();
        }
    }

    /** How many SMTP connections were opened so far; for tests of the reuse. */
    int connects() {
        return connects.get();
    }

    @Override
    public void close() {
        closed = true;
        Transport t;
        while ((t = idle.poll()) != null) {
            closeQuietly(t);
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
