package dev.otpengine.bench;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

import java.time.Duration;

/**
 * One full login through the public API: {@code send} to a phone from an IP, read the code the channel got,
 * {@code verify} it. Phones and IPs come from a pool of 2^20 each and sends are spread over 1,000 widgets.
 *
 * <p>With {@code limits=default} every send and verification passes all of {@link RateLimits#defaults()}, and the
 * engine's virtual clock moves 4 ms per login, so that each widget sees one send per 4 s (900 an hour, under its
 * 1,000) and none is refused: the benchmark measures the limits counting, not refusing. With
 * {@code limits=unlimited} the clock stands still and no limit is checked.
 */
@State(Scope.Benchmark)
public class EngineBench {

    /** Virtual time per login under the default limits. */
    static final Duration STEP = Duration.ofMillis(4);

    /** Which {@link RateLimits}: {@code default} or {@code unlimited}. */
    @Param({"default", "unlimited"})
    public String limits;

    /** Codes left pending (sent, never verified) before the measurement: 0 or 10,000. */
    @Param({"0"})
    public int pending;

    private OtpEngine engine;
    private AcceptingChannel channel;
    private VirtualClock clock;

    /** Where each benchmark thread is in the pool; threads start half a pool apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        /** @param thread which thread this is */
        @Setup
        public void start(ThreadParams thread) {
            next = thread.getThreadIndex() * (Traffic.POOL / thread.getThreadCount());
        }
    }

    /** Builds the engine and parks the pending codes. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean defaults = "default".equals(limits);
        clock = new VirtualClock(defaults ? STEP.toNanos() : 0);
        channel = new AcceptingChannel();
        OtpEngine.Builder b = OtpEngine.builder().clock(clock).channel(channel)
                .rateLimits(defaults ? RateLimits.defaults() : RateLimits.unlimited());
        for (int w = 0; w < Traffic.WIDGETS; w++) {
            b.widget(Widget.builder(Traffic.WIDGET_IDS[w]).name("Bench " + w).build());
        }
        engine = b.build();
        for (int i = 0; i < pending; i++) {
            // Phones outside the pool, so the measured logins never withdraw them.
            SendResult parked = engine.send(SendRequest.builder(Traffic.WIDGET_IDS[i % Traffic.WIDGETS])
                    .phone("+7998" + (1_000_000 + i)).build());
            channel.take(parked.requestId());
        }
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    VerifyResult login(Cursor cursor) {
        int i = cursor.next++ & (Traffic.POOL - 1);
        clock.tick();
        String ip = Traffic.IPS[i];
        SendResult sent = engine.send(SendRequest.builder(Traffic.WIDGET_IDS[i % Traffic.WIDGETS])
                .phone(Traffic.PHONES[i]).userIp(ip).build());
        VerifyResult result = engine.verify(VerifyRequest.builder(sent.requestId(), channel.take(sent.requestId()))
                .userIp(ip).build());
        if (!result.isVerified()) {
            throw new IllegalStateException("a login failed: " + result);
        }
        return result;
    }

    /**
     * One login, one thread.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(1)
    public VerifyResult otpengine_1thread(Cursor cursor) {
        return login(cursor);
    }

    /**
     * One login, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the result, for the blackhole
     */
    @Benchmark
    @Threads(2)
    public VerifyResult otpengine_2threads(Cursor cursor) {
        return login(cursor);
    }
}
