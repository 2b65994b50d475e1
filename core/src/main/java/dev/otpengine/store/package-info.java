/**
 * The seam where an engine keeps its state: {@link dev.otpengine.store.OtpStore}. Without one an engine keeps its
 * state in process (codes in Caffeine, counters in Bucket4j buckets held by Caffeine); a store shared by several
 * engines (Redis, in {@code otpengine-redis}) makes them behave as one engine.
 *
 * <p>Applications only pass a store to {@link dev.otpengine.OtpEngine.Builder#store}; the rest of this package is
 * for those who write a store, and every store passes the contract tests in core's test-jar
 * ({@code OtpStoreContractTest}).
 */
package dev.otpengine.store;
