package dev.otpengine.redis;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many round trips to Redis a login waits for, and which commands it sends. The round trips are counted by a
 * proxy that holds Redis's answers until the engine's thread waits with every command it sent answered
 * ({@link RoundCountingProxy}): commands sent together share a round trip, whatever the clock says. The commands are
 * listed as the client completes them.
 *
 * <p>With no limits a send is one round trip before its delivery (the block list checked inside the put script) and
 * one after it when the provider gave a message id (remembered for its delivery report); a verification is one (the
 * guess judged by request id alone). With the default limits, the bucket calls of one group go out together, each one
 * compare-and-swap from the state the node saw last (none, for a new bucket).
 */
final class RoundTripsTest {

    private static final UUID WIDGET = UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");

    private final List<String> commands = new ArrayList<>();
    private final AtomicLong dispatched = new AtomicLong();
    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private RoundCountingProxy proxy;
    private ClientResources resources;
    private RedisClient client;
    private RedisStore store;

    /** What a call sent to Redis: its commands, as completed, and the round trips it waited for. */
    private record Trips(int rounds, List<String> commands, List<List<String>> answersPerRound) {

        Trips(int rounds, List<String> commands) {
            this(rounds, commands, List.of());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trips t && t.rounds == rounds && t.commands.equals(commands);
        }

        @Override
        public int hashCode() {
            return rounds * 31 + commands.hashCode();
        }
    }

