package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.OTHER_WIDGET_ID;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toll-fraud guard ({@link ConversionGuard}) through the public API, in virtual time: a range whose codes are
 * not verified is cut off after its room of unverified sends (its sends withheld: answered as sent, delivered to no
 * one; or refused, for a guard that refuses openly), other ranges and verified phones are not, verified codes earn room
 * back, the room refills, and the guard is off in {@link RateLimits#unlimited()}. The channel here reads no regions, so
 * a phone's region is its calling code ({@code +63}) and its range the next four digits ({@code 9170}); regions told
 * apart by the phone reading are {@link NumberRangeGuardTest}'s.
 */
final class CountryConversionTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final List<OtpEvent.CountryCutOff> cutOffs = new CopyOnWriteArrayList<>();
    private final List<OtpEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(OtpEngine::close);
    }

    private OtpEngine engine(RateLimits limits, Widget... widgets) {
        return engine(limits, null, widgets);
    }

    private OtpEngine engine(RateLimits limits, dev.otpengine.store.OtpStore store, Widget... widgets) {
        OtpEngine.Builder b = OtpEngine.builder().clock(clock).channel(sms).rateLimits(limits)
                .listener(new OtpListener() {
                    @Override
                    public void onCountryCutOff(OtpEvent.CountryCutOff event) {
                        cutOffs.add(event);
                    }
                });
        if (store != null) {
            b.store(store).secret(new byte[32]);
        }
        for (Widget w : widgets.length == 0 ? new Widget[] {widget().ttl(ofMinutes(10)).build()} : widgets) {
            b.widget(w);
        }
        OtpEngine engine = b.build();
        engines.add(engine);
        return engine;
    }

    /** Only the guard: no other limit gets in the way. */
    private static RateLimits guardOnly(ConversionGuard guard) {
        return RateLimits.builder().countryConversion(guard).build();
    }

    /** The n-th Philippine mobile number, the country under attack in these tests. */
    private static String philippines(int n) {
        return String.format(Locale.ROOT, "+63917%07d", n);
    }

    private static String germany(int n) {
        return String.format(Locale.ROOT, "+49151%08d", n);
    }

    /** A distinct IPv4 address per n, within the default per-IP limits. */
    private static String ip(int n) {
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    private static SendRequest to(UUID widgetId, String phone, String ip) {
        return SendRequest.builder(widgetId).phone(phone).userIp(ip).build();
    }

    /** Sends; whether a message went out: {@code false} for a send the guard withheld, which is answered as sent. */
    private boolean delivered(OtpEngine engine, SendRequest request) {
        int before = sms.messages().size();
        SendResult result = engine.send(request);
        assertEquals(1, result.deliveries().size(), "answered as sent either way");
        return sms.messages().size() > before;
    }

    private VerifyResult verify(OtpEngine engine, SendResult sent, String phone) {
        return engine.verify(sent.requestId(), sms.lastCode(phone).orElseThrow());
    }

    @Test
    void unverifiedRange_refusedOpenly_isCutOffAfterMinSends_withRetryAfterOfOneSendsRefill_andOtherCountriesPass() {
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(3, 0.5, ofHours(1)).refusingOpenly()));
        for (int i = 0; i < 3; i++) {
            engine.send(to(WIDGET_ID, philippines(i), null));
        }
        RateLimitException e = assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, philippines(3), null)));
        assertEquals(Scope.COUNTRY_CONVERSION, e.scope());
        assertEquals(ofMinutes(20), e.retryAfter(), "one send's room comes back in window / minSends");
        assertEquals(3, sms.messages().size(), "the refused send reached no channel");

        engine.send(to(WIDGET_ID, germany(0), null)); // another country has its own room

        clock.advance(ofMinutes(20).minusSeconds(1));
        assertThrows(RateLimitException.class, () -> engine.send(to(WIDGET_ID, philippines(4), null)));
        clock.advance(ofSeconds(1));
        engine.send(to(WIDGET_ID, philippines(5), null));
        assertThrows(RateLimitException.class, () -> engine.send(to(WIDGET_ID, philippines(6), null)));
    }

    @Test
    void unverifiedRange_byDefault_isWithheld_answeredAsSent_andVerifiesLikeAnyCode_butReachesNoOne() {
        List<OtpEvent.Rejected> rejected = new CopyOnWriteArrayList<>();
        OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms)
                .rateLimits(guardOnly(ConversionGuard.of(3, 0.5, ofHours(1)))).widget(widget().build())
                .listener(new OtpListener() {
                    @Override
                    public void onRejected(OtpEvent.Rejected event) {
                        rejected.add(event);
                    }
                }).build();
        engines.add(engine);
        for (int i = 0; i < 3; i++) {
            assertTrue(delivered(engine, to(WIDGET_ID, philippines(i), null)));
        }
        SendResult withheld = engine.send(to(WIDGET_ID, philippines(3), null));
        assertEquals(3, sms.messages().size(), "the cut-off send reached no channel");
        assertEquals(List.of(new Delivery("sms", Delivery.Status.ACCEPTED, null, null)), withheld.deliveries());
        // its code is stored as any other: a guess is judged and counted, so verify tells it from nothing either
        VerifyResult guess = engine.verify(withheld.requestId(), "000000");
        assertEquals(VerifyResult.Status.INVALID_CODE, guess.status());
        assertEquals(4, guess.attemptsLeft());
        // the application's listeners hear what it was: a refusal by the guard, with its retry-after
        assertEquals(1, rejected.size());
        RateLimitException reason = (RateLimitException) rejected.get(0).reason();
        assertEquals(Scope.COUNTRY_CONVERSION, reason.scope());
        assertEquals(ofMinutes(20), reason.retryAfter());

        assertTrue(delivered(engine, to(WIDGET_ID, germany(0), null)), "another country has its own room");
        clock.advance(ofMinutes(20));
        assertTrue(delivered(engine, to(WIDGET_ID, philippines(5), null)), "one send's room back after 20 minutes");
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(6), null)));
    }

    @Test
    void eachVerifiedCode_givesBackOneOverTheShare_soTrafficAtTheShareNeverRunsOut() {
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(2, 0.5, ofHours(1))));
        // At exactly the share (one in two verified), the room never runs out.
        for (int i = 0; i < 200; i += 2) {
            SendResult first = engine.send(to(WIDGET_ID, philippines(i), null));
            engine.send(to(WIDGET_ID, philippines(i + 1), null));
            assertTrue(verify(engine, first, philippines(i)).isVerified());
        }
        // Below it (none verified), two more and the country is cut off.
        engine.send(to(WIDGET_ID, philippines(1_000), null));
        engine.send(to(WIDGET_ID, philippines(1_001), null));
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(1_002), null)));
    }

    @Test
    void aPhoneThatVerified_isLetThroughACutOff_andNeitherCountedNorCredited() {
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(2, 0.5, ofHours(1))));
        String returning = philippines(0);
        SendResult first = engine.send(to(WIDGET_ID, returning, null));
        assertTrue(verify(engine, first, returning).isVerified()); // room 2 - 1 + 2, capped at 2
        engine.send(to(WIDGET_ID, philippines(1), null));
        engine.send(to(WIDGET_ID, philippines(2), null));
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(3), null)));

        for (int i = 0; i < 5; i++) { // the returning user logs in again and again through the cut-off
            SendResult again = engine.send(to(WIDGET_ID, returning, null));
            assertTrue(verify(engine, again, returning).isVerified());
        }
        // and funds no one: the range is still cut off
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(4), null)));
    }

    @Test
    void aCodeSentToAPhoneAndAnEmail_takesFromTheRoom_butItsVerificationEarnsNothingAndMarksNoPhone() {
        CapturingChannel email = CapturingChannel.email();
        OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
                .rateLimits(guardOnly(ConversionGuard.of(3, 0.5, ofHours(1)))).widget(widget().build()).build();
        engines.add(engine);
        for (int i = 0; i < 3; i++) { // the attacker's mailbox gets every code: verified, but not by the phone
            String phone = philippines(i);
            String mailbox = "evil" + i + "@attacker.test";
            SendResult sent = engine.send(SendRequest.builder(WIDGET_ID).phone(phone).email(mailbox).build());
            assertTrue(engine.verify(sent.requestId(), email.lastCode(mailbox).orElseThrow()).isVerified());
        }
        assertEquals(3, sms.messages().size());
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(3), null)), "no credit was earned");
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(0), null)), "no phone was marked as verified");
    }

    @Test
    void theMarkOfAVerifiedPhone_endsAfterRememberVerified() {
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(1, 0.5, ofHours(1)).rememberingVerified(ofHours(2))));
        String returning = philippines(0);
        assertTrue(verify(engine, engine.send(to(WIDGET_ID, returning, null)), returning).isVerified());
        engine.send(to(WIDGET_ID, philippines(1), null)); // the room of one, spent
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(2), null)));
        assertTrue(delivered(engine, to(WIDGET_ID, returning, null)));

        clock.advance(ofHours(2).plusMinutes(1));
        engine.send(to(WIDGET_ID, philippines(3), null)); // the room refilled: spent again
        assertFalse(delivered(engine, to(WIDGET_ID, returning, null)), "two hours on, the phone counts as any other");
    }

    @Test
    void testRecipients_andTrustedCountries_areNeverCounted() {
        String testPhone = philippines(99);
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(1, 0.5, ofHours(1)).trusting(49)),
                widget().testRecipient(testPhone, "123456").build());
        for (int i = 0; i < 20; i++) {
            engine.send(to(WIDGET_ID, testPhone, null));
            engine.send(to(WIDGET_ID, germany(i), null));
        }
        assertTrue(delivered(engine, to(WIDGET_ID, philippines(0), null)), "the Philippine room is still whole");
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(1), null)));
    }

    @Test
    void eachWidgetHasItsOwnRoom_andEmailOnlySendsAreNotJudged() {
        CapturingChannel email = CapturingChannel.email();
        OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
                .rateLimits(guardOnly(ConversionGuard.of(1, 0.5, ofHours(1))))
                .widget(widget().build()).widget(Widget.builder(OTHER_WIDGET_ID).name("Other").build()).build();
        engines.add(engine);
        engine.send(to(WIDGET_ID, philippines(0), null));
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(1), null)));
        assertTrue(delivered(engine, to(OTHER_WIDGET_ID, philippines(1), null)));
        for (int i = 0; i < 10; i++) {
            engine.send(SendRequest.builder(WIDGET_ID).email("user" + i + "@example.com").build());
        }
        assertEquals(10, email.messages().size());
    }

    @Test
    void anOpenRefusalGivesBackTheCallsOfTheSameSend_butKeepsTheIps() {
        RateLimits limits = RateLimits.builder().perWidget(Limit.of(3, ofHours(1))).perIp(Limit.of(2, ofHours(1)))
                .countryConversion(ConversionGuard.of(1, 0.5, ofHours(1)).refusingOpenly()).build();
        OtpEngine engine = engine(limits);
        engine.send(to(WIDGET_ID, philippines(0), ip(0)));
        for (int i = 1; i < 6; i++) { // refused by the guard: the widget's calls are given back
            int n = i;
            assertEquals(Scope.COUNTRY_CONVERSION, assertThrows(RateLimitException.class,
                    () -> engine.send(to(WIDGET_ID, philippines(n), ip(n)))).scope());
        }
        engine.send(to(WIDGET_ID, germany(0), ip(100))); // each country its own room of one
        engine.send(to(WIDGET_ID, "+33612345678", ip(101)));
        assertEquals(Scope.WIDGET, assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, "+34612345678", ip(102)))).scope());
        // but the IP keeps the call of a send the guard refused: two refusals spend an IP's two calls
        clock.advance(ofHours(1));
        engine.send(to(WIDGET_ID, philippines(9), ip(200))); // the room's refill, spent
        for (int i = 10; i < 12; i++) {
            int n = i;
            assertEquals(Scope.COUNTRY_CONVERSION, assertThrows(RateLimitException.class,
                    () -> engine.send(to(WIDGET_ID, philippines(n), "192.0.2.1"))).scope());
        }
        assertEquals(Scope.IP, assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, germany(3), "192.0.2.1"))).scope());
    }

    /** A withheld send must look like a delivered one to the next request too: it keeps every call it took. */
    @Test
    void aWithheldSend_keepsItsCalls_asADeliveredOneDoes_soTheNextAnswerIsTheSameToo() {
        RateLimits limits = RateLimits.builder().perWidget(Limit.of(5, ofHours(1)))
                .resendCooldown(ofSeconds(30)).countryConversion(ConversionGuard.of(1, 0.5, ofHours(1))).build();
        OtpEngine engine = engine(limits);
        String returning = philippines(0);
        assertTrue(verify(engine, engine.send(to(WIDGET_ID, returning, null)), returning).isVerified());
        engine.send(to(WIDGET_ID, philippines(1), null)); // the range's room of one, spent
        clock.advance(ofMinutes(1));

        assertTrue(delivered(engine, to(WIDGET_ID, returning, null)));
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(2), null)));
        // the same answer again, for both: the resend cooldown; and the widget's limit of 5 an hour counts both
        RateLimitException returningAgain = assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, returning, null)));
        RateLimitException newAgain = assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, philippines(2), null)));
        assertEquals(Scope.RESEND_COOLDOWN, returningAgain.scope());
        assertEquals(Scope.RESEND_COOLDOWN, newAgain.scope());
        assertEquals(returningAgain.retryAfter(), newAgain.retryAfter());
        assertTrue(delivered(engine, to(WIDGET_ID, germany(0), null)));
        assertEquals(Scope.WIDGET, assertThrows(RateLimitException.class,
                () -> engine.send(to(WIDGET_ID, germany(1), null))).scope(), "the withheld send spent the widget's call");
    }

    @Test
    void aCutOff_isLoggedAtWarn_andReportedOncePerWindow_withoutAnyNumber() {
        OtpEngine engine = engine(guardOnly(ConversionGuard.of(1, 0.5, ofHours(1))));
        int mark = CapturedLogs.mark();
        engine.send(to(WIDGET_ID, philippines(0), null));
        for (int i = 1; i < 10; i++) {
            assertFalse(delivered(engine, to(WIDGET_ID, philippines(i), null)));
        }
        assertEquals(1, cutOffs.size());
        OtpEvent.CountryCutOff event = cutOffs.get(0);
        assertEquals(WIDGET_ID, event.widgetId());
        assertEquals(63, event.callingCode());
        assertEquals("+63", event.region(), "no reading of regions here: the calling code stands for it");
        assertEquals("9170", event.range());
        assertEquals(ofHours(1), event.retryAfter());
        List<String> warnings = CapturedLogs.since(mark).stream().filter(l -> l.contains("toll-fraud guard")).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("range +63 9170"), warnings.get(0));
        for (int i = 0; i < 10; i++) {
            assertFalse(warnings.get(0).contains(philippines(i).substring(4)), "no number in the log: " + warnings.get(0));
        }

        clock.advance(ofHours(1).plusSeconds(1));
        engine.send(to(WIDGET_ID, philippines(10), null));
        assertFalse(delivered(engine, to(WIDGET_ID, philippines(11), null)));
        assertEquals(2, cutOffs.size(), "a window later, the next cut-off is reported again");
    }

    @Test
    void twoEnginesOnOneStore_shareTheRoom() {
        InProcessStore inner = new InProcessStore(clock, 1_000, 1_000);
        SharedStore store = new SharedStore(inner);
        RateLimits limits = guardOnly(ConversionGuard.of(4, 0.5, ofHours(1)));
        OtpEngine a = engine(limits, store);
        OtpEngine b = engine(limits, store);
        a.send(to(WIDGET_ID, philippines(0), null));
        b.send(to(WIDGET_ID, philippines(1), null));
        a.send(to(WIDGET_ID, philippines(2), null));
        SendResult last = b.send(to(WIDGET_ID, philippines(3), null));
        assertFalse(delivered(a, to(WIDGET_ID, philippines(4), null)));
        assertTrue(verify(a, last, philippines(3)).isVerified()); // verified on the other engine: +2 for both
        assertTrue(delivered(b, to(WIDGET_ID, philippines(5), null)));
        assertTrue(delivered(a, to(WIDGET_ID, philippines(6), null)));
        assertFalse(delivered(b, to(WIDGET_ID, philippines(7), null)));
        inner.close();
    }

    /** The in-process store, said to be shared so that two engines may use it. */
    private static final class SharedStore extends ForwardingStore {
        SharedStore(InProcessStore store) {
            super(store);
        }

        @Override
        public boolean isShared() {
            return true;
        }
    }

    @Test
    void offInUnlimited_andInTheBuilder_onInTheDefaults() {
        assertTrue(RateLimits.unlimited().countryConversion().isEmpty());
        assertTrue(RateLimits.builder().build().countryConversion().isEmpty());
        assertEquals(ConversionGuard.of(50, 0.2, Duration.ofDays(1)), RateLimits.defaults().countryConversion().orElseThrow());
        OtpEngine engine = engine(RateLimits.unlimited());
        for (int i = 0; i < 300; i++) {
            engine.send(to(WIDGET_ID, philippines(i), null));
        }
    }

    /**
     * A day of SMS pumping under the default limits: bots ask, from a new IP each time (within the per-IP limits) and
     * within the widget's limits, for a code to a new Philippine number every 6 seconds, and verify none; meanwhile a
     * German user signs in every minute (four in five verify), and twenty Philippine users who verified before the
     * attack sign in every three hours and verify. The guard cuts the attack's range off after the room of 50 it starts
     * with, then lets through what the room refills (50 a day); no genuine send is withheld.
     */
    @Test
    void aDayOfPumping_underTheDefaults_isCutOffAfterFiftyWastedSends_andNoGenuineSendIsWithheld() {
        OtpEngine engine = engine(RateLimits.defaults());
        int ipCounter = 0;
        List<String> returning = new ArrayList<>();
        for (int u = 0; u < 20; u++) { // the Philippine users, known before the attack
            String phone = philippines(5_000_000 + u);
            returning.add(phone);
            assertTrue(verify(engine, engine.send(to(WIDGET_ID, phone, ip(ipCounter++))), phone).isVerified());
        }
        clock.advance(ofHours(1));

        int wasted = 0;
        int wastedBeforeCut = -1;
        int attackRefused = 0;
        int genuineSends = 0;
        int genuineRefused = 0;
        int germans = 0;
        Duration step = ofSeconds(6);
        long steps = Duration.ofDays(1).dividedBy(step);
        for (long s = 0; s < steps; s++) {
            if (delivered(engine, to(WIDGET_ID, philippines((int) s), ip(ipCounter++)))) {
                wasted++;
            } else {
                if (wastedBeforeCut < 0) {
                    wastedBeforeCut = wasted;
                }
                attackRefused++;
            }
            if (s % 10 == 0) { // a German user each minute
                String phone = germany(germans++);
                genuineSends++;
                int before = sms.messages().size();
                SendResult sent = engine.send(to(WIDGET_ID, phone, ip(ipCounter++)));
                if (sms.messages().size() == before) {
                    genuineRefused++;
                } else if (germans % 5 != 0) {
                    assertTrue(verify(engine, sent, phone).isVerified());
                }
            }
            if (s % 1_800 == 900) { // every three hours, each returning Philippine user
                for (String phone : returning) {
                    genuineSends++;
                    int before = sms.messages().size();
                    SendResult sent = engine.send(to(WIDGET_ID, phone, ip(ipCounter++)));
                    if (sms.messages().size() == before) {
                        genuineRefused++;
                    } else {
                        assertTrue(verify(engine, sent, phone).isVerified());
                    }
                }
            }
            clock.advance(step);
        }
        System.out.printf(Locale.ROOT, "pumping simulation: %d attack sends over a day, %d wasted (%d before the cut),"
                + " %d withheld; %d genuine sends, %d withheld; %d cut-off events%n", steps, wasted, wastedBeforeCut,
                attackRefused, genuineSends, genuineRefused, cutOffs.size());
        assertTrue(wastedBeforeCut <= 50, "wasted before the cut: " + wastedBeforeCut);
        assertTrue(wasted <= 50 + 50 + 1, "wasted over the day (the room of 50 and its day's refill): " + wasted);
        assertEquals(0, genuineRefused, "genuine sends refused");
        assertTrue(genuineSends > 1_500, "genuine sends: " + genuineSends);
        assertTrue(cutOffs.stream().allMatch(c -> c.callingCode() == 63), cutOffs.toString());

        clock.advance(Duration.ofDays(1)); // the attack is over: a day on, a new Philippine user gets a code
        assertTrue(delivered(engine, to(WIDGET_ID, philippines(9_000_000), ip(ipCounter))));
    }
}
