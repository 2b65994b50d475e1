package dev.otpengine.bench;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import dev.otpengine.testkit.TestClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.UUID;

/**
 * What a flood costs the engine once it is refused: a send through the public API from an IP whose limit is spent
 * ({@code RateLimits.defaults()}, the clock standing still), each to a new phone from the pool, caught as the
 * {@link RateLimitException} it is.
 */
@State(Scope.Benchmark)
public class RefusalBench extends JmhSettings {

    private static final UUID WIDGET = Traffic.WIDGET_IDS[0];
    private static final String IP = "203.0.113.9";

    private OtpEngine engine;

    /** Builds the engine and spends the IP's sends. */
    @Setup(Level.Trial)
    public void setUp() {
        engine = OtpEngine.builder().clock(TestClock.atFixedStart())
                .channel(new AcceptingChannel(false)).rateLimits(RateLimits.defaults())
                .widget(Widget.builder(WIDGET).name("Bench").build()).build();
        for (int i = 0; ; i++) {
            try {
                engine.send(SendRequest.builder(WIDGET).phone(Traffic.PHONES[i]).userIp(IP).build());
            } catch (RateLimitException spent) {
                return;
            }
        }
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /**
     * One refused send.
     *
     * @param cursor the thread's place in the pool
     * @return the refusal, for the blackhole
     */
    @Benchmark
    @Threads(1)
    public Object refusedSend_1thread(EngineBench.Cursor cursor) {
        try {
            return engine.send(SendRequest.builder(WIDGET).phone(Traffic.PHONES[cursor.take() & (Traffic.POOL - 1)])
                    .userIp(IP).build());
        } catch (RateLimitException refused) {
            return refused;
        }
    }
}