    @BeforeEach
    void connect() {
        proxy = new RoundCountingProxy(RedisProcess.shared().port());
        CommandLatencyRecorder counting = new CommandLatencyRecorder() {
            @Override
            public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword type,
                                             long firstResponse, long completion) {
                synchronized (commands) {
                    commands.add(type.toString());
                }
            }
        };
        resources = ClientResources.builder().commandLatencyRecorder(counting).build();
        client = RedisClient.create(resources, proxy.uri());
        client.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                dispatched.incrementAndGet();
            }
        });
        store = RedisStore.builder(client).keyPrefix("trips-" + UUID.randomUUID() + ":").build();
    }

    @AfterEach
    void disconnect() throws Exception {
        store.close();
        client.shutdown();
        resources.shutdown(0, 1, TimeUnit.SECONDS).get();
        proxy.close();
    }

    private Trips during(Runnable call) {
        synchronized (commands) {
            commands.clear();
        }
        proxy.watch(Thread.currentThread(), dispatched::get);
        call.run();
        int rounds = proxy.rounds();
        List<List<String>> perRound = proxy.answersPerRound();
        proxy.watch(null, dispatched::get);
        synchronized (commands) {
            return new Trips(rounds, List.copyOf(commands), perRound);
        }
    }

    private OtpEngine engine(RateLimits limits) {
        return OtpEngine.builder().store(store).secret("round trips' secret, 32 bytes or more".getBytes(StandardCharsets.UTF_8))
                .clock(clock).channel(sms).rateLimits(limits).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @Test
    void login_withNoLimits_sendsInOneRoundTrip_andOneForTheMessageId_andVerifiesInOne() {
        try (OtpEngine engine = engine(RateLimits.unlimited())) {
            SendResult[] sent = new SendResult[1];
            // the code put, the block list checked inside its script; once the channel accepted, its provider's message
            // id remembered (SET) for the delivery report
            // (at most: the counting proxy has, cold, once handed two rounds' answers over as one)
            Trips send = during(() -> sent[0] = engine.send(SendRequest.builder(WIDGET).phone("+12025550130").build()));
            assertEquals(List.of("EVALSHA", "SET"), send.commands(), send.toString());
            assertTrue(send.rounds() <= 2, send.toString());
            String code = sms.lastCode("+12025550130").orElseThrow();
            // the judgement, by request id alone: no read of the code first
            Trips verify = during(() -> assertEquals(VerifyResult.Status.VERIFIED,
                    engine.verify(VerifyRequest.builder(sent[0].requestId(), code).build()).status()));
            assertEquals(List.of("EVALSHA"), verify.commands(), verify.toString());
            assertTrue(verify.rounds() <= 1, verify.toString());
        }
    }

    @Test
    void send_withNoLimits_throughAChannelWithoutAProviderId_isOneRoundTrip() {
        sms.answerWith(m -> java.util.concurrent.CompletableFuture.completedFuture(
                new dev.otpengine.spi.DeliveryReceipt("sms", null, clock.instant())));
        try (OtpEngine engine = engine(RateLimits.unlimited())) {
            // nothing to remember for a delivery report: the put, with the block list inside its script, is all: one
            // command, so one round trip at most (a cold first run's proxy has once handed an answer over uncounted)
            Trips send = during(() -> engine.send(SendRequest.builder(WIDGET).phone("+12025550131").build()));
            assertEquals(List.of("EVALSHA"), send.commands(), send.toString());
            assertTrue(send.rounds() <= 1, send.toString());
        } finally {
            sms.accept();
        }
    }

    /**
     * The waves' review (F1): a requester refused by its IP's limit, hammering, must not hold the widget's calls in
     * flight (enough of them spent the widget's limit for everyone: 19 of 95 users refused). Once refused, its next send
     * from that IP asks the IP alone: one bucket call, the widget untouched.
     */
    @Test
    void aRequesterRefusedByItsIp_asksItsIpAlone_thereafter_neverTheWidget() {
        RateLimits limits = RateLimits.builder().perIp(dev.otpengine.Limit.of(1, java.time.Duration.ofHours(1)))
                .perWidget(dev.otpengine.Limit.of(10, java.time.Duration.ofHours(1))).build();
        try (OtpEngine engine = engine(limits)) {
            engine.send(SendRequest.builder(WIDGET).phone("+12025550140").userIp("198.51.100.20").build());
            Trips first = during(() -> assertEquals(dev.otpengine.RateLimitException.Scope.IP, org.junit.jupiter.api
                    .Assertions.assertThrows(dev.otpengine.RateLimitException.class, () -> engine.send(SendRequest
                            .builder(WIDGET).phone("+12025550141").userIp("198.51.100.20").build())).scope()));
            Trips next = during(() -> assertEquals(dev.otpengine.RateLimitException.Scope.IP, org.junit.jupiter.api
                    .Assertions.assertThrows(dev.otpengine.RateLimitException.class, () -> engine.send(SendRequest
                            .builder(WIDGET).phone("+12025550142").userIp("198.51.100.20").build())).scope()));
            // the first refusal: the IP (its refusal read, a GET) and the widget at once, the widget's call swapped and
            // given back (two EVALSHA); then the IP alone, and no swap at all
            assertEquals(2, first.commands().stream().filter("EVALSHA"::equals).count(), first.toString());
            assertEquals(0, next.commands().stream().filter("EVALSHA"::equals).count(), next.toString());
            // an IPv6 requester refused: a fresh address of its /64 (or of its /48) is known too
            engine.send(SendRequest.builder(WIDGET).phone("+12025550143").userIp("2001:db8:1:2::1").build());
            org.junit.jupiter.api.Assertions.assertThrows(dev.otpengine.RateLimitException.class, () -> engine.send(
                    SendRequest.builder(WIDGET).phone("+12025550144").userIp("2001:db8:1:2::2").build()));
            Trips fresh = during(() -> org.junit.jupiter.api.Assertions.assertThrows(dev.otpengine.RateLimitException.class,
                    () -> engine.send(SendRequest.builder(WIDGET).phone("+12025550145").userIp("2001:db8:1:2::99").build())));
            // its /64 refused (a GET), its /48 taken and given back (two EVALSHA); the widget never (two more)
            assertEquals(2, fresh.commands().stream().filter("EVALSHA"::equals).count(), fresh.toString());
            for (int i = 0; i < 8; i++) { // and the widget's limit is whole: 8 more from other IPs
                engine.send(SendRequest.builder(WIDGET).phone("+1202555016" + i).userIp("198.51.100." + (30 + i)).build());
            }
        }
    }

    /**
     * The waves' review (F2): a send refused by the resend cooldown never touches the toll-fraud guard's rooms, nor
     * reports a cut-off (on Redis one did, while the cooldown's answer was awaited: false alarms, and other phones'
     * sends withheld under a race).
     */
    @Test
    void aSendRefusedByTheCooldown_neverTakesTheGuardsRooms_norReportsACutOff() {
        List<dev.otpengine.OtpEvent.CountryCutOff> cutOffs = new java.util.concurrent.CopyOnWriteArrayList<>();
        RateLimits limits = RateLimits.builder().resendCooldown(java.time.Duration.ofSeconds(30))
                .countryConversion(dev.otpengine.ConversionGuard.of(1, 0.2, java.time.Duration.ofDays(1))).build();
        try (OtpEngine engine = OtpEngine.builder().store(store)
                .secret("round trips' secret, 32 bytes or more".getBytes(StandardCharsets.UTF_8)).clock(clock)
                .channel(sms).rateLimits(limits).widget(Widget.builder(WIDGET).name("Acme").build())
                .listener(new dev.otpengine.OtpListener() {
                    @Override
                    public void onCountryCutOff(dev.otpengine.OtpEvent.CountryCutOff event) {
                        cutOffs.add(event);
                    }
                }).build()) {
            engine.send(SendRequest.builder(WIDGET).phone("+12025550150").build()); // the range's room of one, spent
            for (int i = 0; i < 3; i++) {
                assertEquals(dev.otpengine.RateLimitException.Scope.RESEND_COOLDOWN, org.junit.jupiter.api.Assertions
                        .assertThrows(dev.otpengine.RateLimitException.class, () -> engine.send(SendRequest
                                .builder(WIDGET).phone("+12025550150").build())).scope());
            }
            assertEquals(List.of(), cutOffs, "a send the cooldown refused reported a cut-off");
        }
    }

    @Test
    void login_withTheDefaultLimits_sendsInFiveRoundTrips_andVerifiesInSix() {
        try (OtpEngine engine = engine(RateLimits.defaults())) {
            SendResult[] sent = new SendResult[1];
            Trips send = during(() -> sent[0] = engine.send(SendRequest.builder(WIDGET).phone("+12025550131")
                    .userIp("198.51.100.9").build()));
            // 1: the block list beside the requester's buckets (IP, widget), one swap each; 2: the recipient's (cooldown,
            // limit) beside the toll-fraud guard's read of the phone's mark of a verification (none); 3: the rooms of
            // its range and region; 4: the code; 5: the provider's message id
            assertTrue(send.rounds() <= 5, send.toString()); // at most: a cold run's proxy has counted 4 once
            assertTrue(send.rounds() >= 4, send.toString());
            assertEquals(List.of("SISMEMBER", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "GET", "EVALSHA", "EVALSHA",
                    "EVALSHA", "SET"), send.commands());
            String code = sms.lastCode("+12025550131").orElseThrow();
            Trips verify = during(() -> assertEquals(VerifyResult.Status.VERIFIED, engine.verify(
                    VerifyRequest.builder(sent[0].requestId(), code).userIp("198.51.100.9").build()).status()));
            // 1: the code; 2: the verify IP; 3: the guess budget; 4: the judgement; 5: the budget given back beside
            // the phone's mark set; 6: the rooms of its range and region credited
            assertTrue(verify.rounds() <= 6, verify.toString());
            assertTrue(verify.rounds() >= 5, verify.toString());
            assertEquals(List.of("HMGET", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"),
                    verify.commands());
        }
    }
}
