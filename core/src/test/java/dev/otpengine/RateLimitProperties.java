package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.phone;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For any limits and any sequence of calls and clock steps: no window ever lets more than its limit through, no
 * two sends to one recipient come closer than the cooldown, and the engine refuses exactly when a count of what
 * it let through says it must, with the scope and the {@code retryAfter} that count gives.
 */
final class RateLimitProperties {

    private static final List<Duration> WINDOWS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(7),
            Duration.ofMinutes(1), Duration.ofSeconds(90), Duration.ofHours(1));

    /** A send from IP {@code ip} (none if negative) to recipient {@code to}, or a clock step of {@code step}. */
    record Action(int ip, int to, Duration step) {

        @Override
        public String toString() {
            return step != null ? "advance " + step : "send ip" + ip + " -> r" + to;
        }
    }

    @Provide
    Arbitrary<List<Limit>> limits() {
        Arbitrary<Limit> limit = Combinators.combine(Arbitraries.longs().between(1, 4), Arbitraries.of(WINDOWS))
                .as(Limit::of);
        return limit.list().ofMaxSize(2).uniqueElements(Limit::window);
    }

    @Provide
    Arbitrary<Duration> cooldowns() {
        return Arbitraries.oneOf(Arbitraries.just(Duration.ZERO),
                Arbitraries.longs().between(1, 120_000).map(Duration::ofMillis));
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> send = Combinators.combine(Arbitraries.integers().between(-1, 2), Arbitraries.integers().between(0, 2))
                .as((ip, to) -> new Action(ip, to, null));
        Arbitrary<Action> step = Arbitraries.oneOf(
                        Arbitraries.longs().between(1, 1_000_000_000L),
                        Arbitraries.longs().between(1, 120_000).map(ms -> ms * 1_000_000L),
                        Arbitraries.of(500_000_000L, 999_999_999L, 1_000_000_000L, 30_000_000_000L, 60_000_000_000L))
                .map(nanos -> new Action(0, 0, Duration.ofNanos(nanos)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, send),
                net.jqwik.api.Tuple.of(1, step)).list().ofMinSize(1).ofMaxSize(60);
    }

    /** The passes one scope's key has had, by the time each happened. */
    private static final class Passes {
        private final Map<Object, List<Long>> byKey = new HashMap<>();

        List<Long> of(Object key) {
            return byKey.computeIfAbsent(key, k -> new ArrayList<>());
        }
    }

    /** The longest wait among the limits a key has filled in the current window, or -1 if none is full. */
    private static long refusalNanos(List<Limit> limits, List<Long> passes, long now) {
        long wait = -1;
        for (Limit limit : limits) {
            long w = limit.window().toNanos();
            long window = Math.floorDiv(now, w);
            long inWindow = passes.stream().filter(t -> Math.floorDiv(t, w) == window).count();
            if (inWindow >= limit.count()) {
                wait = Math.max(wait, (window + 1) * w - now);
            }
        }
        return wait;
    }

    private static void assertNoWindowOverItsLimit(String scope, List<Limit> limits, Passes passes) {
        for (Limit limit : limits) {
            long w = limit.window().toNanos();
            for (Map.Entry<Object, List<Long>> key : passes.byKey.entrySet()) {
                Map<Long, Integer> perWindow = new HashMap<>();
                key.getValue().forEach(t -> perWindow.merge(Math.floorDiv(t, w), 1, Integer::sum));
                perWindow.forEach((window, count) -> assertTrue(count <= limit.count(),
                        scope + " " + key.getKey() + " let " + count + " through in window " + window + " of " + limit));
            }
        }
    }



    @Property(tries = 300)
    void sends_neverExceedAnyWindow_andAreRefusedExactlyWhenACountSaysSo(
            @ForAll("limits") List<Limit> perWidget, @ForAll("limits") List<Limit> perIp,
            @ForAll("limits") List<Limit> perRecipient, @ForAll("cooldowns") Duration cooldown,
            @ForAll("actions") List<Action> actions) {
        RateLimits limits = RateLimits.builder().perWidget(perWidget.toArray(Limit[]::new))
                .perIp(perIp.toArray(Limit[]::new)).perRecipient(perRecipient.toArray(Limit[]::new))
                .resendCooldown(cooldown).build();
        TestClock clock = TestClock.atFixedStart();
        Passes widgetPasses = new Passes();
        Passes ipPasses = new Passes();
        Passes recipientPasses = new Passes();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).rateLimits(limits)
                .widget(widget().ttl(Duration.ofHours(1)).build()).build()) {
            for (Action action : actions) {
                if (action.step() != null) {
                    clock.advance(action.step());
                    continue;
                }
                long now = ClockTimeMeter.epochNanos(clock.instant());
                String ip = action.ip() < 0 ? null : "192.0.2." + action.ip();
                List<Long> toRecipient = recipientPasses.of(action.to());

                // The model: the first scope, in the engine's order (IP, widget, then the recipient's), whose count
                // of passes says no.
                Scope expected = null;
                long wait = -1;
                if (ip != null && (wait = refusalNanos(perIp, ipPasses.of(ip), now)) >= 0) {
                    expected = Scope.IP;
                }
                if (expected == null && (wait = refusalNanos(perWidget, widgetPasses.of(WIDGET_ID), now)) >= 0) {
                    expected = Scope.WIDGET;
                }
                if (expected == null && !cooldown.isZero() && !toRecipient.isEmpty()) {
                    long since = now - toRecipient.get(toRecipient.size() - 1);
                    if (since < cooldown.toNanos()) {
                        expected = Scope.RESEND_COOLDOWN;
                        wait = cooldown.toNanos() - since;
                    }
                }
                if (expected == null && (wait = refusalNanos(perRecipient, toRecipient, now)) >= 0) {
                    expected = Scope.RECIPIENT;
                }

                Scope actual = null;
                Duration retryAfter = null;
                try {
                    engine.send(SendRequest.builder(WIDGET_ID).phone(phone(action.to())).userIp(ip).build());
                } catch (RateLimitException e) {
                    actual = e.scope();
                    retryAfter = e.retryAfter();
                }
                assertEquals(expected, actual, () -> action + " at " + clock.instant());
                if (actual != null) {
                    assertEquals(Duration.ofNanos(wait), retryAfter, () -> action + " at " + clock.instant());
                    if (ip != null && (actual == Scope.RESEND_COOLDOWN || actual == Scope.RECIPIENT)) {
                        ipPasses.of(ip).add(now); // refused for its recipient: the IP's call is not given back
                    }
                    continue;
                }
                toRecipient.add(now);
                if (ip != null) {
                    ipPasses.of(ip).add(now);
                }
                widgetPasses.of(WIDGET_ID).add(now);
            }
        }
        assertNoWindowOverItsLimit("widget", perWidget, widgetPasses);
        assertNoWindowOverItsLimit("ip", perIp, ipPasses);
        assertNoWindowOverItsLimit("recipient", perRecipient, recipientPasses);
        for (Map.Entry<Object, List<Long>> r : recipientPasses.byKey.entrySet()) {
            List<Long> times = r.getValue();
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i) - times.get(i - 1) >= cooldown.toNanos(), "two sends to r" + r.getKey()
                        + " closer than " + cooldown);
            }
        }
    }

    /** A guess for recipient {@code to}: right or wrong, from IP {@code ip}; or a resend to it; or a clock step. */
    record Guess(int ip, int to, boolean right, boolean resend, Duration step) {

        @Override
        public String toString() {
            return step != null ? "advance " + step : resend ? "resend r" + to
                    : (right ? "right" : "wrong") + " guess ip" + ip + " r" + to;
        }
    }

    @Provide
    Arbitrary<List<Guess>> guesses() {
        Arbitrary<Guess> guess = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 1),
                Arbitraries.of(true, false, false, false)).as((ip, to, right) -> new Guess(ip, to, right, false, null));
        Arbitrary<Guess> resend = Arbitraries.integers().between(0, 1).map(to -> new Guess(0, to, false, true, null));
        Arbitrary<Guess> step = Arbitraries.longs().between(1, 90_000).map(ms -> new Guess(0, 0, false, false,
                Duration.ofMillis(ms)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, guess), net.jqwik.api.Tuple.of(2, resend),
                net.jqwik.api.Tuple.of(1, step)).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void guesses_neverExceedTheBudgetOrTheIpLimit_andAreRefusedExactlyWhenACountSaysSo(
            @ForAll("limits") List<Limit> verifyPerIp, @ForAll("limits") List<Limit> guessBudget,
            @ForAll("guesses") List<Guess> actions) {
        RateLimits limits = RateLimits.builder().verifyPerIp(verifyPerIp.toArray(Limit[]::new))
                .verifyFailuresPerRecipient(guessBudget.toArray(Limit[]::new)).build();
        TestClock clock = TestClock.atFixedStart();
        CapturingChannel sms = CapturingChannel.sms();
        Passes checked = new Passes(); // verifications an IP got past every limit
        Passes counted = new Passes(); // wrong guesses counted against a recipient's budget
        Map<Integer, UUID> requests = new HashMap<>();
        Map<Integer, String> codes = new HashMap<>();
        Map<Integer, Long> storedUntil = new HashMap<>(); // a code is looked up until its ttl plus the retention
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).rateLimits(limits)
                .widget(widget().ttl(Duration.ofMinutes(5)).maxAttempts(3).build()).build()) {
            for (Guess action : actions) {
                if (action.step() != null) {
                    clock.advance(action.step());
                    continue;
                }
                if (action.resend() || !requests.containsKey(action.to())) {
                    requests.put(action.to(), engine.send(SendRequest.builder(WIDGET_ID).phone(phone(action.to())).build())
                            .requestId());
                    codes.put(action.to(), sms.lastCode().orElseThrow());
                    storedUntil.put(action.to(), ClockTimeMeter.epochNanos(clock.instant()) + Duration.ofMinutes(6).toNanos());
                    if (action.resend()) {
                        continue;
                    }
                }
                long now = ClockTimeMeter.epochNanos(clock.instant());
                String ip = "192.0.2." + action.ip();
                String code = codes.get(action.to());
                String guess = action.right() ? code : code.equals("000000") ? "111111" : "000000";

                // A request id no code has any more (used, long expired) counts apart from the widget, and has no
                // recipient whose budget it could spend.
                boolean stored = now < storedUntil.get(action.to());
                String ipKey = stored ? ip : ip + " unknown id";
                Scope expected = null;
                long wait;
                if ((wait = refusalNanos(verifyPerIp, checked.of(ipKey), now)) >= 0) {
                    expected = Scope.VERIFY_IP;
                } else if (stored && (wait = refusalNanos(guessBudget, counted.of(action.to()), now)) >= 0) {
                    expected = Scope.VERIFY_FAILURES;
                }

                VerifyResult result = null;
                RateLimitException refusal = null;
                try {
                    result = engine.verify(VerifyRequest.builder(requests.get(action.to()), guess).userIp(ip).build());
                } catch (RateLimitException e) {
                    refusal = e;
                }
                assertEquals(expected, refusal == null ? null : refusal.scope(), () -> action + " at " + clock.instant());
                if (refusal != null) {
                    assertEquals(Duration.ofNanos(wait), refusal.retryAfter(), () -> action + " at " + clock.instant());
                    if (refusal.scope() == Scope.VERIFY_FAILURES) {
                        checked.of(ipKey).add(now); // refused for its recipient: the IP's call is not given back
                    }
                    continue;
                }
                checked.of(ipKey).add(now);
                if (result.status() == VerifyResult.Status.INVALID_CODE) {
                    counted.of(action.to()).add(now);
                } else if (result.isVerified()) {
                    storedUntil.put(action.to(), now);
                }
            }
        }
        assertNoWindowOverItsLimit("verify ip", verifyPerIp, checked);
        assertNoWindowOverItsLimit("guess budget", guessBudget, counted);
    }
}
