package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.store.OtpStore;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxPendingCodes} through the public API: at the bound a flood of new sends is refused (logged, reported to
 * listeners), the codes already pending all stay, and no send succeeds for a code that is not kept.
 */
final class PendingCodesBoundTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final List<OtpEvent.Rejected> rejected = new CopyOnWriteArrayList<>();
    private OtpEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    private OtpEngine engine(long maxPendingCodes) {
        engine = OtpEngine.builder().clock(clock).channel(sms).rateLimits(RateLimits.unlimited())
                .widget(widget().ttl(Duration.ofMinutes(2)).build()).maxPendingCodes(maxPendingCodes)
                .listener(new OtpListener() {
                    @Override
                    public void onRejected(OtpEvent.Rejected event) {
                        rejected.add(event);
                    }
                }).build();
        return engine;
    }

    private static String phone(int i) {
        return String.format(Locale.ROOT, "+1202%07d", i);
    }

    private static SendRequest to(String phone) {
        return SendRequest.builder(WIDGET_ID).phone(phone).build();
    }

    @Test
    void floodAtTheBound_isRefused_andEveryEarlierCodeStillVerifies() {
        OtpEngine engine = engine(1_000);
        List<SendResult> early = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            early.add(engine.send(to(phone(i))));
        }
        List<String> earlyCodes = early.stream().map(s -> sms.messages().stream()
                .filter(m -> m.requestId().equals(s.requestId())).findFirst().orElseThrow().code()).toList();

        int refused = 0;
        for (int i = 100; i < 10_100; i++) {
            try {
                engine.send(to(phone(i)));
            } catch (RateLimitException e) {
                assertEquals(Scope.PENDING_CODES, e.scope());
                refused++;
            }
        }

        assertEquals(10_000 - 900, refused);
        assertEquals(10_000 - 900, rejected.size());
        for (int i = 0; i < early.size(); i++) {
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(early.get(i).requestId(), earlyCodes.get(i)).status());
        }
    }

    @Test
    void boundOfOne_secondSendIsRefused_untilTheFirstCodeHasLeft_andNoSuccessIsForALostCode() {
        OtpEngine engine = engine(1);
        SendResult first = engine.send(to(phone(1)));
        String firstCode = sms.lastCode().orElseThrow();
        int mark = CapturedLogs.mark();

        RateLimitException e = assertThrows(RateLimitException.class, () -> engine.send(to(phone(2))));

        assertEquals(Scope.PENDING_CODES, e.scope());
        assertEquals(Duration.ofMinutes(2).plus(OtpStore.EXPIRED_RETENTION), e.retryAfter());
        assertEquals("too many requests (pending codes limit); retry after 180 s", e.getMessage());
        assertEquals(1, rejected.size());
        assertSame(e, rejected.get(0).reason());
        assertEquals(WIDGET_ID, rejected.get(0).widgetId());
        List<String> lines = CapturedLogs.since(mark);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("holds its maximum of 1 pending codes")
                && l.contains("+1******0002")), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("12020000002")), lines::toString);
        assertEquals(1, sms.messages().size(), "the refused send reached no channel");

        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(first.requestId(), firstCode).status());
        SendResult second = engine.send(to(phone(2)));
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(second.requestId(), sms.lastCode().orElseThrow()).status());
    }

    @Test
    void refusalAtTheBound_countsAgainstNoLimit() {
        engine = OtpEngine.builder().clock(clock).channel(sms).widget(widget().build()).maxPendingCodes(1)
                .rateLimits(RateLimits.builder().perIp(Limit.of(2, Duration.ofMinutes(1))).build()).build();
        engine.send(SendRequest.builder(WIDGET_ID).phone(phone(1)).userIp("203.0.113.7").build());
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertEquals(Scope.PENDING_CODES, assertThrows(RateLimitException.class, () -> engine.send(
                    SendRequest.builder(WIDGET_ID).phone(phone(10 + n)).userIp("203.0.113.7").build())).scope());
        }
        engine.verify(sms.lastMessage().orElseThrow().requestId(), sms.lastCode().orElseThrow());

        engine.send(SendRequest.builder(WIDGET_ID).phone(phone(2)).userIp("203.0.113.7").build()); // the IP's second
    }

    @Test
    void expiredCodes_makeRoom_onceTheirRetentionIsOver() {
        OtpEngine engine = engine(10);
        for (int i = 0; i < 10; i++) {
            engine.send(to(phone(i)));
        }
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Scope.PENDING_CODES, assertThrows(RateLimitException.class, () -> engine.send(to(phone(99)))).scope(),
                "expired codes are kept a minute to answer EXPIRED, and count");

        clock.advance(OtpStore.EXPIRED_RETENTION);

        engine.send(to(phone(99)));
    }
}
