package dev.otpengine.store;

import dev.otpengine.OtpEngine;
import dev.otpengine.internal.store.InProcessStore;

import java.time.Clock;
import java.util.Objects;

/**
 * Builds the store an engine keeps in its own process when given none: codes in Caffeine on the engine's clock, each
 * rate-limit scope's Bucket4j buckets in a Caffeine cache of its own, blocked widgets in a set. Build one yourself to
 * share it between engines of one process, or to wrap it (a decorator that counts, say):
 * <pre>{@code
 * OtpStore store = MemoryStore.builder().clock(clock).maxPendingCodes(100_000).build();
 * OtpEngine a = OtpEngine.builder().store(store).secret(secret).clock(clock)...build();
 * OtpEngine b = OtpEngine.builder().store(store).secret(secret).clock(clock)...build();
 * }</pre>
 * Engines sharing one need the same secret and the same clock. The store is {@linkplain OtpStore#isShared() not
 * shared} beyond its process; an engine never closes a store it was given.
 *
 * <p><b>Thread-safety:</b> the builder is not thread-safe; the store it builds is.
 */
public final class MemoryStore {

    private MemoryStore() {
    }

    /**
     * A builder with the engine's defaults: the system clock (UTC),
     * {@value OtpEngine#DEFAULT_MAX_PENDING_CODES} pending codes, {@value OtpEngine#DEFAULT_MAX_RATE_LIMIT_KEYS}
     * buckets per rate-limit scope.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an in-process store. Each setting may be set once.
     *
     * <p><b>Thread-safety:</b> not thread-safe.
     */
    public static final class Builder {

        private Clock clock;
        private long maxPendingCodes = -1;
        private long maxRateLimitKeys = -1;

        private Builder() {
        }

        /**
         * The clock codes expire by: the clock of the engines that will use the store.
         *
         * @param clock the engines' clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         * @throws IllegalStateException if the clock was already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set to " + this.clock);
            }
            this.clock = clock;
            return this;
        }

        /**
         * The most codes held at once, expired ones within their retention included; a send beyond is refused with
         * {@code RateLimitException} of scope {@code PENDING_CODES}.
         *
         * @param maxPendingCodes at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         * @throws IllegalStateException if already set
         */
        public Builder maxPendingCodes(long maxPendingCodes) {
            if (maxPendingCodes < 1) {
                throw new IllegalArgumentException("maxPendingCodes must be at least 1: " + maxPendingCodes);
            }
            if (this.maxPendingCodes != -1) {
                throw new IllegalStateException("maxPendingCodes was already set to " + this.maxPendingCodes);
            }
            this.maxPendingCodes = maxPendingCodes;
            return this;
        }

        /**
         * The most rate-limit buckets each scope holds (per IP, per recipient, ...).
         *
         * @param maxRateLimitKeys at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         * @throws IllegalStateException if already set
         */
        public Builder maxRateLimitKeys(long maxRateLimitKeys) {
            if (maxRateLimitKeys < 1) {
                throw new IllegalArgumentException("maxRateLimitKeys must be at least 1: " + maxRateLimitKeys);
            }
            if (this.maxRateLimitKeys != -1) {
                throw new IllegalStateException("maxRateLimitKeys was already set to " + this.maxRateLimitKeys);
            }
            this.maxRateLimitKeys = maxRateLimitKeys;
            return this;
        }

        /**
         * Builds a new, empty store; the builder is unchanged and may build again.
         *
         * @return the store; {@link OtpStore#close()} it after the engines that use it
         */
        public OtpStore build() {
            return new InProcessStore(clock != null ? clock : Clock.systemUTC(),
                    maxPendingCodes != -1 ? maxPendingCodes : OtpEngine.DEFAULT_MAX_PENDING_CODES,
                    maxRateLimitKeys != -1 ? maxRateLimitKeys : OtpEngine.DEFAULT_MAX_RATE_LIMIT_KEYS);
        }
    }
}
