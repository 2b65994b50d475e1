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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How many round trips to Redis a login costs, counted by the client as it completes each command: a send and a
 * verification take two each with no limits (the block list and the put; the code and the judgement), and each limit
 * adds one: a compare-and-swap from the bucket's last state this node saw (none, for a new bucket), which answers with
 * the state it found when it loses.
 */
final class RoundTripsTest {

    private static final UUID WIDGET = UUID.fromString("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");

    private final List<String> commands = new ArrayList<>();
    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private ClientResources resources;
    private RedisClient client;
    private RedisStore store;

    @BeforeEach
    void connect() {
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
        client = RedisClient.create(resources, RedisProcess.shared().uri());
        store = RedisStore.builder(client).keyPrefix("trips-" + UUID.randomUUID() + ":").build();
    }

    @AfterEach
    void disconnect() throws Exception {
        store.close();
        client.shutdown();
        resources.shutdown(0, 1, TimeUnit.SECONDS).get();
    }

    private List<String> during(Runnable call) {
        synchronized (commands) {
            commands.clear();
        }
        call.run();
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    private OtpEngine engine(RateLimits limits) {
        return OtpEngine.builder().store(store).secret("round trips' secret, 32 bytes or more".getBytes(StandardCharsets.UTF_8))
                .clock(clock).channel(sms).rateLimits(limits).widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @Test
    void login_withNoLimits_takesThreeRoundTripsToSend_andTwoToVerify() {
        try (OtpEngine engine = engine(RateLimits.unlimited())) {
            SendResult[] sent = new SendResult[1];
            // the block list, the code put; once the channel accepted, its provider's message id remembered (SET) for
            // the delivery report
            assertEquals(List.of("SISMEMBER", "EVALSHA", "SET"),
                    during(() -> sent[0] = engine.send(SendRequest.builder(WIDGET).phone("+12025550130").build())));
            String code = sms.lastCode("+12025550130").orElseThrow();
            assertEquals(List.of("HMGET", "EVALSHA"), during(() -> assertEquals(VerifyResult.Status.VERIFIED,
                    engine.verify(VerifyRequest.builder(sent[0].requestId(), code).build()).status())));
        }
    }

    @Test
    void login_withTheDefaultLimits_addsOneRoundTripPerBucket_andOneForTheMarkOfAVerifiedPhone() {
        try (OtpEngine engine = engine(RateLimits.defaults())) {
            SendResult[] sent = new SendResult[1];
            List<String> send = during(() -> sent[0] = engine.send(SendRequest.builder(WIDGET).phone("+12025550131")
                    .userIp("198.51.100.9").build()));
            // IP, widget, cooldown, recipient: one swap each (EVALSHA, no read first: a new bucket is swapped in from
            // none); then the toll-fraud guard: a GET for the phone's mark of a verification (none), a swap for its
            // country's room; the code; the provider's message id
            assertEquals(List.of("SISMEMBER", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "GET", "EVALSHA", "EVALSHA",
                    "SET"), send);
            String code = sms.lastCode("+12025550131").orElseThrow();
            List<String> verify = during(() -> assertEquals(VerifyResult.Status.VERIFIED, engine.verify(
                    VerifyRequest.builder(sent[0].requestId(), code).userIp("198.51.100.9").build()).status()));
            // the code; the verify IP; the guess budget taken; the judgement; the budget given back; and, the code
            // verified, the phone's mark set and its country's room credited
            assertEquals(List.of("HMGET", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"), verify);
        }
    }
}
