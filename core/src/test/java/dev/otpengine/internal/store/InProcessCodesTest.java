package dev.otpengine.internal.store;

import dev.otpengine.RateLimitException;
import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process store's codes in Caffeine: the resend index, expiry and retention, and the bound. */
final class InProcessCodesTest {

    private static final UUID WIDGET = UUID.fromString("0b6bd5a8-4a0f-4d39-a1c4-1a4f0e0b8a11");
    private static final byte[] TAG = new byte[StoredCode.TAG_BYTES];

    private final TestClock clock = TestClock.at(Instant.parse("2026-11-22T10:00:00Z"));

    private InProcessStore store(long maxCodes) {
        return new InProcessStore(clock, maxCodes, 1_000);
    }

    private StoredCode code(UUID widget, Recipient recipient) {
        return new StoredCode(UUID.randomUUID(), widget, recipient, TAG, clock.instant().plus(Duration.ofMinutes(2)), 5);
    }

    private StoredCode put(InProcessStore store, Recipient recipient) {
        StoredCode c = code(WIDGET, recipient);
        store.putCode(c, clock.instant());
        return c;
    }

    private VerifyResult.Status guess(InProcessStore store, StoredCode code) {
        return store.judgeGuess(code.requestId(), TAG, clock.instant()).result().status();
    }

    private void advance(Duration d) {
        clock.advance(d);
    }

