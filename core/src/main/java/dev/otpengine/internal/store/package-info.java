/**
 * The in-process {@link dev.otpengine.store.OtpStore}: codes in Caffeine, rate-limit buckets in Bucket4j states held by
 * Caffeine, blocked widgets in a concurrent set. Not exported.
 */
package dev.otpengine.internal.store;
