package dev.otpengine.internal.store;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;

import java.time.Clock;

/** The in-process store keeps the store contract, for two engines sharing one in a JVM too. */
final class InProcessStoreContractTest extends OtpStoreContractTest {

    @Override
    protected OtpStore createStore(Clock clock) {
        return new InProcessStore(clock, 10_000, 10_000);
    }
}