    @Test
    void put_laterPutForTheSameAddress_withdrawsTheEarlier_evenAcrossTwoAddresses() {
        InProcessStore store = store(100);
        Recipient both = Recipient.builder().phone("+79991234567").email("ann@example.com").build();
        StoredCode a = put(store, both);
        StoredCode b = put(store, Recipient.ofEmail("ann@example.com"));

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, a));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, b));
        assertEquals(0, store.addressesHeld(), "the withdrawn code left the phone's entry too");
    }

    @Test
    void index_keepsOneCodePerWidget_forAnAddressSharedByWidgets() {
        InProcessStore store = store(100);
        Recipient ann = Recipient.ofPhone("+79991234567");
        StoredCode first = put(store, ann);
        StoredCode other = code(UUID.randomUUID(), ann);
        store.putCode(other, clock.instant());
        StoredCode third = code(UUID.randomUUID(), ann);
        store.putCode(third, clock.instant());
        StoredCode resend = put(store, ann);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, first));
        assertEquals(1, store.addressesHeld());
        assertTrue(store.withdrawCode(third.requestId()));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, other));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, resend));
        assertEquals(0, store.addressesHeld());
    }

    @Test
    void expiry_followsTheClock_andRetentionAnswersExpiredThenNotFound() {
        InProcessStore store = store(1_000);
        List<StoredCode> codes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            codes.add(put(store, Recipient.ofEmail("user" + i + "@example.com")));
        }

        advance(Duration.ofMinutes(2));
        assertEquals(100, store.codesHeld(), "kept one more minute to answer EXPIRED");
        assertEquals(VerifyResult.Status.EXPIRED, guess(store, codes.get(0)));

        advance(OtpStore.EXPIRED_RETENTION);
        assertEquals(0, store.codesHeld());
        assertEquals(0, store.addressesHeld(), "Caffeine's removal listener emptied the index");
        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, codes.get(1)));
    }

    @Test
    void resend_afterExpiry_leavesTheOldCodeExpiredRatherThanNotFound() {
        InProcessStore store = store(100);
        Recipient ann = Recipient.ofPhone("+79991234567");
        StoredCode old = put(store, ann);
        advance(Duration.ofMinutes(2));

        StoredCode fresh = put(store, ann);

        assertEquals(VerifyResult.Status.EXPIRED, guess(store, old));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, fresh));
    }

    @Test
    void withdraw_removesOnlyThatCode() {
        InProcessStore store = store(100);
        StoredCode a = put(store, Recipient.ofPhone("+79991234567"));
        StoredCode b = put(store, Recipient.ofPhone("+79991234568"));

        assertTrue(store.withdrawCode(a.requestId()));

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, a));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, b));
        assertEquals(false, store.withdrawCode(a.requestId()));
    }

    @Test
    void verify_takesTheCodeOutOfTheIndex() {
        InProcessStore store = store(100);
        StoredCode c = put(store, Recipient.builder().phone("+79991234567").email("ann@example.com").build());
        assertEquals(1, store.codesHeld());
        assertEquals(2, store.addressesHeld());

        assertEquals(VerifyResult.Status.VERIFIED, guess(store, c));

        assertEquals(0, store.codesHeld());
        assertEquals(0, store.addressesHeld());
    }

    @Test
    void wrongGuesses_areCounted_andTheTagComparedWhole() {
        InProcessStore store = store(100);
        StoredCode c = put(store, Recipient.ofPhone("+79991234567"));
        byte[] almost = TAG.clone();
        almost[StoredCode.TAG_BYTES - 1] ^= 1;

        assertEquals(VerifyResult.Status.INVALID_CODE, store.judgeGuess(c.requestId(), almost, clock.instant()).result().status());
        assertEquals(3, store.judgeGuess(c.requestId(), almost, clock.instant()).result().attemptsLeft());
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, c));
    }

    @Test
    void findCode_givesTheStoredCodeBack_withoutCountingAGuess() {
        InProcessStore store = store(100);
        StoredCode c = put(store, Recipient.ofPhone("+79991234567"));

        StoredCode found = store.findCode(c.requestId(), clock.instant()).orElseThrow();

        assertEquals(c.requestId(), found.requestId());
        assertEquals(WIDGET, found.widgetId());
        assertEquals(c.recipient(), found.recipient());
        assertEquals(c.expiresAt(), found.expiresAt());
        assertTrue(found.matches(TAG));
        assertEquals(5, found.maxAttempts());
        byte[] wrong = TAG.clone();
        wrong[0] ^= 1;
        assertEquals(4, store.judgeGuess(c.requestId(), wrong, clock.instant()).result().attemptsLeft(),
                "finding the code counted no guess");
    }

    @Test
    void bound_floodOfNewSends_isRefused_andEveryCodeAlreadyPendingStays() {
        InProcessStore store = store(1_000);
        List<StoredCode> early = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            early.add(put(store, Recipient.ofPhone(String.format(Locale.ROOT, "+1202555%04d", i))));
        }
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                put(store, Recipient.ofPhone(String.format(Locale.ROOT, "+7999%07d", i)));
            } catch (RateLimitException e) {
                assertEquals(RateLimitException.Scope.PENDING_CODES, e.scope());
                refused++;
            }
        }

        assertEquals(10_000 - 900, refused);
        assertEquals(1_000, store.codesHeld());
        for (StoredCode c : early) {
            assertEquals(VerifyResult.Status.VERIFIED, guess(store, c));
        }
    }

    @Test
    void bound_ofOne_refusesTheSecondCode_untilTheFirstIsGone() {
        InProcessStore store = store(1);
        StoredCode first = put(store, Recipient.ofPhone("+79991234567"));

        RateLimitException e = assertThrows(RateLimitException.class, () -> put(store, Recipient.ofPhone("+79991234568")));
        assertEquals(Duration.ofMinutes(2).plus(OtpStore.EXPIRED_RETENTION), e.retryAfter(),
                "room comes when the first code has left");
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, first));

        StoredCode second = put(store, Recipient.ofPhone("+79991234568"));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, second));
    }

    @Test
    void bound_makesRoomFromExpiredCodes_beforeRefusing() {
        InProcessStore store = store(10);
        for (int i = 0; i < 10; i++) {
            put(store, Recipient.ofEmail("user" + i + "@example.com"));
        }
        advance(Duration.ofMinutes(2).plus(OtpStore.EXPIRED_RETENTION));

        StoredCode c = put(store, Recipient.ofEmail("late@example.com"));

        assertEquals(VerifyResult.Status.VERIFIED, guess(store, c));
    }
}
