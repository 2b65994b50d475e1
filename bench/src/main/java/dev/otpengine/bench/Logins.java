package dev.otpengine.bench;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.store.OtpStore;
import dev.otpengine.testkit.TestClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An engine as the benchmarks drive it, and one full login through its public API: {@code send} to a phone from an
 * IP, read the code the channel got, {@code verify} it. Phones and IPs come from a pool of 2^20 each; sends are spread
 * over 1,000 widgets.
 *
 * <p>With the default limits every send and verification passes all of {@link RateLimits#defaults()}: the engine's
 * virtual clock moves {@link #STEP} per login, so that each widget sees one send per 4 s (900 an hour, under its
 * 1,000) and each pooled phone and IP comes back after 70 minutes; none is refused, so the figure is the cost of
 * counting, not of refusing. Unlimited, the clock stands still.
 */
final class Logins implements AutoCloseable {

    /** Virtual time per login under the default limits. */
    static final Duration STEP = Duration.ofMillis(4);
    /** The engines' one secret, as every node of a shared store needs. */
    private static final byte[] SECRET = "the benchmarks' engines share this secret".getBytes(StandardCharsets.UTF_8);

    private final OtpEngine[] engines;
    private final AcceptingChannel channel;
    private final TestClock clock = TestClock.atFixedStart();
    private final Duration step;

    /**
     * One engine keeping its state in process.
     *
     * @param defaultLimits {@link RateLimits#defaults()} if true, else {@link RateLimits#unlimited()}
     * @param pending codes to send and leave pending first, to phones outside the pool
     */
    Logins(boolean defaultLimits, int pending) {
        this(defaultLimits, pending, new OtpStore[] {null});
    }

    /**
     * One engine per store, with one secret: the {@code i}-th login sends through one engine and verifies through the
     * next, as two instances behind a load balancer would.
     *
     * @param defaultLimits {@link RateLimits#defaults()} if true, else {@link RateLimits#unlimited()}
     * @param pending codes to send and leave pending first, to phones outside the pool
     * @param stores the engines' stores; {@code null} for one in process
     */
    Logins(boolean defaultLimits, int pending, OtpStore... stores) {
        this(new AcceptingChannel(), defaultLimits, pending, stores);
    }

    /**
     * One engine per store, as above, with the given channel.
     *
     * @param channel the channel every engine sends through
     * @param defaultLimits {@link RateLimits#defaults()} if true, else {@link RateLimits#unlimited()}
     * @param pending codes to send and leave pending first, to phones outside the pool
     * @param stores the engines' stores; {@code null} for one in process
     */
    Logins(AcceptingChannel channel, boolean defaultLimits, int pending, OtpStore... stores) {
        this.channel = channel;
        step = defaultLimits ? STEP : Duration.ZERO;
        engines = new OtpEngine[stores.length];
        for (int e = 0; e < stores.length; e++) {
            OtpEngine.Builder b = OtpEngine.builder().clock(clock).channel(channel)
                    .rateLimits(defaultLimits ? RateLimits.defaults() : RateLimits.unlimited());
            if (stores[e] != null) {
                b.store(stores[e]).secret(SECRET);
            }
            for (int w = 0; w < Traffic.WIDGETS; w++) {
                b.widget(Widget.builder(Traffic.WIDGET_IDS[w]).name("Bench " + w).build());
            }
            engines[e] = b.build();
        }
        OtpEngine engine = engines[0];
        for (int i = 0; i < pending; i++) {
            SendResult parked = engine.send(SendRequest.builder(Traffic.WIDGET_IDS[i % Traffic.WIDGETS])
                    .phone("+7998" + (1_000_000 + i)).build());
            channel.take(parked.requestId());
        }
    }

    /** One login with the pool's {@code i}-th phone and IP; throws if it does not verify. */
    VerifyResult login(int i) {
        int at = i & (Traffic.POOL - 1);
        if (!step.isZero()) {
            clock.advance(step);
        }
        String ip = Traffic.IPS[at];
        OtpEngine sender = engines[i % engines.length];
        OtpEngine verifier = engines[(i + 1) % engines.length];
        SendResult sent = sender.send(SendRequest.builder(Traffic.WIDGET_IDS[at % Traffic.WIDGETS])
                .phone(Traffic.PHONES[at]).userIp(ip).build());
        VerifyResult result = verifier.verify(VerifyRequest.builder(sent.requestId(), channel.take(sent.requestId()))
                .userIp(ip).build());
        if (!result.isVerified()) {
            throw new IllegalStateException("a login failed: " + result);
        }
        return result;
    }

    @Override
    public void close() {
        for (OtpEngine engine : engines) {
            engine.close();
        }
    }
}
