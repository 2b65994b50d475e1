package dev.otpengine;

import dev.otpengine.races.StartingGate;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads released at once by a latch against one request: the rules hold however they interleave. */
final class OtpEngineConcurrencyTest {

    private static final int THREADS = 32;

    private final CapturingChannel sms = CapturingChannel.sms();
    private final OtpEngine engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(TestClock.atFixedStart()).channel(sms)
            .widget(widget().maxAttempts(5).build()).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        engine.close();
    }

    /** Runs every task at once, released together, and returns their results in order. */
    private <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : StartingGate.release(pool, tasks)) {
            results.add(f.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    /** THREADS tasks, the i-th made by {@code task.apply(i)}. */
    private static <T> List<Callable<T>> tasks(java.util.function.IntFunction<Callable<T>> task) {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(task.apply(i));
        }
        return tasks;
    }

    private static Map<VerifyResult.Status, Integer> count(List<VerifyResult> results) {
        Map<VerifyResult.Status, Integer> counts = new EnumMap<>(VerifyResult.Status.class);
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    @RepeatedTest(20)
    void verify_rightCodeFromManyThreads_verifiesExactlyOnce() throws Exception {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();
        Map<VerifyResult.Status, Integer> counts = count(together(tasks(i -> () -> engine.verify(id, code))));

        assertEquals(Map.of(VerifyResult.Status.VERIFIED, 1, VerifyResult.Status.NOT_FOUND, THREADS - 1), counts);
    }

    @RepeatedTest(20)
    void verify_wrongCodesFromManyThreads_countAtMostMaxAttempts() throws Exception {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();
        String wrong = code.equals("000000") ? "111111" : "000000";
        List<VerifyResult> results = together(tasks(i -> () -> engine.verify(id, wrong)));

        assertEquals(Map.of(VerifyResult.Status.INVALID_CODE, 5, VerifyResult.Status.ATTEMPTS_EXCEEDED, THREADS - 5),
                count(results));
        assertEquals(List.of(0, 1, 2, 3, 4), results.stream().filter(r -> r.status() == VerifyResult.Status.INVALID_CODE)
                .map(VerifyResult::attemptsLeft).sorted().toList());
        assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, engine.verify(id, code).status());
    }

    @RepeatedTest(20)
    void verify_rightAndWrongCodesRacing_neverMoreThanOneVerifiedNorMoreThanMaxFailures() throws Exception {
        UUID id = engine.send(toPhone()).requestId();
        String code = sms.lastCode().orElseThrow();
        String wrong = code.equals("000000") ? "111111" : "000000";
        Map<VerifyResult.Status, Integer> counts = count(together(tasks(i -> () -> engine.verify(id, i % 4 == 0 ? code : wrong))));

        int verified = counts.getOrDefault(VerifyResult.Status.VERIFIED, 0);
        int invalid = counts.getOrDefault(VerifyResult.Status.INVALID_CODE, 0);
        assertTrue(verified <= 1, counts::toString);
        assertTrue(invalid <= 5, counts::toString);
        if (verified == 0) { // the five failures came first; every right guess after them was refused
            assertEquals(5, invalid, counts::toString);
        }
    }

    @RepeatedTest(20)
    void send_manyThreadsToOneRecipient_leavesExactlyOneCodePending() throws Exception {
        List<UUID> ids = together(tasks(i -> () -> engine.send(toPhone()).requestId()));

        int verified = 0;
        for (var message : sms.messages()) {
            assertTrue(ids.contains(message.requestId()));
            if (engine.verify(message.requestId(), message.code()).isVerified()) {
                verified++;
            }
        }
        assertEquals(1, verified);
    }
}
