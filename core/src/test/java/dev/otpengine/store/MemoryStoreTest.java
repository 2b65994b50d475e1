package dev.otpengine.store;

import dev.otpengine.RateLimitException;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The public builder of the in-process store. */
final class MemoryStoreTest {

    private final TestClock clock = TestClock.atFixedStart();

    private StoredCode code() {
        return new StoredCode(UUID.randomUUID(), UUID.randomUUID(), Recipient.ofPhone("+12025550162"),
                new byte[StoredCode.TAG_BYTES], clock.instant().plus(Duration.ofMinutes(2)), 5);
    }

    @Test
    void build_withABound_refusesTheCodeBeyondIt_andIsNotShared() {
        try (OtpStore store = MemoryStore.builder().clock(clock).maxPendingCodes(1).maxRateLimitKeys(10).build()) {
            store.putCode(code(), clock.instant());

            RateLimitException e = assertThrows(RateLimitException.class, () -> store.putCode(code(), clock.instant()));
            assertEquals(RateLimitException.Scope.PENDING_CODES, e.scope());
            assertFalse(store.isShared());
        }
    }

    @Test
    void builder_settingTwiceOrOutOfRange_isRefusedNamingTheSetting() {
        MemoryStore.Builder b = MemoryStore.builder().clock(clock).maxPendingCodes(5).maxRateLimitKeys(5);
        assertEquals("maxPendingCodes was already set to 5",
                assertThrows(IllegalStateException.class, () -> b.maxPendingCodes(6)).getMessage());
        assertEquals("maxRateLimitKeys was already set to 5",
                assertThrows(IllegalStateException.class, () -> b.maxRateLimitKeys(6)).getMessage());
        assertThrows(IllegalStateException.class, () -> b.clock(clock));
        assertEquals("maxPendingCodes must be at least 1: 0", assertThrows(IllegalArgumentException.class,
                () -> MemoryStore.builder().maxPendingCodes(0)).getMessage());
        assertEquals("clock", assertThrows(NullPointerException.class, () -> MemoryStore.builder().clock(null))
                .getMessage());
    }
}
