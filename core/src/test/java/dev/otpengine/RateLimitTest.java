package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.internal.ClockTimeMeter;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.IP;
import static dev.otpengine.Fixtures.OTHER_WIDGET_ID;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.phone;
import static dev.otpengine.Fixtures.widget;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofNanos;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each limit in virtual time: K calls per window pass, the next is refused with its scope and a {@code retryAfter}
 * exact to the nanosecond, another key still passes, and the refused key passes again once {@code retryAfter} is
 * over.
 */
final class RateLimitTest {

    /** The tests start this far into a minute (and an hour), so windows end at odd times. */
    private static final Duration INTO_WINDOW = ofSeconds(17).plusNanos(123_456_789);
    private static final String OTHER_IP = "198.51.100.23";

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private OtpEngine engine;

    @BeforeEach
    void intoTheWindow() {
        clock.advance(INTO_WINDOW);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private OtpEngine engine(RateLimits limits, Widget... widgets) {
        OtpEngine.Builder b = OtpEngine.builder().clock(clock).channel(sms).channel(email).rateLimits(limits);
        if (widgets.length == 0) {
            b.widget(widget().ttl(ofHours(1)).build());
        }
        for (Widget w : widgets) {
            b.widget(w);
        }
        engine = b.build();
        return engine;
    }


    private static SendRequest send(String ip, int recipient) {
        return SendRequest.builder(WIDGET_ID).phone(phone(recipient)).userIp(ip).build();
    }

    private SendResult sendOk(String ip, int recipient) {
        return engine.send(send(ip, recipient));
    }

    private static RateLimitException refused(Scope scope, Executable call) {
        RateLimitException e = assertThrows(RateLimitException.class, call);
        assertEquals(scope, e.scope(), e.getMessage());
        return e;
    }

    /** What is left of the window of this length that the clock is in. */
    private Duration leftOf(Duration window) {
        long now = ClockTimeMeter.epochNanos(clock.instant());
        return ofNanos(window.toNanos() - Math.floorMod(now, window.toNanos()));
    }

    /** The key that was refused is refused up to the last nanosecond of retryAfter, and passes right after it. */
    private void passesExactlyAfter(Duration retryAfter, Scope scope, Executable call) throws Throwable {
        clock.advance(retryAfter.minusNanos(1));
        assertEquals(ofNanos(1), refused(scope, call).retryAfter());
        clock.advance(ofNanos(1));
        call.execute();
    }

    // ---------------------------------------------------------------- per IP

    @Test
    void perIp_kSendsPass_nextIsRefusedUntilTheWindowEnds() throws Throwable {
        engine(RateLimits.builder().perIp(Limit.of(3, ofMinutes(1))).build());
        for (int i = 0; i < 3; i++) {
            sendOk(IP, i);
        }
        int delivered = sms.messages().size();

        RateLimitException e = refused(Scope.IP, () -> sendOk(IP, 3));

        assertEquals(ofMinutes(1).minus(INTO_WINDOW), e.retryAfter());
        assertEquals("too many requests (ip limit); retry after 43 s", e.getMessage());
        assertEquals(delivered, sms.messages().size(), "a refused send costs no SMS");
        sendOk(OTHER_IP, 4);
        passesExactlyAfter(e.retryAfter(), Scope.IP, () -> sendOk(IP, 5));
    }

    @Test
    void perIp_ipv6AddressesOfOneSlash64_countAsOne() {
        engine(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build());
        sendOk("2001:db8:1:2::1", 0);

        refused(Scope.IP, () -> sendOk("2001:db8:1:2:ffff:ffff:ffff:fffe", 1));
        refused(Scope.IP, () -> sendOk("2001:0db8:0001:0002:0000:0000:0000:0009", 2));
        sendOk("2001:db8:1:3::1", 3);
    }

    @Test
    void perIp_ipv4MappedIpv6_isTheIpv4Address() {
        engine(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build());
        sendOk("192.0.2.1", 0);

        refused(Scope.IP, () -> sendOk("::ffff:192.0.2.1", 1));
    }

    @Test
    void perIp_requestWithoutIp_isNotCountedPerIp() {
        engine(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build());
        for (int i = 0; i < 3; i++) {
            engine.send(SendRequest.builder(WIDGET_ID).phone(phone(i)).build());
        }
        assertEquals(3, sms.messages().size());
    }

    @Test
    void perIp_twoLimits_theLongerWindowTripsOnceTheShorterOneRefills() throws Throwable {
        engine(RateLimits.builder().perIp(Limit.of(2, ofMinutes(1)), Limit.of(3, ofHours(1))).build());
        sendOk(IP, 0);
        sendOk(IP, 1);
        Duration minuteLeft = refused(Scope.IP, () -> sendOk(IP, 2)).retryAfter();
        assertEquals(leftOf(ofMinutes(1)), minuteLeft);

        clock.advance(minuteLeft);
        sendOk(IP, 3);
        RateLimitException hour = refused(Scope.IP, () -> sendOk(IP, 4));

        assertEquals(leftOf(ofHours(1)), hour.retryAfter());
        passesExactlyAfter(hour.retryAfter(), Scope.IP, () -> sendOk(IP, 5));
    }

    // ---------------------------------------------------------------- per widget

    @Test
    void perWidget_kSendsFromAnyIpsPass_nextIsRefusedUntilTheWindowEnds() throws Throwable {
        engine(RateLimits.builder().perWidget(Limit.of(3, ofHours(1))).build(),
                widget().build(), Widget.builder(OTHER_WIDGET_ID).name("Other").build());
        for (int i = 0; i < 3; i++) {
            sendOk("192.0.2." + i, i);
        }

        RateLimitException e = refused(Scope.WIDGET, () -> sendOk("192.0.2.9", 9));

        assertEquals(ofHours(1).minus(INTO_WINDOW), e.retryAfter());
        engine.send(SendRequest.builder(OTHER_WIDGET_ID).phone(phone(10)).userIp(IP).build());
        passesExactlyAfter(e.retryAfter(), Scope.WIDGET, () -> sendOk("192.0.2.10", 11));
    }

    // ---------------------------------------------------------------- per recipient

    @Test
    void perRecipient_kSendsToOneAddressFromAnyIps_nextIsRefusedUntilTheWindowEnds() throws Throwable {
        engine(RateLimits.builder().perRecipient(Limit.of(2, ofMinutes(10))).build());
        sendOk("192.0.2.1", 0);
        sendOk("192.0.2.2", 0);

        RateLimitException e = refused(Scope.RECIPIENT, () -> sendOk("192.0.2.3", 0));

        assertEquals(ofMinutes(10).minus(INTO_WINDOW), e.retryAfter());
        sendOk("192.0.2.3", 1);
        passesExactlyAfter(e.retryAfter(), Scope.RECIPIENT, () -> sendOk("192.0.2.4", 0));
    }

    @Test
    void perRecipient_sendToPhoneAndEmail_countsAgainstEachAddress() {
        engine(RateLimits.builder().perRecipient(Limit.of(1, ofMinutes(10))).build());
        engine.send(SendRequest.builder(WIDGET_ID).phone(phone(0)).email(EMAIL).userIp(IP).build());

        refused(Scope.RECIPIENT, () -> engine.send(SendRequest.builder(WIDGET_ID).email("ANN@example.com").build()));
        refused(Scope.RECIPIENT, () -> sendOk(IP, 0));
    }

    // ---------------------------------------------------------------- resend cooldown

    @Test
    void resendCooldown_sendTooSoon_isRefusedForExactlyTheTimeLeft() throws Throwable {
        engine(RateLimits.builder().resendCooldown(ofSeconds(30)).build());
        sendOk(IP, 0);
        clock.advance(ofSeconds(10).plusNanos(1));

        RateLimitException e = refused(Scope.RESEND_COOLDOWN, () -> sendOk(IP, 0));

        assertEquals(ofSeconds(20).minusNanos(1), e.retryAfter());
        sendOk(IP, 1);
        passesExactlyAfter(e.retryAfter(), Scope.RESEND_COOLDOWN, () -> sendOk(IP, 0));
        // It runs from each send, not from a window: the next is due 30 s after this one, to the nanosecond.
        passesExactlyAfter(ofSeconds(30), Scope.RESEND_COOLDOWN, () -> sendOk(IP, 0));
    }

    // ---------------------------------------------------------------- verify per IP

    @Test
    void verifyPerIp_kVerificationsPass_nextIsRefusedUntilTheWindowEnds() throws Throwable {
        engine(RateLimits.builder().verifyPerIp(Limit.of(3, ofMinutes(1))).build());
        UUID requestId = sendOk(IP, 0).requestId();
        String code = sms.lastCode().orElseThrow();
        VerifyRequest wrong = VerifyRequest.builder(requestId, wrongCode(code)).userIp(IP).build();
        for (int i = 0; i < 3; i++) {
            assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(wrong).status());
        }

        VerifyRequest right = VerifyRequest.builder(requestId, code).userIp(IP).build();
        RateLimitException e = refused(Scope.VERIFY_IP, () -> engine.verify(right));

        assertEquals(ofMinutes(1).minus(INTO_WINDOW), e.retryAfter());
        assertEquals(VerifyResult.Status.INVALID_CODE,
                engine.verify(VerifyRequest.builder(requestId, wrongCode(code)).userIp(OTHER_IP).build()).status());
        passesExactlyAfter(e.retryAfter(), Scope.VERIFY_IP,
                () -> assertTrue(engine.verify(right).isVerified()));
    }

