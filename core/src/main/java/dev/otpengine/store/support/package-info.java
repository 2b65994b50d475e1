/**
 * The store toolkit: the rules every {@link dev.otpengine.store.OtpStore} keeps, written once, for those who write a
 * store (as Bucket4j's core owns the algorithm and a backend supplies the primitives). Judging a guess
 * ({@link dev.otpengine.store.support.GuessRule}), the engine's time as a store keeps it and how long a store keeps
 * what it holds ({@link dev.otpengine.store.support.Retention}), a recipient as one string and its addresses as keys
 * ({@link dev.otpengine.store.support.RecipientCodec}), and a backend's failure turned into the store's 503
 * ({@link dev.otpengine.store.support.StoreFailures}).
 *
 * <p>A store that judges a guess in its backend in one round trip (a Lua script, one SQL statement) states the
 * decision there too; it then takes the outcome's wire numbering and the result it stands for from
 * {@link dev.otpengine.store.support.GuessRule}, and the contract tests ({@code OtpStoreContractTest}) hold every store
 * to the same outcomes.
 */
package dev.otpengine.store.support;
