package dev.otpengine.redis;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
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
 * Redis down, slow, and back: the engine fails closed with {@link NoConnectionException} naming the store, never a
 * Lettuce exception, delivers nothing it could not store, judges no guess, and works again by itself.
 */
final class RedisOutageTest {

    private static final UUID WIDGET = UUID.fromString("0b8f6a2e-3c1d-4e5f-9a7b-6c5d4e3f2a1b");
    private static final byte[] SECRET = "the outage test's shared secret, 32 bytes+".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** How long any refusal may take here: the store's timeout and then some, never Lettuce's default minute. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private RedisProcess redis;
    private RedisStore store;
    private OtpEngine engine;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        store = RedisStore.builder(redis.uri()).keyPrefix("outage:").timeout(TIMEOUT).build();
        engine = OtpEngine.builder().store(store).secret(SECRET).clock(clock).channel(sms)
                .rateLimits(RateLimits.defaults()).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
        redis.close();
    }

    private SendRequest send(String phone) {
        return SendRequest.builder(WIDGET).phone(phone).userIp("198.51.100.4").build();
    }

    private VerifyResult verify(SendResult sent, String code) {
        return engine.verify(VerifyRequest.builder(sent.requestId(), code).userIp("198.51.100.4").build());
    }

    /** Runs a call that must fail with the store's 503, promptly; returns it. */
    private static NoConnectionException refusedByStore(Supplier<?> call) {
        long started = System.nanoTime();
        NoConnectionException e = assertThrows(NoConnectionException.class, call::get);
        assertTrue(System.nanoTime() - started < PROMPT_NANOS, "the refusal took longer than 10 s");
        assertEquals(503, e.httpStatus());
        assertTrue(e.getMessage().contains("store (redis)"), e.getMessage());
        assertTrue(e.deliveries().isEmpty());
        assertNotNull(e.getCause());
        assertTrue(!e.getMessage().contains("127.0.0.1") && !e.toJson().contains("127.0.0.1"),
                "the client-facing message must not name the server: " + e.toJson());
        return e;
    }

    @Test
    void redisDown_sendAndVerifyFailClosed_thenWorkAgainByThemselves() {
        SendResult before = engine.send(send("+12025550101"));
        String code = sms.lastCode("+12025550101").orElseThrow();
        sms.clear();

        redis.stop();
        refusedByStore(() -> engine.send(send("+12025550102")));
        assertTrue(sms.messages().isEmpty(), "nothing may be delivered that could not be stored");
        refusedByStore(() -> verify(before, code));
        refusedByStore(() -> engine.isBlocked(WIDGET));

        redis.startAgain(); // empty: no persistence, as many caches run
        SendResult after = untilItWorks(() -> engine.send(send("+12025550103")));
        assertEquals(VerifyResult.Status.VERIFIED,
                verify(after, sms.lastCode("+12025550103").orElseThrow()).status());
        assertEquals(VerifyResult.Status.NOT_FOUND, verify(before, code).status(),
                "a Redis restarted without persistence has forgotten the codes sent before");
    }

    @Test
    void redisTooSlow_failsWithinTheStoresTimeout_andNothingIsDelivered() {
        SendResult before = engine.send(send("+12025550104"));
        String code = sms.lastCode("+12025550104").orElseThrow();
        sms.clear();
        try (RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().clientPause(3_000); // Redis holds every client's commands for 3 s: ten times the store's timeout

            refusedByStore(() -> engine.send(send("+12025550105")));
            assertTrue(sms.messages().isEmpty());
            refusedByStore(() -> verify(before, code));
        }
        VerifyResult after = untilItWorks(() -> verify(before, code));
        // the guess that timed out may have been judged once Redis woke; the right code is then already spent
        assertTrue(after.status() == VerifyResult.Status.VERIFIED || after.status() == VerifyResult.Status.NOT_FOUND,
                after.toString());
    }

    /** Retries a call until Redis answers again, for at most 30 s of real time (reconnection is real I/O). */
    private static <T> T untilItWorks(Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.get();
            } catch (OtpException e) {
                assertInstanceOf(NoConnectionException.class, e);
                if (System.nanoTime() > deadline) {
                    fail("the engine did not work again within 30 s of Redis coming back", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }
}
