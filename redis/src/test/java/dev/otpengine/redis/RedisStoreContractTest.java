package dev.otpengine.redis;

import dev.otpengine.store.OtpStore;
import dev.otpengine.store.OtpStoreContractTest;

import java.time.Clock;
import java.util.UUID;

/**
 * The store contract on a real Redis, with the two engines of each test as two nodes: each on a {@link RedisStore} of
 * its own (its own client and connection) on one Redis and one key prefix. Each test has a new prefix, so it starts
 * from an empty state.
 */
final class RedisStoreContractTest extends OtpStoreContractTest {

    private String prefix;

    @Override
    protected OtpStore createStore(Clock clock) {
        prefix = "contract-" + UUID.randomUUID() + ":";
        return node();
    }

    @Override
    protected OtpStore openSecondNode(OtpStore first) {
        return node();
    }

    private RedisStore node() {
        return RedisStore.builder(RedisProcess.shared().uri()).keyPrefix(prefix).build();
    }
}
