package dev.otpengine.redis;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Redis store adds to the contract: its builder, what it writes into Redis, restarts of a node and of scripts. */
final class RedisStoreTest {

    private static final UUID WIDGET = UUID.fromString("5e0c1f2a-7b3d-4c8e-a9f1-2d3c4b5a6e7f");
    private static final byte[] SECRET = "the Redis store test's secret, 32 bytes+".getBytes(StandardCharsets.UTF_8);

    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> redis;

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final String prefix = "test-" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        admin = RedisClient.create(RedisProcess.shared().uri());
        adminConnection = admin.connect();
        redis = adminConnection.sync();
    }

    @AfterAll
    static void disconnect() {
        adminConnection.close();
        admin.shutdown();
    }

    private RedisStore store() {
        return RedisStore.builder(RedisProcess.shared().uri()).keyPrefix(prefix).build();
    }

    private OtpEngine engine(RedisStore store, RateLimits limits) {
        return OtpEngine.builder().store(store).secret(SECRET).clock(clock).channel(sms).rateLimits(limits)
                .widget(Widget.builder(WIDGET).name("Acme").ttl(Duration.ofMinutes(2)).build()).build();
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        redis.scan(k -> keys.add(k), ScanArgs.Builder.matches(prefix + "*").limit(1000));
        return keys;
    }

    // ------------------------------------------------------------------ builder

    @Test
    void builder_refusesBadArguments_namingTheField_withoutEchoingCredentials() {
        assertEquals("redisUri", assertThrows(NullPointerException.class, () -> RedisStore.builder((String) null))
                .getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedisStore.builder("http://user:s3cret@host"));
        assertTrue(bad.getMessage().startsWith("redisUri"), bad.getMessage());
        assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());

        // an unencoded # or ? in the password: Lettuce would take a piece of it for the host, and print it
        for (String uri : List.of("redis://:Tr0ub4dor#3x@127.0.0.1:1", "redis://app:Tr0ub4dor?3x@127.0.0.1:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisStore.builder(uri));
            assertFalse(e.getMessage().contains("Tr0ub4dor"), e.getMessage());
            assertTrue(e.getMessage().contains("percent-encode"), e.getMessage());
        }

        RedisStore.Builder b = RedisStore.builder(RedisProcess.shared().uri());
        // braces would undo the store's Redis Cluster hash tag; surrogates have no UTF-8 form (two prefixes, one key)
        for (String prefix : List.of("app{}:", "{x}", "a}", "app\uD800", "app\uD83D\uDE00")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> b.keyPrefix(prefix)).getMessage()
                    .startsWith("keyPrefix"), prefix);
        }
        assertEquals("keyPrefix", assertThrows(NullPointerException.class, () -> b.keyPrefix(null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.keyPrefix("a b")).getMessage()
                .startsWith("keyPrefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.keyPrefix("x".repeat(129))).getMessage()
                .startsWith("keyPrefix"));
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> b.timeout(null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO)).getMessage()
                .startsWith("timeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ofMinutes(2))).getMessage()
                .startsWith("timeout"));
        assertEquals("client", assertThrows(NullPointerException.class, () -> RedisStore.builder((RedisClient) null))
                .getMessage());
    }

    @Test
    void build_withRedisUnreachable_failsNamingHostAndPort_butNotThePassword() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisStore.builder("redis://:s3cret@127.0.0.1:1").timeout(Duration.ofMillis(500)).build());
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void engine_onARedisStore_withoutASecret_failsToBuild_namingSecret() {
        try (RedisStore store = store()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OtpEngine.builder().store(store)
                    .channel(sms).widget(Widget.builder(WIDGET).name("Acme").build()).build());
            assertTrue(e.getMessage().contains("secret"), e.getMessage());
            assertTrue(store.isShared());
        }
    }

    // ------------------------------------------------------------------ what is written

    @Test
    void redis_holdsTheTag_neverTheCode_everyKeyUnderThePrefix_andCodesCollectedByTtl() {
        try (RedisStore store = store(); OtpEngine engine = engine(store, RateLimits.defaults())) {
            SendResult sent = engine.send(SendRequest.builder(WIDGET).phone("+12025550111").userIp("192.0.2.1").build());
            String code = sms.lastCode("+12025550111").orElseThrow();

            List<String> keys = keys();
            assertFalse(keys.isEmpty());
            String codeKey = prefix + "{codes}:c:" + sent.requestId();
            assertTrue(keys.contains(codeKey), keys.toString());
            for (String key : keys) {
                String type = redis.type(key);
                List<String> values = new ArrayList<>();
                if (type.equals("hash")) {
                    values.addAll(redis.hgetall(key).values());
                } else if (type.equals("string")) {
                    values.add(redis.get(key));
                }
                for (String value : values) {
                    assertFalse(value.contains(code), key + " holds the code");
                }
                assertTrue(redis.pttl(key) > 0, key + " has no time to live");
            }
            Map<String, String> stored = redis.hgetall(codeKey);
            assertEquals(2 * StoredCode.TAG_BYTES, stored.get("t").length(), "the tag, in hex");
            long ttl = redis.pttl(codeKey);
            assertTrue(ttl <= Duration.ofMinutes(2).plus(OtpStore.EXPIRED_RETENTION).plusSeconds(1).toMillis(), "ttl " + ttl);
        }
    }

    @Test
    void bucket_fullAgain_leavesRedisPromptly() {
        try (RedisStore store = store()) {
            var buckets = store.rateLimitBuckets(RateLimitException.Scope.VERIFY_FAILURES, TimeMeter.SYSTEM_MILLISECONDS);
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(5).refillIntervally(5, Duration.ofHours(1))).build();
            var bucket = buckets.builder().build("w|phone|+12025550112", () -> config);
            assertTrue(bucket.tryConsume(1));
            String key = prefix + "b:verify_failures:w|phone|+12025550112";
            assertTrue(redis.pttl(key) > Duration.ofMinutes(10).toMillis(), "a bucket in use lives until full again");
            bucket.addTokens(1);
            assertTrue(redis.pttl(key) <= 1, "a bucket full again has a ttl of 1 ms: " + redis.pttl(key));
        }
    }

    /**
     * A node computes a bucket call from the last state it saw and lets the swap check it: a refusal computed from a
     * state another node has since changed swaps nothing, so it must read the bucket before it stands.
     */
    @Test
    void bucket_refusedFromAStaleState_readsAgain_andTakesWhatAnotherNodeGaveBack() {
        try (RedisStore a = store(); RedisStore b = store()) {
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(1).refillIntervally(1, Duration.ofHours(1))).build();
            var onA = a.rateLimitBuckets(RateLimitException.Scope.RECIPIENT, TimeMeter.SYSTEM_MILLISECONDS).builder()
                    .build("w|phone|+12025550113", () -> config);
            var onB = b.rateLimitBuckets(RateLimitException.Scope.RECIPIENT, TimeMeter.SYSTEM_MILLISECONDS).builder()
                    .build("w|phone|+12025550113", () -> config);
            assertTrue(onA.tryConsume(1)); // a saw the bucket empty
            onB.addTokens(1); // b gave the call back
            assertTrue(onA.tryConsume(1), "a refused from the empty bucket it saw last, not from the one in Redis");
            assertFalse(onB.tryConsume(1));
        }
    }

    /** A swap from a stale state loses and is tried again from the state Redis answered with: nothing counted twice. */
    @Test
    void bucket_takenFromAStaleState_losesItsSwap_andCountsExactly() {
        try (RedisStore a = store(); RedisStore b = store()) {
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(3).refillIntervally(3, Duration.ofHours(1))).build();
            var onA = a.rateLimitBuckets(RateLimitException.Scope.RECIPIENT, TimeMeter.SYSTEM_MILLISECONDS).builder()
                    .build("w|phone|+12025550114", () -> config);
            var onB = b.rateLimitBuckets(RateLimitException.Scope.RECIPIENT, TimeMeter.SYSTEM_MILLISECONDS).builder()
                    .build("w|phone|+12025550114", () -> config);
            assertTrue(onA.tryConsume(1)); // a saw 2 left
            assertTrue(onB.tryConsume(1));
            assertTrue(onB.tryConsume(1)); // none left in Redis
            assertFalse(onA.tryConsume(1), "a took from the 2 it saw last");
            assertEquals(0, onB.getAvailableTokens());
        }
    }

    // ------------------------------------------------------------------ restarts

    @Test
    void node_closedAndBuiltAgain_verifiesTheCodeItSentBefore() {
        RedisStore first = store();
        OtpEngine before = engine(first, RateLimits.defaults());
        SendResult sent = before.send(SendRequest.builder(WIDGET).phone("+12025550113").build());
        before.close();
        first.close();

        try (RedisStore again = store(); OtpEngine after = engine(again, RateLimits.defaults())) {
            VerifyResult result = after.verify(VerifyRequest.builder(sent.requestId(),
                    sms.lastCode("+12025550113").orElseThrow()).build());
            assertEquals(VerifyResult.Status.VERIFIED, result.status());
        }
    }

    @Test
    void scripts_flushedFromRedis_areLoadedAgain() {
        try (RedisStore store = store()) {
            byte[] tag = new byte[StoredCode.TAG_BYTES];
            Arrays.fill(tag, (byte) 0x5a);
            Recipient both = Recipient.builder().phone("+12025550114").email("a@example.com")
                    .address("chat", "@someone\u00e9 with spaces").build();
            StoredCode code = new StoredCode(UUID.randomUUID(), WIDGET, both, tag,
                    clock.instant().plus(Duration.ofMinutes(2)), 3);
            redis.scriptFlush();
            store.putCode(code, clock.instant());
            assertEquals(both, store.findCode(code.requestId(), clock.instant()).orElseThrow().recipient());
            redis.scriptFlush();
            GuessOutcome outcome = store.judgeGuess(code.requestId(), tag, clock.instant());
            assertEquals(VerifyResult.Status.VERIFIED, outcome.result().status());
            assertEquals(both, outcome.recipient());
            assertEquals(WIDGET, outcome.widgetId());
        }
    }

    @Test
    void putCode_underARequestIdAlreadyStored_isRefused_andChangesNothing() {
        try (RedisStore store = store()) {
            byte[] tag = new byte[StoredCode.TAG_BYTES];
            StoredCode code = new StoredCode(UUID.randomUUID(), WIDGET, Recipient.ofPhone("+12025550115"), tag,
                    clock.instant().plus(Duration.ofMinutes(2)), 3);
            store.putCode(code, clock.instant());
            assertThrows(IllegalStateException.class, () -> store.putCode(code, clock.instant()));
            assertEquals(VerifyResult.Status.VERIFIED, store.judgeGuess(code.requestId(), tag, clock.instant())
                    .result().status());
        }
    }

    @Test
    void store_onAGivenClient_leavesTheClientOpen() {
        try (RedisClient client = RedisClient.create(RedisProcess.shared().uri())) {
            RedisStore store = RedisStore.builder(client).keyPrefix(prefix).build();
            store.blockWidget(WIDGET);
            store.close();
            try (RedisStore again = RedisStore.builder(client).keyPrefix(prefix).build()) {
                assertTrue(again.isWidgetBlocked(WIDGET));
            }
        }
    }

    @Test
    void closedStore_refusesEveryOperation_andClosesOnce() {
        RedisStore store = store();
        store.close();
        store.close();
        UUID id = UUID.randomUUID();
        List<Runnable> operations = List.of(
                () -> store.findCode(id, clock.instant()),
                () -> store.judgeGuess(id, new byte[StoredCode.TAG_BYTES], clock.instant()),
                () -> store.withdrawCode(id),
                () -> store.blockWidget(WIDGET),
                () -> store.isWidgetBlocked(WIDGET));
        for (Runnable operation : operations) {
            IllegalStateException e = assertThrows(IllegalStateException.class, operation::run);
            assertEquals("this RedisStore is closed", e.getMessage());
        }
    }

    @Test
    void everyOperation_withRedisDown_throwsNoConnectionException() {
        try (RedisProcess own = RedisProcess.start();
             RedisStore store = RedisStore.builder(own.uri()).timeout(Duration.ofMillis(300)).build()) {
            store.checkReachable(); // up: a PING answered
            var buckets = store.rateLimitBuckets(RateLimitException.Scope.IP, TimeMeter.SYSTEM_MILLISECONDS);
            BucketConfiguration config = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(5).refillIntervally(5, Duration.ofHours(1))).build();
            StoredCode code = new StoredCode(UUID.randomUUID(), WIDGET, Recipient.ofPhone("+12025550116"),
                    new byte[StoredCode.TAG_BYTES], clock.instant().plus(Duration.ofMinutes(2)), 3);
            own.stop();

            List<Runnable> operations = List.of(
                    () -> store.putCode(code, clock.instant()),
                    () -> store.findCode(code.requestId(), clock.instant()),
                    () -> store.judgeGuess(code.requestId(), new byte[StoredCode.TAG_BYTES], clock.instant()),
                    () -> store.withdrawCode(code.requestId()),
                    () -> store.blockWidget(WIDGET),
                    () -> store.unblockWidget(WIDGET),
                    () -> store.isWidgetBlocked(WIDGET),
                    store::checkReachable,
                    () -> buckets.builder().build("w|ip|192.0.2.0", () -> config).tryConsume(1),
                    () -> buckets.removeProxy("w|ip|192.0.2.0"));
            for (Runnable operation : operations) {
                NoConnectionException e = assertThrows(NoConnectionException.class, operation::run);
                assertTrue(e.getMessage().contains("store (redis)"), e.getMessage());
            }
            // Bucket4j's asynchronous API too: the future fails with the store's exception
            var async = buckets.asAsync();
            List<java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>>> asyncOperations = List.of(
                    () -> async.builder().build("w|ip|192.0.2.0", () -> java.util.concurrent.CompletableFuture
                            .completedFuture(config)).tryConsume(1),
                    () -> async.removeProxy("w|ip|192.0.2.0"));
            for (var operation : asyncOperations) {
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> operation.get().get(10, java.util.concurrent.TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof NoConnectionException, String.valueOf(e.getCause()));
            }
        }
    }
}