    @Test
    void verifyPerIp_unknownRequestIds_countUnderTheEnginesLimits() {
        Widget unlimited = widget().rateLimits(RateLimits.unlimited()).build();
        engine(RateLimits.builder().verifyPerIp(Limit.of(2, ofMinutes(1))).build(), unlimited);
        VerifyRequest probe = VerifyRequest.builder(UUID.randomUUID(), "123456").userIp(IP).build();
        assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(probe).status());
        assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(probe).status());

        refused(Scope.VERIFY_IP, () -> engine.verify(probe));
        // A known code of a widget with its own (no) limits is counted apart.
        UUID id = sendOk(IP, 0).requestId();
        assertTrue(engine.verify(VerifyRequest.builder(id, sms.lastCode().orElseThrow()).userIp(IP).build()).isVerified());
    }

    // ---------------------------------------------------------------- guess budget

    @Test
    void guessBudget_isNotResetByResend_andRefusesEvenTheRightCodeUntilTheWindowEnds() throws Throwable {
        engine(RateLimits.builder().verifyFailuresPerRecipient(Limit.of(5, ofMinutes(10))).build(),
                widget().ttl(ofHours(1)).maxAttempts(3).build());
        UUID first = sendOk(IP, 0).requestId();
        String firstCode = sms.lastCode().orElseThrow();
        for (int left = 2; left >= 0; left--) {
            assertEquals(left, engine.verify(first, wrongCode(firstCode)).attemptsLeft());
        }
        // The code takes no more attempts, so this guess is not counted against the budget.
        assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, engine.verify(first, wrongCode(firstCode)).status());

        UUID second = sendOk(IP, 0).requestId();
        String code = sms.lastCode().orElseThrow();
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(second, wrongCode(code)).status());
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(second, wrongCode(code)).status());

        RateLimitException e = refused(Scope.VERIFY_FAILURES, () -> engine.verify(second, code));

        assertEquals(ofMinutes(10).minus(INTO_WINDOW), e.retryAfter());
        UUID someoneElse = sendOk(IP, 1).requestId();
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(someoneElse, wrongCode(sms.lastCode().orElseThrow())).status());
        passesExactlyAfter(e.retryAfter(), Scope.VERIFY_FAILURES,
                () -> assertTrue(engine.verify(second, code).isVerified()));
    }

    @Test
    void guessBudget_rightCodesAndUnknownIds_doNotSpendIt() {
        engine(RateLimits.builder().verifyFailuresPerRecipient(Limit.of(1, ofMinutes(10))).build());
        for (int i = 0; i < 3; i++) {
            UUID id = sendOk(IP, 0).requestId();
            assertTrue(engine.verify(id, sms.lastCode().orElseThrow()).isVerified());
            assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(id, sms.lastCode().orElseThrow()).status());
        }
        UUID id = sendOk(IP, 0).requestId();
        String code = sms.lastCode().orElseThrow();
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(id, wrongCode(code)).status());

        refused(Scope.VERIFY_FAILURES, () -> engine.verify(id, code));
    }

    @Test
    void guessBudget_belongsToEachAddress_soAnotherCodeToTheSameEmailIsRefusedToo() {
        engine(RateLimits.builder().verifyFailuresPerRecipient(Limit.of(1, ofMinutes(10))).build());
        UUID both = engine.send(SendRequest.builder(WIDGET_ID).phone(phone(0)).email(EMAIL).build()).requestId();
        assertEquals(VerifyResult.Status.INVALID_CODE, engine.verify(both, wrongCode(sms.lastCode().orElseThrow())).status());

        UUID emailOnly = engine.send(SendRequest.builder(WIDGET_ID).email(EMAIL).build()).requestId();

        refused(Scope.VERIFY_FAILURES, () -> engine.verify(emailOnly, email.lastCode().orElseThrow()));
    }

    private static String wrongCode(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    // ---------------------------------------------------------------- how scopes combine

    @Test
    void refusedSend_isGivenBackToTheLimitsCheckedBeforeIt() {
        engine(RateLimits.builder().perRecipient(Limit.of(2, ofMinutes(1))).perIp(Limit.of(1, ofMinutes(1)))
                .perWidget(Limit.of(3, ofMinutes(1))).build());
        sendOk(IP, 0);
        refused(Scope.IP, () -> sendOk(IP, 1));
        refused(Scope.IP, () -> sendOk(IP, 1));

        // Neither the recipient's budget nor the widget's was spent by the refused sends.
        sendOk("192.0.2.1", 1);
        sendOk("192.0.2.2", 1);
        refused(Scope.WIDGET, () -> sendOk("192.0.2.3", 2));
    }

    @Test
    void sendRefusedByWidget_doesNotStartTheRecipientsCooldown() {
        engine(RateLimits.builder().resendCooldown(ofMinutes(10)).perWidget(Limit.of(1, ofMinutes(1))).build());
        sendOk(IP, 0);
        Duration left = refused(Scope.WIDGET, () -> sendOk(IP, 1)).retryAfter();

        clock.advance(left);
        sendOk(IP, 1);
    }

    @Test
    void widgetOwnLimits_replaceTheEnginesForThatWidgetOnly() {
        Widget own = Widget.builder(OTHER_WIDGET_ID).name("Own").rateLimits(RateLimits.unlimited()).build();
        engine(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build(), widget().build(), own);
        for (int i = 0; i < 3; i++) {
            engine.send(SendRequest.builder(OTHER_WIDGET_ID).phone(phone(i)).userIp(IP).build());
        }
        sendOk(IP, 0);

        refused(Scope.IP, () -> sendOk(IP, 1));
    }

    @Test
    void replacingWidget_withTheSameLimits_keepsItsCounters() {
        RateLimits limits = RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build();
        engine(RateLimits.unlimited(), widget().rateLimits(limits).build());
        sendOk(IP, 0);

        engine.putWidget(widget().name("Renamed").rateLimits(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build())
                .build());

        refused(Scope.IP, () -> sendOk(IP, 1));
    }

    @Test
    void engineWithoutRateLimits_usesTheDefaults() {
        engine = OtpEngine.builder().clock(clock).channel(sms).widget(widget().build()).build();
        for (int i = 0; i < 5; i++) {
            sendOk(IP, i);
        }

        RateLimitException ip = refused(Scope.IP, () -> sendOk(IP, 5));
        assertEquals(ofMinutes(1).minus(INTO_WINDOW), ip.retryAfter());
        refused(Scope.RESEND_COOLDOWN, () -> sendOk(OTHER_IP, 0));
    }

    @Test
    void refusal_isReportedToListenersWithItsWidget() {
        List<OtpEvent.Rejected> rejected = new CopyOnWriteArrayList<>();
        engine = OtpEngine.builder().clock(clock).channel(sms).widget(widget().build())
                .rateLimits(RateLimits.builder().resendCooldown(ofSeconds(30)).build())
                .listener(new OtpListener() {
                    @Override
                    public void onRejected(OtpEvent.Rejected event) {
                        rejected.add(event);
                    }
                }).build();
        sendOk(IP, 0);

        RateLimitException e = refused(Scope.RESEND_COOLDOWN, () -> sendOk(IP, 0));

        assertEquals(1, rejected.size());
        assertEquals(WIDGET_ID, rejected.get(0).widgetId());
        assertEquals(e, rejected.get(0).reason());
        assertEquals("{\"type\":\"RateLimitException\",\"message\":\"too many requests (resend cooldown limit); "
                + "retry after 30 s\",\"httpStatus\":429}", e.toJson());
    }

    // ---------------------------------------------------------------- calling codes (SMS pumping)

    @Test
    void allowedCallingCodes_phoneOutsideThem_getsNoChannelAndNothingIsSent() {
        engine(RateLimits.unlimited(), widget().allowedCallingCodes(44, 49).build());

        assertThrows(NoAvailableChannelsException.class, () -> sendOk(IP, 0));

        assertEquals(0, sms.messages().size());
        engine.send(SendRequest.builder(WIDGET_ID).phone("+447700900123").build());
        assertEquals("+447700900123", sms.lastMessage().orElseThrow().recipient().phone().orElseThrow());
    }

    @Test
    void allowedCallingCodes_phoneOutsideThemWithAnEmail_sendsByEmailOnly() {
        engine(RateLimits.unlimited(), widget().allowedCallingCodes(44).build());

        SendResult result = engine.send(SendRequest.builder(WIDGET_ID).phone(phone(0)).email(EMAIL).build());

        assertEquals(List.of("email"), result.deliveries().stream().map(Delivery::channelId).toList());
        assertEquals(0, sms.messages().size());
        Recipient seen = email.lastMessage().orElseThrow().recipient();
        assertTrue(seen.phone().isEmpty(), "channels never see the refused number");
        assertEquals(EMAIL, seen.email().orElseThrow());
    }

    @Test
    void allowedCallingCodes_refusedPhone_countsAgainstNoLimit() {
        engine(RateLimits.builder().perIp(Limit.of(1, ofMinutes(1))).build(), widget().allowedCallingCodes(44).build());
        for (int i = 0; i < 3; i++) {
            assertThrows(NoAvailableChannelsException.class, () -> sendOk(IP, 0));
        }

        engine.send(SendRequest.builder(WIDGET_ID).phone("+447700900123").userIp(IP).build());
    }

    @Test
    void allowedCallingCodes_matchWholeCodesOnly() {
        // +7 is Russia and Kazakhstan; +77 numbers are Kazakh, still code 7. +1 is every NANP number.
        Widget w = widget().allowedCallingCodes(1, 7).build();

        assertTrue(w.allowsPhone("+77011234567"));
        assertTrue(w.allowsPhone("+18685551234"));
        assertTrue(!w.allowsPhone("+447700900123"));
        assertTrue(!w.allowsPhone("+37060012345"));
        assertEquals(List.of(1, 7), List.copyOf(w.allowedCallingCodes()));
        assertTrue(widget().build().allowsPhone("+447700900123"), "no list allows every country");
    }
}
