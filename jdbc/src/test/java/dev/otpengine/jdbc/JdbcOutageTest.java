package dev.otpengine.jdbc;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpException;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL stopped (its server process, not a mock) and started again on the same data directory and port: the
 * engine fails closed with {@link NoConnectionException} naming the store, within seconds, delivers nothing it could
 * not store, judges no guess, and works again by itself; a code stored before the outage still verifies.
 */
final class JdbcOutageTest {

    private static final UUID WIDGET = UUID.fromString("0b8f6a2e-3c1d-4e5f-9a7b-6c5d4e3f2a1b");
    private static final byte[] SECRET = "the outage test's shared secret, 32 bytes+".getBytes(StandardCharsets.UTF_8);
    /** How long any refusal may take here: the store's timeout (2 s) and the pool's, and then some. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path data;

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private int port;
    private Postgres pg;
    private HikariDataSource pool;
    private JdbcStore store;
    private OtpEngine engine;

    @BeforeEach
    void start() {
        port = freePort();
        pg = Postgres.start(data, port);
        pg.execute(JdbcStore.schema(JdbcStore.DEFAULT_TABLE_PREFIX));
        pool = pg.pool("outage");
        store = JdbcStore.builder(pool).clock(clock).cleanupEvery(Duration.ZERO).build();
        engine = OtpEngine.builder().store(store).secret(SECRET).clock(clock).channel(sms)
                .rateLimits(RateLimits.defaults()).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
        pool.close();
        pg.close();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SendRequest send(String phone) {
        return SendRequest.builder(WIDGET).phone(phone).userIp("198.51.100.4").build();
    }

    private VerifyResult verify(SendResult sent, String code) {
        return engine.verify(VerifyRequest.builder(sent.requestId(), code).userIp("198.51.100.4").build());
    }

    /** Runs a call that must fail with the store's 503, promptly. */
    private static void refusedByStore(Supplier<?> call) {
        long started = System.nanoTime();
        NoConnectionException e = assertThrows(NoConnectionException.class, call::get);
        assertTrue(System.nanoTime() - started < PROMPT_NANOS, "the refusal took longer than 10 s");
        assertEquals(503, e.httpStatus());
        assertEquals("the engine's store (jdbc) could not be reached; try again later", e.getMessage());
        assertTrue(e.deliveries().isEmpty());
        assertNotNull(e.getCause());
    }

    @Test
    void databaseStopped_sendAndVerifyFailClosedWithinSeconds_thenWorkAgainOnTheSameData() {
        SendResult before = engine.send(send("+12025550101"));
        String code = sms.lastCode("+12025550101").orElseThrow();
        sms.clear();

        pg.close(); // stops the server process; the data directory stays
        refusedByStore(() -> engine.send(send("+12025550102")));
        assertTrue(sms.messages().isEmpty(), "nothing may be delivered that could not be stored");
        refusedByStore(() -> verify(before, code));
        refusedByStore(() -> engine.isBlocked(WIDGET));
        refusedByStore(() -> engine.send(send("+12025550103")));
        assertTrue(store.isDownForTests(), "calls now wait for the store's probe, not for the pool");

        pg = Postgres.start(data, port);
        SendResult after = untilItWorks(() -> engine.send(send("+12025550104")));
        assertEquals(VerifyResult.Status.VERIFIED, verify(after, sms.lastCode("+12025550104").orElseThrow()).status());
        assertEquals(VerifyResult.Status.VERIFIED, verify(before, code).status(),
                "a code stored before the outage is still there");
        assertEquals(1, sms.messages().size());
    }

    @Test
    void databaseStoppedMidFlood_everyCallFailsAsThe503_noneAs500() throws Exception {
        int threads = 3;
        AtomicBoolean stopped = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(threads);
        CountDownLatch failedAfterStop = new CountDownLatch(threads * 5);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    running.countDown();
                    for (int i = 0; failedAfterStop.getCount() > 0; i++) {
                        String ip = "203.0." + thread + "." + (i % 250);
                        try {
                            if (i % 2 == 0) {
                                engine.send(SendRequest.builder(WIDGET).phone("+1303555" + (1000 + thread * 3000 + i % 3000))
                                        .userIp(ip).build());
                            } else {
                                engine.verify(VerifyRequest.builder(UUID.randomUUID(), "123456").userIp(ip).build());
                            }
                        } catch (RateLimitException refused) {
                            // the limits at work, before and after
                        } catch (RuntimeException e) {
                            failures.add(e);
                            if (stopped.get()) {
                                failedAfterStop.countDown();
                            }
                        }
                    }
                    return null;
                });
            }
            running.await();
            sms.clear();
            stopped.set(true);
            pg.close(); // mid-flood: calls are in their buckets' transactions, some waiting for the server

            assertTrue(failedAfterStop.await(2, TimeUnit.MINUTES), "the flood's calls kept failing");
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        for (Throwable e : failures) {
            assertInstanceOf(NoConnectionException.class, e, "every failure is the store's 503");
        }
        assertTrue(failures.size() >= threads * 5);
        pg = Postgres.start(data, port); // for the clean-up after the test
    }

    /** Retries a call until PostgreSQL answers again, for at most 60 s of real time (start-up is real I/O). */
    private static <T> T untilItWorks(Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.get();
            } catch (OtpException e) {
                assertInstanceOf(NoConnectionException.class, e);
                if (System.nanoTime() > deadline) {
                    fail("the engine did not work again within 60 s of PostgreSQL coming back", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }
}
