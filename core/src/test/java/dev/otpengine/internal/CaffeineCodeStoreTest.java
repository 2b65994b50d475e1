package dev.otpengine.internal;

import dev.otpengine.VerifyResult;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class CaffeineCodeStoreTest {

    private static final UUID WIDGET = UUID.randomUUID();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final byte[] hash = new byte[32];

    private PendingCode code(Recipient recipient, long sequence) {
        return new PendingCode(UUID.randomUUID(), WIDGET, recipient, hash, sequence,
                now.get() + Duration.ofMinutes(2).toNanos(), 5);
    }

    private VerifyResult.Status guess(CaffeineCodeStore store, PendingCode code) {
        return store.attempt(code.requestId, hash, now.get()).result().status();
    }

    @Test
    void put_olderSequenceArrivingLate_isWithdrawnInsteadOfTheNewer() {
        CaffeineCodeStore store = new CaffeineCodeStore(now::get, 100);
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
        CaffeineCodeStore store = new CaffeineCodeStore(now::get, 100);
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
        CaffeineCodeStore store = new CaffeineCodeStore(now::get, 1_000);

        for (int i = 0; i < 100_000; i++) {
            store.put(code(Recipient.ofPhone("+1202" + String.format(java.util.Locale.ROOT, "%07d", i)), i));
        }

        assertTrue(store.codesHeld() <= 1_000, () -> "codes: " + store.codesHeld());
        assertTrue(store.addressesHeld() <= 1_000, () -> "addresses: " + store.addressesHeld());
    }

    @Test
    void tables_expireWithTheClock() {
        CaffeineCodeStore store = new CaffeineCodeStore(now::get, 1_000);
        for (int i = 0; i < 100; i++) {
            store.put(code(Recipient.ofEmail("user" + i + "@example.com"), i));
        }

        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertEquals(0, store.addressesHeld());
        assertEquals(100, store.codesHeld()); // kept one more minute to answer EXPIRED

        now.addAndGet(CaffeineCodeStore.EXPIRED_RETENTION.toNanos());
        assertEquals(0, store.codesHeld());
    }

    @Test
    void withdraw_removesOnlyThatCode() {
        CaffeineCodeStore store = new CaffeineCodeStore(now::get, 100);
        PendingCode a = code(Recipient.ofPhone("+79991234567"), 1);
        PendingCode b = code(Recipient.ofPhone("+79991234568"), 2);
        store.put(a);
        store.put(b);

        store.withdraw(a);

        assertEquals(VerifyResult.Status.NOT_FOUND, guess(store, a));
        assertEquals(VerifyResult.Status.VERIFIED, guess(store, b));
    }
}
