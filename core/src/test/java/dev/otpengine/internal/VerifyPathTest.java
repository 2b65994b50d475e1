package dev.otpengine.internal;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpListener;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.store.GuessOutcome;
import java.time.Instant;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The verify path when a shared store fails around the guess: the answer of a judged guess stands. */
final class VerifyPathTest {

    private static final UUID WIDGET = UUID.fromString("3a2b1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

    private final TestClock clock = TestClock.atFixedStart();
    private final CodeHasher hasher = new CodeHasher("the verify path test's secret, 32 bytes+".getBytes(StandardCharsets.UTF_8));
    private final OtpStore store = new InProcessStore(clock, 1_000, 1_000);
    private final WidgetRegistry widgets = new WidgetRegistry(Map.of(), false);

    private VerifyPath path(RequestGuard guard) {
        widgets.put(Widget.builder(WIDGET).name("Acme").build());
        return new VerifyPath(clock, widgets, store, guard, hasher, OtpListener.NONE, new Refusals(clock, OtpListener.NONE));
    }

    private UUID pending(String code) {
        UUID requestId = UUID.randomUUID();
        store.putCode(new StoredCode(requestId, WIDGET, Recipient.ofPhone("+12025550120"), hasher.tag(requestId, code),
                clock.instant().plus(Duration.ofMinutes(2)), 3), clock.instant());
        return requestId;
    }

    @Test
    void rightGuess_whoseBudgetCannotBeGivenBack_isStillVerified() {
        RequestGuard failingToSettle = new RequestGuard() {
            @Override
            public VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp,
                                             boolean testRecipient) {
                return status -> {
                    throw new NoConnectionException("test", new IllegalStateException("gone"));
                };
            }
        };
        UUID requestId = pending("123456");
        VerifyResult result = path(failingToSettle).verify(VerifyRequest.builder(requestId, "123456").build());
        assertEquals(VerifyResult.Status.VERIFIED, result.status(), "the code is spent: the user must hear so");
    }

    @Test
    void storeFailingToJudge_andThenToSettle_answersWithTheFirstFailure() {
        NoConnectionException settling = new NoConnectionException("test", new IllegalStateException("settle"));
        RequestGuard failingToSettle = new RequestGuard() {
            @Override
            public VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp,
                                             boolean testRecipient) {
                return status -> {
                    throw settling;
                };
            }
        };
        UUID requestId = pending("123456");
        OtpStore failingToJudge = new FailingToJudge(store);
        VerifyPath path = new VerifyPath(clock, widgets, failingToJudge, failingToSettle, hasher, OtpListener.NONE,
                new Refusals(clock, OtpListener.NONE));
        widgets.put(Widget.builder(WIDGET).name("Acme").build());
        NoConnectionException e = assertThrows(NoConnectionException.class,
                () -> path.verify(VerifyRequest.builder(requestId, "123456").build()));
        assertEquals("judge", e.getCause().getMessage());
        assertSame(settling, e.getSuppressed()[0]);
    }

    /** A store that finds codes but cannot judge a guess, as a shared store gone between two calls. */
    private static final class FailingToJudge extends ForwardingStore {

        FailingToJudge(OtpStore codes) {
            super(codes);
        }

        @Override
        public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now) {
            throw new NoConnectionException("test", new IllegalStateException("judge"));
        }
    }
}
