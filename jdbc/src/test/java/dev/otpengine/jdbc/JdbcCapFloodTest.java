package dev.otpengine.jdbc;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimitException.Scope;
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

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adversarial review's attacks on the buckets' cap, through the engine with its default limits, at a small cap and
 * in virtual time: a flood of cheap verifications (unknown request ids, from a few hundred IPs, each making more calls
 * than a victim's counter holds) and a clean-up must not push out a counter that is refusing someone (a phone's spent
 * guess budget, its resend cooldown) nor a returning user's verified-phone mark. Ranked by raw calls, the flood's rows
 * (11 calls) outranked the spent guess budget (10): one hour gave 580 wrong guesses on one phone. Ranked now by tier
 * (a requester's counters before a recipient's) and by the share of its limit a row uses, the flood pushes out its own.
 */
final class JdbcCapFloodTest {

    private static final UUID WIDGET = UUID.fromString("0b8f6a2e-3c1d-4e5f-9a7b-6c5d4e3f2a1b");
    private static final byte[] SECRET = "the cap flood test's shared secret, 32 bytes".getBytes(StandardCharsets.UTF_8);
    private static final String VICTIM = "+12025550142";

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final Postgres pg = Postgres.shared();
    private String prefix;
    private JdbcStore store;
    private OtpEngine engine;
    private int ips;

    private void open(long cap) {
        store = JdbcStore.builder(pg.first()).tablePrefix(prefix).clock(clock).cleanupEvery(Duration.ZERO)
                .maxRateLimitKeys(cap).build();
        engine = OtpEngine.builder().store(store).secret(SECRET).clock(clock).channel(sms)
                .rateLimits(RateLimits.defaults()).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @BeforeEach
    void schema() {
        prefix = pg.newSchema();
    }

    @AfterEach
    void close() {
        engine.close();
        store.close();
        pg.execute("DROP TABLE " + String.join(", ", new Schema(prefix).tables()));
    }

    /** An attacker's address of its own for each call: no IP limit stops it. */
    private String attackerIp() {
        int n = ++ips;
        return "198.18." + (n / 250) + "." + (1 + n % 250);
    }

    /**
     * {@code n} IP addresses, each making {@code calls} verifications of unknown request ids (NOT_FOUND: nothing to
     * send, nothing to store but the IP's counters), from four threads released at once.
     */
    private void flood(int n, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                threads.add(pool.submit(() -> {
                    start.await();
                    for (int i = first; i < n; i += 4) {
                        String ip = "11." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
                        for (int j = 0; j < calls; j++) {
                            assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(
                                    VerifyRequest.builder(UUID.randomUUID(), "123456").userIp(ip).build()).status());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> thread : threads) {
                thread.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private long count(String where) throws SQLException {
        try (Connection c = pg.direct().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + prefix + "buckets" + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sends codes to the victim and guesses wrong, each call from a new address, until the guess budget refuses. */
    private SendResult spendTheVictimsGuessBudget() {
        SendResult sent = null;
        for (int wrong = 0; wrong < 10; wrong++) {
            if (wrong % 5 == 0) { // five wrong guesses spend a code
                clock.advance(Duration.ofSeconds(31)); // past the resend cooldown
                sent = engine.send(SendRequest.builder(WIDGET).phone(VICTIM).userIp(attackerIp()).build());
            }
            assertEquals(VerifyResult.Status.INVALID_CODE, guess(sent).status(), "wrong guess " + (wrong + 1));
        }
        clock.advance(Duration.ofSeconds(31));
        SendResult last = engine.send(SendRequest.builder(WIDGET).phone(VICTIM).userIp(attackerIp()).build());
        assertEquals(Scope.VERIFY_FAILURES, assertThrows(RateLimitException.class, () -> guess(last)).scope(),
                "ten wrong guesses an hour: the eleventh is refused");
        return last;
    }

    private VerifyResult guess(SendResult sent) {
        String code = sms.lastCode(VICTIM).orElseThrow();
        String wrong = code.equals("000000") ? "111111" : "000000";
        return engine.verify(VerifyRequest.builder(sent.requestId(), wrong).userIp(attackerIp()).build());
    }

    @Test
    void verifyFlood_busierThanTheVictimsSpentGuessBudget_doesNotPushItOut() throws Exception {
        long cap = 100;
        open(cap);
        SendResult last = spendTheVictimsGuessBudget();
        // cap + 10 addresses, each 11 calls: one more than the spent budget holds
        flood((int) cap + 10, 11);
        assertTrue(count("") > cap);

        store.cleanUp();

        assertTrue(count("") <= cap, count("") + " rows");
        assertEquals(1, count(" WHERE id LIKE 'verify_failures:%'"), "the victim's guess budget is kept");
        assertEquals(Scope.VERIFY_FAILURES, assertThrows(RateLimitException.class, () -> guess(last)).scope(),
                "the budget still refuses after the flood and the clean-up");
    }

    @Test
    void verifyFlood_doesNotDropAVerifiedPhonesMark_soTheReturningUserIsServedInACutOffRange() throws Exception {
        long cap = 300;
        open(cap);
        String user = "+12025550100";
        SendResult first = engine.send(SendRequest.builder(WIDGET).phone(user).userIp("192.0.2.10").build());
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(VerifyRequest.builder(first.requestId(),
                sms.lastCode(user).orElseThrow()).userIp("192.0.2.10").build()).status());
        // an attacker pumps the user's range until the toll-fraud guard withholds its sends
        int withheldAt = -1;
        for (int i = 0; i < 500 && withheldAt < 0; i++) {
            int before = sms.messages().size();
            engine.send(SendRequest.builder(WIDGET).phone("+1202556" + String.format("%04d", i)).userIp(attackerIp())
                    .build());
            if (sms.messages().size() == before) {
                withheldAt = i;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertTrue(withheldAt > 0, "the guard cut the range off");
        flood((int) cap + 10, 2);

        store.cleanUp();

        assertTrue(count("") <= cap, count("") + " rows");
        assertEquals(1, count(" WHERE id LIKE 'country_conversion:%vp|" + user + "'"), "the user's mark is kept");
        clock.advance(Duration.ofSeconds(31));
        int before = sms.messages().size();
        engine.send(SendRequest.builder(WIDGET).phone(user).userIp("192.0.2.10").build());
        assertEquals(before + 1, sms.messages().size(), "the returning user is served in the cut-off range");
    }

    @Test
    void floodOfSingleCalls_doesNotDropAResendCooldown() throws Exception {
        long cap = 100;
        open(cap);
        String phone = "+12025550123";
        engine.send(SendRequest.builder(WIDGET).phone(phone).userIp(attackerIp()).build());
        assertEquals(Scope.RESEND_COOLDOWN, assertThrows(RateLimitException.class, () -> engine.send(
                SendRequest.builder(WIDGET).phone(phone).userIp(attackerIp()).build())).scope());
        flood((int) cap + 10, 1); // rows of one call each, as the cooldown's, and newer

        store.cleanUp();

        assertTrue(count("") <= cap, count("") + " rows");
        assertEquals(Scope.RESEND_COOLDOWN, assertThrows(RateLimitException.class, () -> engine.send(
                SendRequest.builder(WIDGET).phone(phone).userIp(attackerIp()).build())).scope(),
                "the cooldown still refuses a send at once");
    }
}
