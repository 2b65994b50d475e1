package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.races.StartingGate;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static dev.otpengine.Fixtures.IP;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.phone;
import static dev.otpengine.Fixtures.widget;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads released at once by a latch against one limit: exactly K get through, however they interleave. */
final class RateLimitConcurrencyTest {

    private static final int THREADS = 32;
    private static final int K = 5;

    private final CapturingChannel sms = CapturingChannel.sms();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private OtpEngine engine;

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        engine.close();
    }

    private void engine(RateLimits limits) {
        engine = OtpEngine.builder().clock(TestClock.atFixedStart()).channel(sms).rateLimits(limits)
                .widget(widget().maxAttempts(10).build()).build();
    }

    /**
     * Runs THREADS tasks released together and counts their outcomes: "passed", or the scope of the
     * RateLimitException, or the status of a verification.
     */
    private Map<String, Integer> together(IntFunction<Callable<Object>> task) throws Exception {
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(task.apply(i));
        }
        List<Future<Object>> futures = StartingGate.release(pool, tasks);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Future<Object> f : futures) {
            String outcome;
            try {
                Object result = f.get(10, TimeUnit.SECONDS);
                outcome = result instanceof VerifyResult ? ((VerifyResult) result).status().name() : "passed";
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RateLimitException)) {
                    throw e;
                }
                outcome = ((RateLimitException) e.getCause()).scope().name();
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        return outcomes;
    }


    @RepeatedTest(20)
    void perIp_manyThreadsFromOneIp_exactlyKPass() throws Exception {
        engine(RateLimits.builder().perIp(Limit.of(K, ofMinutes(1))).build());

        Map<String, Integer> outcomes = together(i -> () -> engine.send(
                SendRequest.builder(WIDGET_ID).phone(phone(i)).userIp(IP).build()));

        assertEquals(Map.of("passed", K, "IP", THREADS - K), outcomes);
        assertEquals(K, sms.messages().size());
    }

    @RepeatedTest(20)
    void perWidget_manyThreadsFromManyIps_exactlyKPass() throws Exception {
        engine(RateLimits.builder().perWidget(Limit.of(K, ofMinutes(1))).build());

        Map<String, Integer> outcomes = together(i -> () -> engine.send(
                SendRequest.builder(WIDGET_ID).phone(phone(i)).userIp("192.0.2." + i).build()));

        assertEquals(Map.of("passed", K, "WIDGET", THREADS - K), outcomes);
    }

    @RepeatedTest(20)
    void perRecipient_manyThreadsToOnePhone_exactlyKPass() throws Exception {
        engine(RateLimits.builder().perRecipient(Limit.of(K, ofMinutes(1))).build());

        Map<String, Integer> outcomes = together(i -> () -> engine.send(
                SendRequest.builder(WIDGET_ID).phone(phone(0)).userIp("192.0.2." + i).build()));

        assertEquals(Map.of("passed", K, "RECIPIENT", THREADS - K), outcomes);
    }

    @RepeatedTest(20)
    void resendCooldown_manyThreadsToOnePhone_exactlyOnePasses() throws Exception {
        engine(RateLimits.builder().resendCooldown(ofMinutes(1)).build());

        Map<String, Integer> outcomes = together(i -> () -> engine.send(
                SendRequest.builder(WIDGET_ID).phone(phone(0)).userIp("192.0.2." + i).build()));

        assertEquals(Map.of("passed", 1, "RESEND_COOLDOWN", THREADS - 1), outcomes);
    }

    @RepeatedTest(20)
    void verifyPerIp_manyThreadsFromOneIp_exactlyKAreChecked() throws Exception {
        engine(RateLimits.builder().verifyPerIp(Limit.of(K, ofMinutes(1))).build());

        Map<String, Integer> outcomes = together(i -> () -> engine.verify(
                VerifyRequest.builder(UUID.randomUUID(), "123456").userIp(IP).build()));

        assertEquals(Map.of("NOT_FOUND", K, "VERIFY_IP", THREADS - K), outcomes);
    }

    @RepeatedTest(20)
    void guessBudget_manyWrongGuessesAtOnce_exactlyKAreCounted() throws Exception {
        int budget = 3;
        engine(RateLimits.builder().verifyFailuresPerRecipient(Limit.of(budget, ofMinutes(1))).build());
        UUID id = engine.send(SendRequest.builder(WIDGET_ID).phone(phone(0)).build()).requestId();
        String wrong = sms.lastCode().orElseThrow().equals("000000") ? "111111" : "000000";

        Map<String, Integer> outcomes = together(i -> () -> engine.verify(id, wrong));

        assertEquals(Map.of("INVALID_CODE", budget, "VERIFY_FAILURES", THREADS - budget), outcomes);
    }
}
