package dev.otpengine.store.support;

import dev.otpengine.VerifyResult.Status;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one statement of how a guess is judged: its order, its changes, its numbering. */
final class GuessRuleTest {

    private static final long EXPIRES = 1_000_000_000_000L;
    private static final long RETENTION = OtpStore.EXPIRED_RETENTION.toNanos();

    private static GuessRule.Judgement judge(int failures, boolean matches, long now) {
        return GuessRule.judge(EXPIRES, failures, 5, matches, now);
    }

    @Test
    void judge_inOrder_retentionThenExpiryThenAttemptsThenTag() {
        assertEquals(new GuessRule.Judgement(Status.NOT_FOUND, 0, GuessRule.Change.REMOVE),
                judge(0, true, EXPIRES + RETENTION));
        assertEquals(new GuessRule.Judgement(Status.EXPIRED, 0, GuessRule.Change.NONE),
                judge(5, true, EXPIRES + RETENTION - 1));
        assertEquals(new GuessRule.Judgement(Status.EXPIRED, 0, GuessRule.Change.NONE), judge(0, true, EXPIRES));
        assertEquals(new GuessRule.Judgement(Status.ATTEMPTS_EXCEEDED, 0, GuessRule.Change.NONE),
                judge(5, true, EXPIRES - 1));
        assertEquals(new GuessRule.Judgement(Status.VERIFIED, 1, GuessRule.Change.REMOVE), judge(4, true, EXPIRES - 1));
        assertEquals(new GuessRule.Judgement(Status.INVALID_CODE, 0, GuessRule.Change.COUNT_FAILURE),
                judge(4, false, EXPIRES - 1));
        assertEquals(new GuessRule.Judgement(Status.INVALID_CODE, 4, GuessRule.Change.COUNT_FAILURE),
                judge(0, false, 0));
    }

    @Test
    void code_andOutcome_areTheNumberingOfTheScripts() {
        UUID widget = UUID.randomUUID();
        Recipient ann = Recipient.ofEmail("ann@example.com");
        Status[] byNumber = {Status.NOT_FOUND, Status.EXPIRED, Status.ATTEMPTS_EXCEEDED, Status.VERIFIED,
            Status.INVALID_CODE};
        for (int i = 0; i < byNumber.length; i++) {
            assertEquals(i, GuessRule.code(byNumber[i]));
        }
        assertEquals(GuessOutcome.NOT_FOUND, GuessRule.outcome(0, 3, null, null));
        assertEquals(0, GuessRule.outcome(1, 3, widget, ann).result().attemptsLeft(), "only a counted guess has any left");
        assertEquals(3, GuessRule.outcome(4, 3, widget, ann).result().attemptsLeft());
        assertEquals(Status.VERIFIED, GuessRule.outcome(3, 2, widget, ann).result().status());
        assertEquals(widget, GuessRule.outcome(3, 2, widget, ann).widgetId());
        assertEquals("code must be from 0 to 4: 5",
                assertThrows(IllegalArgumentException.class, () -> GuessRule.outcome(5, 0, widget, ann)).getMessage());
        assertEquals("widgetId", assertThrows(NullPointerException.class, () -> GuessRule.outcome(2, 0, null, ann))
                .getMessage());
    }
}
