package dev.otpengine.internal;

import dev.otpengine.Limit;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimitException.Scope;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixed, set-associative table: bounded, busy counters kept under a flood, free slots reused. */
final class LimitTableTest {

    private final AtomicLong now = new AtomicLong(Duration.ofDays(20_000).toNanos());
    private final BucketConfiguration tenPerMinute = Budget.of(List.of(Limit.of(10, Duration.ofMinutes(1))));

    private LimitTable<String> table(long maxKeys) {
        return new LimitTable<>(Scope.IP, new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return now.get();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        }, maxKeys);
    }

    @Test
    void busyCounter_survivesAFloodOfOnceSeenKeys() {
        LimitTable<String> table = table(LimitTable.WAYS); // one set: every key competes for the same eight slots
        for (int i = 0; i < 7; i++) {
            table.acquire("busy", tenPerMinute);
        }
        for (int i = 0; i < 10_000; i++) {
            table.acquire("flood-" + i, tenPerMinute);
        }

        for (int i = 0; i < 3; i++) {
            table.acquire("busy", tenPerMinute);
        }
        RateLimitException e = assertThrows(RateLimitException.class, () -> table.acquire("busy", tenPerMinute));
        assertEquals(Scope.IP, e.scope());
    }

    @Test
    void size_neverExceedsTheBound_evenWhenNotAMultipleOfTheWays() {
        LimitTable<String> table = table(1_001);
        for (int i = 0; i < 100_000; i++) {
            table.acquire("key-" + i, tenPerMinute);
        }

        assertTrue(table.size() <= 1_001, () -> "size " + table.size());
        assertTrue(table.size() >= 1_001 - LimitTable.WAYS, () -> "size " + table.size());
    }

    @Test
    void counters_fullAgain_freeTheirSlots() {
        LimitTable<String> table = table(64);
        table.acquire("a", tenPerMinute);
        table.acquire("b", tenPerMinute);
        table.release("b", tenPerMinute); // given back: full again, so gone at once
        assertEquals(1, table.size());

        now.addAndGet(Duration.ofMinutes(1).toNanos()); // a whole window later "a" is full again too
        assertEquals(0, table.size());
    }

    @Test
    void tinyTable_withFewerKeysThanWays_works() {
        LimitTable<String> table = table(3);
        for (int i = 0; i < 10; i++) {
            table.acquire("k" + i, tenPerMinute);
        }
        assertEquals(3, table.size());
    }
}
