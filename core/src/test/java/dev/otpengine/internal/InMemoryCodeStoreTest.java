package dev.otpengine.internal;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class InMemoryCodeStoreTest {

    private static final UUID WIDGET = UUID.randomUUID();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final byte[] hash = new byte[32];

    private PendingCode code(Recipient recipient, long sequence) {
        return new PendingCode(UUID.randomUUID(), WIDGET, recipient, hash, sequence,
                now.get() + Duration.ofMinutes(2).toNanos(), 5);
    }

    private VerifyResult.Status guess(InMemoryCodeStore store, PendingCode code) {
        return store.attempt(code.requestId(), hash, now.get()).result().status();
    }

    @Test
    void put_olderSequenceArrivingLate_isWithdrawnInsteadOfTheNewer() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        Recipient ann = Recipient.ofPhone("+79991234567");
        PendingCode older = code(ann, 1);
        PendingCode newer = code(ann, 2);

        store.put(newer);
        store.put(older);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, older));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, newer));
    }

    @Test
    void put_sendsRacingOverTwoAddresses_leaveTheNewestPending() {
        // A goes to phone+email, B (newer) too; their index updates interleave in opposite orders.
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        Recipient both = Recipient.builder().phone("+79991234567").email("ann@example.com").build();
        PendingCode a = code(both, 1);
        PendingCode b = code(both, 2);

        store.put(b);
        store.put(a);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, a));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, b));
    }

    @Test
    void tables_floodOfDistinctRecipients_stayWithinTheBound() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 1_000);

        for (int i = 0; i < 100_000; i++) {
            store.put(code(Recipient.ofPhone("+1202" + String.format(java.util.Locale.ROOT, "%07d", i)), i));
        }

        assertTrue(store.codesHeld() <= 1_000, () -> "codes: " + store.codesHeld());
        assertTrue(store.addressesHeld() <= 1_000, () -> "addresses: " + store.addressesHeld());
    }

    @Test
    void tables_expireWithTheClock() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 1_000);
        for (int i = 0; i < 100; i++) {
            store.put(code(Recipient.ofEmail("user" + i + "@example.com"), i));
        }

        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertEquals(0, store.addressesHeld());
        assertEquals(100, store.codesHeld()); // kept one more minute to answer EXPIRED

        now.addAndGet(InMemoryCodeStore.EXPIRED_RETENTION.toNanos());
        assertEquals(0, store.codesHeld());
    }

    @Test
    void withdraw_removesOnlyThatCode() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        PendingCode a = code(Recipient.ofPhone("+79991234567"), 1);
        PendingCode b = code(Recipient.ofPhone("+79991234568"), 2);
        store.put(a);
        store.put(b);

        store.withdraw(a);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, a));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, b));
    }

    @Test
    void verify_takesTheCodeOutOfTheIndex() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        store.put(code(Recipient.builder().phone("+79991234567").email("ann@example.com").build(), 1));

        assertEquals(1, store.codesHeld());
        assertEquals(2, store.addressesHeld());
        store.attempt(store.peekAny(), hash, now.get());

        assertEquals(0, store.codesHeld());
        assertEquals(0, store.addressesHeld());
    }

    @Test
    void index_keepsOneCodePerWidget_forAnAddressSharedByWidgets() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        Recipient ann = Recipient.ofPhone("+79991234567");
        UUID otherWidget = UUID.randomUUID();
        PendingCode first = code(ann, 1);
        PendingCode other = new PendingCode(UUID.randomUUID(), otherWidget, ann, hash, 2,
                now.get() + Duration.ofMinutes(2).toNanos(), 5);
        PendingCode third = new PendingCode(UUID.randomUUID(), UUID.randomUUID(), ann, hash, 3,
                now.get() + Duration.ofMinutes(2).toNanos(), 5);
        PendingCode resend = code(ann, 4);

        store.put(first);
        store.put(other);
        store.put(third);
        store.put(resend);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, first));
        assertEquals(1, store.addressesHeld());
        store.withdraw(third);
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, other));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, resend));
        assertEquals(0, store.addressesHeld());
    }

    @Test
    void resend_afterExpiry_leavesTheOldCodeExpiredRatherThanNotFound() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        Recipient ann = Recipient.ofPhone("+79991234567");
        PendingCode old = code(ann, 1);
        store.put(old);
        now.addAndGet(Duration.ofMinutes(2).toNanos());

        store.put(code(ann, 2));

        assertEquals(VerifyResult.Status.EXPIRED, guess(store, old));
    }

    @Test
    void sweep_runsByItself_onceTheIntervalHasPassed() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 1_000);
        for (int i = 0; i < 10; i++) {
            store.put(code(Recipient.ofEmail("user" + i + "@example.com"), i));
        }
        now.addAndGet(Duration.ofMinutes(2).plus(InMemoryCodeStore.EXPIRED_RETENTION).toNanos());

        store.attempt(UUID.randomUUID(), hash, now.get()); // any call past the interval sweeps

        assertEquals(0, store.size());
    }

    @Test
    void wrongGuesses_areCounted_andTheTagComparedWhole() {
        InMemoryCodeStore store = new InMemoryCodeStore(now::get, 100);
        PendingCode c = code(Recipient.ofPhone("+79991234567"), 1);
        store.put(c);
        byte[] almost = hash.clone();
        almost[PendingCode.TAG_BYTES - 1] ^= 1;

        assertEquals(VerifyResult.Status.INVALID_CODE, store.attempt(c.requestId(), almost, now.get()).result().status());
        assertEquals(4, store.attempt(c.requestId(), almost, now.get()).result().attemptsLeft() + 1);
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, c));
    }
}
