package dev.otpengine.redis;

import dev.otpengine.Limit;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import dev.otpengine.races.StartingGate;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy bucket on Redis: every send counts against its widget's bucket, which Bucket4j updates by compare-and-swap.
 * 64 threads on two nodes sending at once for one widget must all get through, exactly counted, without a storm of
 * retried swaps (threads of one node take turns on a bucket instead of failing each other's swaps).
 */
final class RedisContentionTest {

    private static final UUID WIDGET = UUID.fromString("7c6b5a49-3827-4160-9f8e-7d6c5b4a3928");
    private static final int THREADS = 64;
    private static final int SENDS_EACH = 8;

    @Test
    void sendsRacingOnOneWidgetFromTwoNodes_allPass_withFewRetriedSwaps() throws Exception {
        TestClock clock = TestClock.atFixedStart();
        CapturingChannel sms = CapturingChannel.sms();
        byte[] secret = "the contention test's secret, 32 bytes+".getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (RedisProcess redis = RedisProcess.start();
             // 5 s rather than the default 2: 64 threads on a shared 2-core machine, and a refusal here is the failure
             RedisStore a = RedisStore.builder(redis.uri()).timeout(Duration.ofSeconds(5)).build();
             RedisStore b = RedisStore.builder(redis.uri()).timeout(Duration.ofSeconds(5)).build();
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> stats = admin.connect()) {
            OtpEngine[] engines = new OtpEngine[2];
            RedisStore[] stores = {a, b};
            for (int e = 0; e < 2; e++) {
                engines[e] = OtpEngine.builder().store(stores[e]).secret(secret).clock(clock).channel(sms)
                        .rateLimits(RateLimits.builder().perWidget(Limit.of(10_000, Duration.ofHours(1)))
                                .perRecipient(Limit.of(5, Duration.ofHours(1))).resendCooldown(Duration.ofSeconds(30))
                                .build()).widget(Widget.builder(WIDGET).name("Acme").build()).build();
            }
            stats.sync().configResetstat();
            List<Callable<Integer>> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                OtpEngine engine = engines[t % 2];
                int first = t * SENDS_EACH;
                senders.add(() -> {
                    for (int i = 0; i < SENDS_EACH; i++) {
                        engine.send(SendRequest.builder(WIDGET).phone(String.format("+1202555%04d", first + i)).build());
                    }
                    return SENDS_EACH;
                });
            }
            int sent = 0;
            for (Future<Integer> f : StartingGate.release(pool, senders)) {
                sent += f.get(60, TimeUnit.SECONDS); // a NoConnectionException here fails the test
            }
            assertEquals(THREADS * SENDS_EACH, sent);
            assertEquals(THREADS * SENDS_EACH, sms.messages().size());

            long gets = calls(stats.sync().info("commandstats"), "get");
            int sends = THREADS * SENDS_EACH;
            // three buckets per send (cooldown, recipient, widget), each read once more for each swap that lost: the
            // two nodes still race on the widget's bucket (a few retries a send), the threads of one node do not
            // (without their turns, 64 threads retry into a storm: swaps fail 30 times and sends get a 503)
            assertTrue(gets >= 3L * sends, "gets " + gets);
            assertTrue(gets <= 11L * sends, "swaps retried " + (gets - 3L * sends) + " times for " + sends + " sends");
            for (OtpEngine engine : engines) {
                engine.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long calls(String commandStats, String command) {
        for (String line : commandStats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                return Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }
}
