package dev.otpengine.store;

import dev.otpengine.Limit;
import dev.otpengine.NoConnectionException;
import dev.otpengine.DeliveryMode;
import dev.otpengine.DeliveryReport;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult.Status;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.WidgetIsBlockedException;
import dev.otpengine.races.StartingGate;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of an engine's state that every {@link OtpStore} must keep, written once and extended by every store (as
 * Bucket4j's {@code AbstractDistributedBucketTest} is by every backend): single use under racing right guesses, at
 * most {@code maxAttempts} wrong guesses counted under 64 racing threads, one newest code per address under racing
 * sends, withdrawal, expiry and retention in virtual time, exact limits under races, block and unblock.
 *
 * <p>Every test runs <em>two engines on one store</em>, with one secret and one virtual clock, and spreads its calls
 * over both: a shared store must make them behave as one engine, and the in-process store, shared within one JVM, must
 * too. A remote store can make the second engine a second node: {@link #openSecondNode} gives it a store object of
 * its own (its own connection) on the same state. A store module's tests extend this class, implement
 * {@link #createStore(Clock)}, and add {@code otpengine-testkit} (for {@link CapturingChannel} and {@link TestClock})
 * in test scope.
 */
public abstract class OtpStoreContractTest {

    /** The one widget of most tests. */
    protected static final UUID WIDGET_ID = UUID.fromString("6f1c3f0e-8d5b-4c7a-9a43-2f0d1b7e5c19");
    /** A second widget, for what must stay apart. */
    protected static final UUID OTHER_WIDGET_ID = UUID.fromString("b2d4c8e1-1a7f-4e3b-8c56-9e0f2a4d6b73");
    /** A widget that escalates from SMS to email after 30 seconds. */
    protected static final UUID ESCALATING_ID = UUID.fromString("0c9a5e6b-3f1d-4b2a-8e7c-5d4f3a2b1c0e");
    private static final Duration ESCALATE_AFTER = Duration.ofSeconds(30);
    private static final byte[] SECRET = "the contract tests' shared secret, 32+ bytes".getBytes(StandardCharsets.UTF_8);
    private static final String PHONE = "+12025550162";
    private static final String IP = "203.0.113.7";
    private static final int RACERS = 64;

    /** The virtual clock of both engines. */
    protected final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final List<OtpEngine> engines = new ArrayList<>();
    private final List<OtpEvent.DeliveryReported> reported = new CopyOnWriteArrayList<>();
    private final BlockingQueue<OtpEvent.Escalated> escalated = new LinkedBlockingQueue<>();
    private final OtpListener reports = new OtpListener() {
        @Override
        public void onDeliveryReported(OtpEvent.DeliveryReported event) {
            reported.add(event);
        }

        @Override
        public void onEscalated(OtpEvent.Escalated event) {
            escalated.add(event);
        }
    };
    private OtpStore store;
    private OtpStore secondNode;
    private ExecutorService pool;

    /**
     * A new, empty store: no code, no counter, no block from an earlier test.
     *
     * @param clock the engines' clock; a store that takes time from each call may ignore it
     * @return the store; the test closes it
     */
    protected abstract OtpStore createStore(Clock clock);

    /**
     * The store of the second engine: by default the first engine's own; a remote store returns another store object
     * on the same state (a second node, with its own connection), which the test closes too.
     *
     * @param first the store {@link #createStore} made for this test
     * @return the second engine's store
     */
    protected OtpStore openSecondNode(OtpStore first) {
        return first;
    }

    @BeforeEach
    void openStore() {
        store = createStore(clock);
        secondNode = openSecondNode(store);
        pool = Executors.newFixedThreadPool(RACERS);
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        engines.forEach(OtpEngine::close);
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        if (secondNode != store) {
            secondNode.close();
        }
        store.close();
    }

    private Widget.Builder widget(UUID id) {
        return Widget.builder(id).name("Acme").ttl(Duration.ofMinutes(2)).maxAttempts(5);
    }

    /** Two engines on the store (the second on its second node), with the same widgets, limits, secret and clock. */
    private OtpEngine[] engines(RateLimits limits) {
        return new OtpEngine[] {engine(limits, store), engine(limits, secondNode)};
    }

    private OtpEngine engine(RateLimits limits, OtpStore on) {
        OtpEngine engine = OtpEngine.builder().store(on).secret(SECRET).clock(clock).channel(sms).channel(email)
                .listener(reports).rateLimits(limits).widget(widget(WIDGET_ID).build()).widget(widget(OTHER_WIDGET_ID).build())
                .widget(widget(ESCALATING_ID).delivery(DeliveryMode.FALLBACK).escalateAfter(ESCALATE_AFTER)
                        .channels("sms", "email").build())
                .build();
        engines.add(engine);
        return engine;
    }

    private static SendRequest toPhone(UUID widget, String phone) {
        return SendRequest.builder(widget).phone(phone).build();
    }

    private String codeOf(SendResult sent) {
        for (OtpMessage m : sms.messages()) {
            if (m.requestId().equals(sent.requestId())) {
                return m.code();
            }
        }
        for (OtpMessage m : email.messages()) {
            if (m.requestId().equals(sent.requestId())) {
                return m.code();
            }
        }
        throw new AssertionError("no message for request " + sent.requestId());
    }

    private static String wrong(String code) {
        return code.charAt(0) == '0' ? "1" + code.substring(1) : "0" + code.substring(1);
    }

    /** {@value #RACERS} calls released at once, alternating between the two engines; their results in order. */
    private <T> List<T> raceOnBoth(OtpEngine[] e, Function<OtpEngine, T> call) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            OtpEngine engine = e[i % 2];
            tasks.add(() -> call.apply(engine));
        }
        return race(tasks);
    }

    private <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : StartingGate.release(pool, tasks)) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    /** A call's outcome: its result, or the exception it threw. */
    private static Object outcome(Supplier<?> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------ codes

    @Test
    void code_sentThroughOneEngine_verifiesOnceThroughTheOther() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));

        assertEquals(Status.VERIFIED, e[1].verify(sent.requestId(), codeOf(sent)).status());
        assertEquals(Status.NOT_FOUND, e[0].verify(sent.requestId(), codeOf(sent)).status());
    }

    @Test
    void rightCode_racingOnBothEngines_verifiesExactlyOnce() throws Exception {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));
        String code = codeOf(sent);

        Map<Status, Integer> counts = count(raceOnBoth(e, engine -> engine.verify(sent.requestId(), code)));

        assertEquals(1, counts.get(Status.VERIFIED), counts::toString);
        assertEquals(RACERS - 1, counts.get(Status.NOT_FOUND), counts::toString);
    }

    @Test
    void wrongGuesses_64Racing_countAtMostMaxAttempts_andThenEvenTheRightCodeIsRefused() throws Exception {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));
        String code = codeOf(sent);

        List<VerifyResult> results = raceOnBoth(e, engine -> engine.verify(sent.requestId(), wrong(code)));

        Map<Status, Integer> counts = count(results);
        assertEquals(5, counts.get(Status.INVALID_CODE), counts::toString);
        assertEquals(RACERS - 5, counts.get(Status.ATTEMPTS_EXCEEDED), counts::toString);
        assertEquals(List.of(0, 1, 2, 3, 4), results.stream().filter(r -> r.status() == Status.INVALID_CODE)
                .map(VerifyResult::attemptsLeft).sorted().toList(), "each count of attempts left given once");
        assertEquals(Status.ATTEMPTS_EXCEEDED, e[1].verify(sent.requestId(), code).status());
    }

    @Test
    void resend_throughTheOtherEngine_withdrawsThePendingCode_inThatWidgetOnly() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult first = e[0].send(toPhone(WIDGET_ID, PHONE));
        SendResult elsewhere = e[0].send(toPhone(OTHER_WIDGET_ID, PHONE));

        SendResult resent = e[1].send(toPhone(WIDGET_ID, PHONE));

        assertEquals(Status.NOT_FOUND, e[0].verify(first.requestId(), codeOf(first)).status());
        assertEquals(Status.NOT_FOUND, e[1].verify(first.requestId(), codeOf(first)).status());
        assertEquals(Status.VERIFIED, e[0].verify(resent.requestId(), codeOf(resent)).status());
        assertEquals(Status.VERIFIED, e[1].verify(elsewhere.requestId(), codeOf(elsewhere)).status());
    }

    @Test
    void resend_toOneOfTwoAddresses_withdrawsTheCodeSentToBoth() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult both = e[0].send(SendRequest.builder(WIDGET_ID).phone(PHONE).email("ann@example.com").build());

        SendResult byEmail = e[1].send(SendRequest.builder(WIDGET_ID).email("ANN@example.com").build());

        assertEquals(Status.NOT_FOUND, e[1].verify(both.requestId(), codeOf(both)).status());
        assertEquals(Status.VERIFIED, e[0].verify(byEmail.requestId(), codeOf(byEmail)).status());
    }

    @Test
    void resend_toAnotherSpellingOfOneInbox_withdrawsThePendingCode_andStillGoesToTheAddressAsGiven() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult tagged = e[0].send(SendRequest.builder(WIDGET_ID).email("victim+1@example.com").build());
        SendResult gmail = e[0].send(SendRequest.builder(WIDGET_ID).email("vic.tim@googlemail.com").build());

        SendResult plain = e[1].send(SendRequest.builder(WIDGET_ID).email("victim+2@example.com").build());
        SendResult gmailAgain = e[1].send(SendRequest.builder(WIDGET_ID).email("victim@gmail.com").build());

        // one inbox, one slot of the resend index (RFC 5233 tags; Gmail's dots and alias): the older code is withdrawn
        assertEquals(Status.NOT_FOUND, e[1].verify(tagged.requestId(), codeOf(tagged)).status());
        assertEquals(Status.NOT_FOUND, e[0].verify(gmail.requestId(), codeOf(gmail)).status());
        assertEquals(Status.VERIFIED, e[0].verify(plain.requestId(), codeOf(plain)).status());
        assertEquals(Status.VERIFIED, e[1].verify(gmailAgain.requestId(), codeOf(gmailAgain)).status());
        List<String> to = new ArrayList<>();
        email.messages().forEach(m -> to.add(m.recipient().email().orElseThrow()));
        assertEquals(List.of("victim+1@example.com", "vic.tim@googlemail.com", "victim+2@example.com",
                "victim@gmail.com"), to.subList(to.size() - 4, to.size()), "each message went to the address as given");
    }

    @Test
    void sends_racingToOneAddressOnBothEngines_leaveExactlyOneCodePending() throws Exception {
        OtpEngine[] e = engines(RateLimits.unlimited());

        List<SendResult> sent = raceOnBoth(e, engine -> engine.send(toPhone(WIDGET_ID, PHONE)));

        int verified = 0;
        for (int i = 0; i < sent.size(); i++) {
            VerifyResult r = e[i % 2].verify(sent.get(i).requestId(), codeOf(sent.get(i)));
            assertTrue(r.status() == Status.VERIFIED || r.status() == Status.NOT_FOUND, r::toString);
            verified += r.isVerified() ? 1 : 0;
        }
        assertEquals(1, verified, "one newest code per address");
    }

    @Test
    void send_noChannelDelivers_leavesNothingPending() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        sms.failWith(DeliveryException.retryable("gateway down"));

        assertThrows(NoConnectionException.class, () -> e[0].send(toPhone(WIDGET_ID, PHONE)));

        OtpMessage lost = sms.lastMessage(PHONE).orElseThrow();
        assertEquals(Status.NOT_FOUND, e[1].verify(lost.requestId(), lost.code()).status());
    }

    @Test
    void expiry_andRetention_followTheEnginesClock() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult a = e[0].send(toPhone(WIDGET_ID, PHONE));
        SendResult b = e[1].send(toPhone(WIDGET_ID, "+12025550163"));
        SendResult c = e[0].send(toPhone(WIDGET_ID, "+12025550164"));

        clock.advance(Duration.ofMinutes(2).minusNanos(1));
        assertEquals(Status.VERIFIED, e[1].verify(a.requestId(), codeOf(a)).status());

        clock.advance(Duration.ofNanos(1));
        assertEquals(Status.EXPIRED, e[0].verify(b.requestId(), codeOf(b)).status());

        clock.advance(OtpStore.EXPIRED_RETENTION.minusNanos(1));
        assertEquals(Status.EXPIRED, e[1].verify(c.requestId(), wrong(codeOf(c))).status());
        clock.advance(Duration.ofNanos(1));
        assertEquals(Status.NOT_FOUND, e[1].verify(c.requestId(), codeOf(c)).status());
    }

    @Test
    void resend_afterExpiry_leavesTheExpiredCodeExpired() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult old = e[0].send(toPhone(WIDGET_ID, PHONE));
        clock.advance(Duration.ofMinutes(2).plusSeconds(30)); // expired, and within its retention

        SendResult fresh = e[1].send(toPhone(WIDGET_ID, PHONE));

        assertEquals(Status.EXPIRED, e[1].verify(old.requestId(), codeOf(old)).status());
        assertEquals(Status.VERIFIED, e[0].verify(fresh.requestId(), codeOf(fresh)).status());
    }

    // ------------------------------------------------------------------ limits

    @Test
    void recipientLimit_racingOnBothEngines_isExact() throws Exception {
        OtpEngine[] e = engines(RateLimits.builder().perRecipient(Limit.of(3, Duration.ofHours(1))).build());

        List<Object> outcomes = raceOnBoth(e, engine -> outcome(() -> engine.send(toPhone(WIDGET_ID, PHONE))));

        assertEquals(3, outcomes.stream().filter(SendResult.class::isInstance).count());
        for (Object o : outcomes) {
            if (!(o instanceof SendResult)) {
                assertEquals(Scope.RECIPIENT, assertInstanceOf(RateLimitException.class, o).scope());
            }
        }
    }

    @Test
    void ipLimit_racingOnBothEngines_isExact_andRefusedSendsCountAgainstNothing() throws Exception {
        OtpEngine[] e = engines(RateLimits.builder().perIp(Limit.of(5, Duration.ofMinutes(1)))
                .perWidget(Limit.of(1_000, Duration.ofMinutes(1))).build());
        List<Callable<Object>> sends = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            OtpEngine engine = e[i % 2];
            String phone = String.format(Locale.ROOT, "+1202555%04d", i);
            sends.add(() -> outcome(() -> engine.send(SendRequest.builder(WIDGET_ID).phone(phone).userIp(IP).build())));
        }

        List<Object> outcomes = race(sends);

        assertEquals(5, outcomes.stream().filter(SendResult.class::isInstance).count());
        assertEquals(Scope.IP, assertThrows(RateLimitException.class, () -> e[0].send(
                SendRequest.builder(WIDGET_ID).phone("+12025559999").userIp(IP).build())).scope());
        for (int i = 0; i < 995; i++) { // the widget counted only the five sends that passed
            e[i % 2].send(toPhone(WIDGET_ID, String.format(Locale.ROOT, "+1303555%04d", i)));
        }
        assertEquals(Scope.WIDGET, assertThrows(RateLimitException.class,
                () -> e[1].send(toPhone(WIDGET_ID, "+13035559999"))).scope());
    }

    @Test
    void refusals_ofTheRequester_touchNoRecipient_andOfTheRecipient_keepTheRequestersCall() {
        OtpEngine[] e = engines(RateLimits.builder().perIp(Limit.of(2, Duration.ofHours(1)))
                .resendCooldown(Duration.ofSeconds(30)).build());
        String victim = "+12025550170";
        e[0].send(SendRequest.builder(WIDGET_ID).phone(victim).userIp(IP).build());
        RateLimitException cooldown = assertThrows(RateLimitException.class,
                () -> e[1].send(SendRequest.builder(WIDGET_ID).phone(victim).userIp(IP).build()));
        assertEquals(RateLimitException.Scope.RESEND_COOLDOWN, cooldown.scope());
        // the IP's call was kept: its two are spent, so a send from it to anyone is refused for the IP now
        String other = "+12025550171";
        RateLimitException ip = assertThrows(RateLimitException.class,
                () -> e[0].send(SendRequest.builder(WIDGET_ID).phone(other).userIp(IP).build()));
        assertEquals(RateLimitException.Scope.IP, ip.scope());
        // ... and that refusal touched no counter of the phone it named: its cooldown was never started
        e[1].send(SendRequest.builder(WIDGET_ID).phone(other).userIp("198.51.100.23").build());
    }

    @Test
    void widgetLimit_sharedByBothEngines_refillsWithTheClock() {
        OtpEngine[] e = engines(RateLimits.builder().perWidget(Limit.of(5, Duration.ofMinutes(1))).build());
        for (int i = 0; i < 5; i++) {
            e[i % 2].send(toPhone(WIDGET_ID, String.format(Locale.ROOT, "+1202555%04d", i)));
        }

        RateLimitException refused = assertThrows(RateLimitException.class, () -> e[1].send(toPhone(WIDGET_ID, PHONE)));
        assertEquals(Scope.WIDGET, refused.scope());
        assertEquals(Duration.ofMinutes(1), refused.retryAfter(), "the test clock starts on a minute");

        clock.advance(refused.retryAfter());
        e[0].send(toPhone(WIDGET_ID, PHONE));
    }

    @Test
    void resendCooldown_sharedByBothEngines_endsExactlyOnTime() {
        OtpEngine[] e = engines(RateLimits.builder().resendCooldown(Duration.ofSeconds(30)).build());
        e[0].send(toPhone(WIDGET_ID, PHONE));
        clock.advance(Duration.ofSeconds(10));

        RateLimitException refused = assertThrows(RateLimitException.class, () -> e[1].send(toPhone(WIDGET_ID, PHONE)));
        assertEquals(Scope.RESEND_COOLDOWN, refused.scope());
        assertEquals(Duration.ofSeconds(20), refused.retryAfter());

        clock.advance(Duration.ofSeconds(20));
        e[1].send(toPhone(WIDGET_ID, PHONE));
    }

    @Test
    void guessBudget_sharedByBothEngines_countsOnlyWrongGuesses_acrossResends() {
        OtpEngine[] e = engines(RateLimits.builder().verifyFailuresPerRecipient(Limit.of(3, Duration.ofHours(1))).build());
        SendResult first = e[0].send(toPhone(WIDGET_ID, PHONE));
        assertEquals(Status.INVALID_CODE, e[0].verify(first.requestId(), wrong(codeOf(first))).status());
        assertEquals(Status.INVALID_CODE, e[1].verify(first.requestId(), wrong(codeOf(first))).status());
        SendResult second = e[1].send(toPhone(WIDGET_ID, PHONE));
        assertEquals(Status.INVALID_CODE, e[0].verify(second.requestId(), wrong(codeOf(second))).status());

        RateLimitException refused = assertThrows(RateLimitException.class,
                () -> e[1].verify(second.requestId(), codeOf(second)));
        assertEquals(Scope.VERIFY_FAILURES, refused.scope());
    }

    @Test
    void verifyIpLimit_racingOnBothEngines_isExact() throws Exception {
        OtpEngine[] e = engines(RateLimits.builder().verifyPerIp(Limit.of(10, Duration.ofMinutes(1))).build());

        List<Object> outcomes = raceOnBoth(e, engine -> outcome(
                () -> engine.verify(VerifyRequest.builder(UUID.randomUUID(), "123456").userIp(IP).build())));

        assertEquals(10, outcomes.stream().filter(VerifyResult.class::isInstance).count());
        assertEquals(RACERS - 10, outcomes.stream().filter(RateLimitException.class::isInstance).count());
    }

    // ------------------------------------------------------------------ widgets

    @Test
    void block_onOneEngine_refusesSendsOnTheOther_untilUnblockedThere() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult before = e[1].send(toPhone(WIDGET_ID, PHONE));

        e[0].blockWidget(WIDGET_ID);

        assertTrue(e[1].isBlocked(WIDGET_ID));
        assertThrows(WidgetIsBlockedException.class, () -> e[1].send(toPhone(WIDGET_ID, "+12025550163")));
        e[1].send(toPhone(OTHER_WIDGET_ID, PHONE)); // another widget is not blocked
        assertEquals(Status.VERIFIED, e[1].verify(before.requestId(), codeOf(before)).status(),
                "a code sent before the block still verifies");

        e[1].unblockWidget(WIDGET_ID);

        assertFalse(e[0].isBlocked(WIDGET_ID));
        e[0].send(toPhone(WIDGET_ID, "+12025550163"));
    }

    @Test
    void block_withLimits_refusesTheSend_beforeAnyLimitCounts_andBeforeALimitThatWouldRefuse() {
        OtpEngine[] e = engines(RateLimits.builder().perIp(Limit.of(1, Duration.ofHours(1)))
                .perRecipient(Limit.of(1, Duration.ofHours(1))).build());
        e[0].blockWidget(WIDGET_ID);
        SendRequest fromIp = SendRequest.builder(WIDGET_ID).phone(PHONE).userIp(IP).build();
        assertThrows(WidgetIsBlockedException.class, () -> e[1].send(fromIp));
        assertThrows(WidgetIsBlockedException.class, () -> e[0].send(fromIp));
        e[1].unblockWidget(WIDGET_ID);

        e[0].send(fromIp); // neither the IP's one send nor the phone's was spent by the blocked sends
        e[1].blockWidget(WIDGET_ID);
        assertThrows(WidgetIsBlockedException.class, () -> e[0].send(fromIp),
                "a blocked widget is told so, though its IP's limit would refuse too");
    }

    @Test
    void store_putCodeUnlessBlocked_storesNothing_forABlockedWidget_andWithdrawsNothing() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        StoredCode first = new StoredCode(UUID.randomUUID(), WIDGET_ID, Recipient.ofPhone(PHONE), tag,
                clock.instant().plus(Duration.ofMinutes(2)), 3);
        assertTrue(store.putCodeUnlessBlocked(first, clock.instant()));
        assertTrue(secondNode.findCode(first.requestId(), clock.instant()).isPresent());

        secondNode.blockWidget(WIDGET_ID);
        StoredCode second = new StoredCode(UUID.randomUUID(), WIDGET_ID, Recipient.ofPhone(PHONE), tag,
                clock.instant().plus(Duration.ofMinutes(2)), 3);
        assertFalse(store.putCodeUnlessBlocked(second, clock.instant()));
        assertTrue(store.findCode(second.requestId(), clock.instant()).isEmpty());
        assertTrue(store.findCode(first.requestId(), clock.instant()).isPresent(), "the pending code stays");

        StoredCode other = new StoredCode(UUID.randomUUID(), OTHER_WIDGET_ID, Recipient.ofPhone(PHONE), tag,
                clock.instant().plus(Duration.ofMinutes(2)), 3);
        assertTrue(secondNode.putCodeUnlessBlocked(other, clock.instant()), "another widget is not blocked");
    }

    @Test
    void store_judgeGuessOfAWidget_leavesAnotherWidgetsCodeUntouched() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        Arrays.fill(tag, (byte) 9);
        byte[] wrong = tag.clone();
        wrong[0] ^= 1;
        StoredCode code = new StoredCode(UUID.randomUUID(), WIDGET_ID, Recipient.ofPhone(PHONE), tag,
                clock.instant().plus(Duration.ofMinutes(2)), 3);
        store.putCode(code, clock.instant());

        assertEquals(GuessOutcome.NOT_FOUND, secondNode.judgeGuess(code.requestId(), wrong, clock.instant(), OTHER_WIDGET_ID));
        assertEquals(GuessOutcome.NOT_FOUND, store.judgeGuess(code.requestId(), tag, clock.instant(), OTHER_WIDGET_ID));
        assertEquals(0, store.findCode(code.requestId(), clock.instant()).orElseThrow().failures(),
                "no failure counted, the code not spent");
        assertEquals(Status.INVALID_CODE,
                secondNode.judgeGuess(code.requestId(), wrong, clock.instant(), WIDGET_ID).result().status());
        assertEquals(Status.INVALID_CODE, store.judgeGuess(code.requestId(), wrong, clock.instant(), null).result().status());
        assertEquals(2, store.findCode(code.requestId(), clock.instant()).orElseThrow().failures());
        GuessOutcome verified = store.judgeGuess(code.requestId(), tag, clock.instant(), WIDGET_ID);
        assertEquals(Status.VERIFIED, verified.result().status());
        assertEquals(WIDGET_ID, verified.widgetId());
        assertEquals(GuessOutcome.NOT_FOUND, secondNode.judgeGuess(UUID.randomUUID(), tag, clock.instant(), WIDGET_ID));
    }

    @Test
    void store_itself_keepsBlocksAndCodesApartByWidgetAndRequest() {
        UUID widget = UUID.randomUUID();
        assertFalse(store.isWidgetBlocked(widget));
        store.blockWidget(widget);
        store.blockWidget(widget);
        assertTrue(store.isWidgetBlocked(widget));
        assertFalse(store.isWidgetBlocked(UUID.randomUUID()));
        store.unblockWidget(widget);
        store.unblockWidget(widget);
        assertFalse(store.isWidgetBlocked(widget));

        UUID unknown = UUID.randomUUID();
        assertTrue(store.findCode(unknown, clock.instant()).isEmpty());
        assertEquals(GuessOutcome.NOT_FOUND, store.judgeGuess(unknown, new byte[StoredCode.TAG_BYTES], clock.instant()));
        assertFalse(store.withdrawCode(unknown));
        assertThrows(IllegalArgumentException.class,
                () -> store.judgeGuess(unknown, new byte[StoredCode.TAG_BYTES + 1], clock.instant()));
    }

    @Test
    void store_findCode_givesBackWhatWasPut_andWithdrawRemovesIt() {
        byte[] tag = new byte[StoredCode.TAG_BYTES];
        Arrays.fill(tag, (byte) 7);
        StoredCode code = new StoredCode(UUID.randomUUID(), WIDGET_ID, Recipient.ofPhone(PHONE), tag,
                clock.instant().plus(Duration.ofMinutes(2)), 3);
        store.putCode(code, clock.instant());

        StoredCode found = store.findCode(code.requestId(), clock.instant()).orElseThrow();
        assertEquals(code.requestId(), found.requestId());
        assertEquals(code.widgetId(), found.widgetId());
        assertEquals(code.recipient(), found.recipient());
        assertEquals(code.expiresAt(), found.expiresAt());
        assertEquals(3, found.maxAttempts());
        assertEquals(0, found.failures());
        assertTrue(found.matches(tag));

        byte[] wrong = tag.clone();
        wrong[0] ^= 1;
        secondNode.judgeGuess(code.requestId(), wrong, clock.instant());
        secondNode.judgeGuess(code.requestId(), wrong, clock.instant());
        assertEquals(2, store.findCode(code.requestId(), clock.instant()).orElseThrow().failures());
        store.judgeGuess(code.requestId(), wrong, clock.instant());
        store.judgeGuess(code.requestId(), wrong, clock.instant()); // past the budget: not counted
        assertEquals(3, secondNode.findCode(code.requestId(), clock.instant()).orElseThrow().failures());

        assertTrue(store.withdrawCode(code.requestId()));
        assertTrue(store.findCode(code.requestId(), clock.instant()).isEmpty());
    }

    // ------------------------------------------------------------------ delivery reports

    @Test
    void report_ofAMessageSentThroughOneEngine_isTakenByTheOther_withItsCode() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));
        String messageId = sent.deliveries().get(0).providerMessageId();
        DeliveryReport report = new DeliveryReport("sms", messageId, DeliveryReport.Status.FAILED, "30003");

        assertTrue(e[1].reportDelivery(report));

        assertEquals(1, reported.size());
        OtpEvent.DeliveryReported event = reported.get(0);
        assertEquals(WIDGET_ID, event.widgetId());
        assertEquals(sent.requestId(), event.requestId());
        assertEquals(report, event.report());
        assertEquals(clock.instant(), event.at());
    }

    @Test
    void report_ofAnUnknownMessage_orAnotherChannels_isFalse_andReportsNothing() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));
        String messageId = sent.deliveries().get(0).providerMessageId();

        assertFalse(e[1].reportDelivery(new DeliveryReport("sms", "SM-never-sent", DeliveryReport.Status.DELIVERED, null)));
        assertFalse(e[1].reportDelivery(new DeliveryReport("email", messageId, DeliveryReport.Status.DELIVERED, null)));
        assertEquals(List.of(), reported);
    }

    @Test
    void report_isTakenWhileTheStoreHoldsTheCode() {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult expiring = e[0].send(toPhone(WIDGET_ID, PHONE));
        DeliveryReport late = new DeliveryReport("sms", expiring.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.DELIVERED, null);
        SendResult verified = e[0].send(toPhone(OTHER_WIDGET_ID, PHONE));
        e[1].verify(verified.requestId(), codeOf(verified));
        SendResult replaced = e[0].send(toPhone(WIDGET_ID, "+12025550163"));
        e[1].send(toPhone(WIDGET_ID, "+12025550163"));

        assertFalse(e[1].reportDelivery(new DeliveryReport("sms", verified.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.DELIVERED, null)), "a verified code");
        assertFalse(e[1].reportDelivery(new DeliveryReport("sms", replaced.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.FAILED, "30003")), "a code a newer send replaced");
        assertTrue(e[1].reportDelivery(new DeliveryReport("sms", expiring.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.DELIVERED, null, null)));

        clock.advance(Duration.ofMinutes(2).plus(OtpStore.EXPIRED_RETENTION).minusMillis(1));
        assertTrue(e[0].reportDelivery(late), "an expired code is held through its retention");
        clock.advance(Duration.ofMillis(1));
        assertFalse(e[0].reportDelivery(late));
        assertFalse(e[1].reportDelivery(late));
        assertEquals(2, reported.size());
    }

    @Test
    void send_withoutAProviderId_remembersNoMessage() {
        sms.answerWith(m -> java.util.concurrent.CompletableFuture.completedFuture(
                new dev.otpengine.spi.DeliveryReceipt("sms", null, clock.instant())));
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(toPhone(WIDGET_ID, PHONE));

        assertEquals(null, sent.deliveries().get(0).providerMessageId());
        assertFalse(e[1].reportDelivery(new DeliveryReport("sms", "sms-1", DeliveryReport.Status.DELIVERED, null)));
    }

    @Test
    void store_rememberMessage_givesBackWhatWasRemembered_byChannelAndId() {
        Instant expiresAt = clock.instant().plus(Duration.ofMinutes(2));
        SentMessage withGateway = new SentMessage("sms", "SM0123:odd id\nwith a line", UUID.randomUUID(), WIDGET_ID,
                "twilio\nreally", 44, expiresAt);
        SentMessage withoutGateway = new SentMessage("email", "SM0123:odd id\nwith a line", UUID.randomUUID(),
                OTHER_WIDGET_ID, null, 0, expiresAt);
        store.rememberMessage(withGateway, clock.instant());
        secondNode.rememberMessage(withoutGateway, clock.instant());

        assertEquals(Optional.of(withGateway), secondNode.findMessage("sms", withGateway.providerMessageId(),
                clock.instant()));
        assertEquals(Optional.of(withoutGateway), store.findMessage("email", withGateway.providerMessageId(),
                clock.instant()));
        assertEquals(Optional.empty(), store.findMessage("sms", "SM0123", clock.instant()));
        assertEquals(Optional.empty(), store.findMessage("sms", withGateway.providerMessageId(),
                withGateway.retainedUntil()));

        SentMessage sameId = new SentMessage("sms", withGateway.providerMessageId(), UUID.randomUUID(),
                OTHER_WIDGET_ID, "twilio", 1, expiresAt);
        secondNode.rememberMessage(sameId, clock.instant());
        assertEquals(Optional.of(withGateway), store.findMessage("sms", withGateway.providerMessageId(),
                clock.instant()), "another request's message under a kept id: the first wins");
    }

    // ------------------------------------------------------------------ escalations

    private Escalation step(UUID requestId, String sentThrough, Duration dueIn) {
        return new Escalation(requestId, ESCALATING_ID, Recipient.builder().phone(PHONE).email("ann@example.com")
                .build(), "pt-BR", sentThrough, List.of("email", "voice"), clock.instant().plus(dueIn),
                clock.instant().plus(Duration.ofMinutes(2)), new byte[] {1, 2, 3, (byte) 0xff});
    }

    @Test
    void store_escalations_areHandedOutOnceDue_earliestFirst_atMostMax_andOnlyOnce() {
        Escalation later = step(UUID.randomUUID(), "sms", Duration.ofSeconds(40));
        Escalation first = step(UUID.randomUUID(), "sms", Duration.ofSeconds(10));
        Escalation second = step(UUID.randomUUID(), "whatsapp", Duration.ofSeconds(20));
        store.scheduleEscalation(later, clock.instant());
        secondNode.scheduleEscalation(first, clock.instant());
        store.scheduleEscalation(second, clock.instant());

        assertEquals(List.of(), store.claimDueEscalations(clock.instant().plusSeconds(10).minusMillis(1), 10));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(first), secondNode.claimDueEscalations(clock.instant(), 1));
        assertEquals(List.of(second), store.claimDueEscalations(clock.instant(), 10));
        assertEquals(List.of(), secondNode.claimDueEscalations(clock.instant(), 10));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of(later), secondNode.claimDueEscalations(clock.instant(), 10));
        assertEquals(List.of(), store.claimDueEscalations(clock.instant(), 10));
        assertThrows(IllegalArgumentException.class, () -> store.claimDueEscalations(clock.instant(), 0));
    }

    @Test
    void store_escalation_scheduledAgain_replacesTheFirst_andOneWhoseCodeExpiredIsDropped() {
        UUID requestId = UUID.randomUUID();
        store.scheduleEscalation(step(requestId, "sms", Duration.ofSeconds(10)), clock.instant());
        Escalation replacement = step(requestId, "email", Duration.ofSeconds(50));
        secondNode.scheduleEscalation(replacement, clock.instant());
        Escalation other = step(UUID.randomUUID(), "sms", Duration.ofSeconds(45));
        store.scheduleEscalation(other, clock.instant());

        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), store.claimDueEscalations(clock.instant(), 10));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(other, replacement), store.claimDueEscalations(clock.instant(), 10));

        store.scheduleEscalation(step(UUID.randomUUID(), "sms", Duration.ofSeconds(10)), clock.instant());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of(), secondNode.claimDueEscalations(clock.instant(), 10), "a step of an expired code");
    }

    @Test
    void store_expedite_makesTheStepDueNow_onlyForTheChannelItWentOutThrough() {
        UUID requestId = UUID.randomUUID();
        Escalation kept = step(requestId, "sms", Duration.ofSeconds(30));
        store.scheduleEscalation(kept, clock.instant());

        assertFalse(secondNode.expediteEscalation(requestId, "whatsapp", clock.instant()));
        assertFalse(secondNode.expediteEscalation(UUID.randomUUID(), "sms", clock.instant()));
        assertEquals(List.of(), store.claimDueEscalations(clock.instant(), 10));
        assertTrue(secondNode.expediteEscalation(requestId, "sms", clock.instant()));
        assertFalse(store.expediteEscalation(requestId, "sms", clock.instant()), "due already");
        assertEquals(List.of(kept.dueAt(clock.instant())), store.claimDueEscalations(clock.instant(), 10));
    }

    @Test
    void store_escalations_claimedByRacingNodes_goEachToExactlyOne() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            store.scheduleEscalation(step(id, "sms", Duration.ofSeconds(1 + i % 7)), clock.instant());
        }
        clock.advance(Duration.ofSeconds(10));
        List<Callable<List<Escalation>>> tasks = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            OtpStore node = i % 2 == 0 ? store : secondNode;
            tasks.add(() -> node.claimDueEscalations(clock.instant(), 5));
        }
        List<UUID> claimed = new ArrayList<>();
        race(tasks).forEach(batch -> batch.forEach(e -> claimed.add(e.requestId())));
        store.claimDueEscalations(clock.instant(), 200).forEach(e -> claimed.add(e.requestId()));

        assertEquals(ids.size(), claimed.size());
        assertEquals(new java.util.HashSet<>(ids), new java.util.HashSet<>(claimed));
    }

    @Test
    void escalation_ofACodeSentByAnEngineThatStopped_isRunByTheOther_once() throws Exception {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[0].send(SendRequest.builder(ESCALATING_ID).phone(PHONE).email("ann@example.com").build());
        String code = sms.lastCode().orElseThrow();
        e[0].close();

        clock.advance(ESCALATE_AFTER);

        OtpEvent.Escalated step = escalated.poll(10, TimeUnit.SECONDS);
        assertTrue(step != null, "the other engine did not escalate within 10 s of real time");
        assertEquals(sent.requestId(), step.requestId());
        assertEquals("email", step.channelId());
        assertEquals(code, email.lastCode().orElseThrow());
        assertEquals(1, email.messages().size());
        assertEquals(Status.VERIFIED, e[1].verify(sent.requestId(), code).status());
    }

    @Test
    void escalation_withBothEnginesPolling_sendsOneMessagePerStep() throws Exception {
        OtpEngine[] e = engines(RateLimits.unlimited());
        SendResult sent = e[1].send(SendRequest.builder(ESCALATING_ID).phone(PHONE).email("ann@example.com").build());

        clock.advance(ESCALATE_AFTER);

        assertTrue(escalated.poll(10, TimeUnit.SECONDS) != null, "no engine escalated within 10 s of real time");
        // both engines poll five times a second: a second step would come within a few polls
        assertEquals(null, escalated.poll(1, TimeUnit.SECONDS));
        assertEquals(List.of(sent.requestId()), email.messages().stream().map(OtpMessage::requestId).toList());
    }

    private static Map<Status, Integer> count(List<VerifyResult> results) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }
}
