package dev.otpengine;

import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.store.OtpStore;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;


import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code OtpEngine.Builder.store}: set once, a shared store needs the secret, the in-process bounds do not apply. */
final class StoreBuilderTest {

    private final TestClock clock = TestClock.atFixedStart();

    /** A store that says it is shared, over the in-process one, and records whether it was closed. */
    private static final class SharedStore extends ForwardingStore {
        boolean closed;

        SharedStore(TestClock clock) {
            super(new InProcessStore(clock, 100, 100));
        }

        @Override
        public boolean isShared() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private OtpEngine.Builder builder(OtpStore store) {
        return OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).widget(widget().build()).store(store);
    }

    @Test
    void sharedStore_withoutASecret_failsBuild_namingSecret() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder(new SharedStore(clock)).build());

        assertEquals("a shared store needs the same secret on every engine: call secret(...) with at least 32 bytes, "
                + "or engines would reject each other's codes", e.getMessage());
    }

    @Test
    void sharedStore_withASecret_builds_andIsNotClosedWithTheEngine() {
        SharedStore store = new SharedStore(clock);
        OtpEngine engine = builder(store).secret(new byte[32]).build();
        engine.send(Fixtures.toPhone());

        engine.close();

        assertFalse(store.closed, "the engine closes only a store it made");
    }

    @Test
    void store_withTheInProcessBounds_failsBuild_namingThem() {
        assertEquals("maxPendingCodes bounds the in-process store, but a store was given with store(...): set its "
                        + "bounds on that store instead",
                assertThrows(IllegalStateException.class, () -> builder(new SharedStore(clock)).secret(new byte[32])
                        .maxPendingCodes(10).build()).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> builder(new SharedStore(clock)).secret(new byte[32])
                .maxRateLimitKeys(10).build()).getMessage().startsWith("maxRateLimitKeys bounds the in-process store"));
    }

    @Test
    void store_setTwiceOrNull_isRefusedAtOnce() {
        OtpEngine.Builder b = OtpEngine.builder().store(new SharedStore(clock));

        assertTrue(assertThrows(IllegalStateException.class, () -> b.store(new SharedStore(clock))).getMessage()
                .startsWith("store was already set"));
        assertEquals("store", assertThrows(NullPointerException.class, () -> OtpEngine.builder().store(null)).getMessage());
    }
}
