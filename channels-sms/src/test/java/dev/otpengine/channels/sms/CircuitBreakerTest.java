package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.otpengine.channels.sms.ScriptedVendors.TWILIO;
import static dev.otpengine.channels.sms.ScriptedVendors.TWILIO_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.deliver;
import static dev.otpengine.channels.sms.ScriptedVendors.settings;
import static dev.otpengine.channels.sms.ScriptedVendors.twilioError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A circuit breaker per gateway, in virtual time: opens on the gateway's faults, skips, probes, closes. */
final class CircuitBreakerTest {

    private static final RecordingHttpServer server = new RecordingHttpServer();
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private final TestClock clock = TestClock.atFixedStart();
    private SmsChannel channel;

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    /** {@code gateways} with a circuit that judges the last {@code minimumCalls} calls at 50% and opens for 30 s. */
    private SmsChannel channel(String gateways, int minimumCalls) {
        Map<String, String> s = settings(server, gateways);
        s.put("sms.failover.minimumCalls", Integer.toString(minimumCalls));
        s.put("sms.failover.openFor", "30s");
        channel = ScriptedVendors.channel(s, clock);
        return channel;
    }

    private static OtpMessage message() {
        return HttpGatewaysTest.message("123456 is your Acme code");
    }

    private String sendVia() throws Exception {
        return deliver(channel, message()).attributes().get("gateway");
    }

    private Map<String, String> circuits(String twilio, String vonage) {
        return Map.of("circuit.twilio", twilio, "circuit.vonage", vonage);
    }

    @Test
    void health_beforeAnyCall_isOneClosedCircuitPerGateway() {
        channel("twilio,vonage", 10);

        assertEquals(circuits("CLOSED", "CLOSED"), channel.health());
    }

    @Test
    void circuit_afterMinimumCallsOfGatewayFaults_opens_andTheGatewayIsSkippedWithoutACall() throws Exception {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, VONAGE_OK);
        channel("twilio,vonage", 4);

        for (int i = 0; i < 3; i++) {
            assertEquals("vonage", sendVia());
        }
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health());
        assertEquals("vonage", sendVia());
        assertEquals(circuits("OPEN", "CLOSED"), channel.health());

        for (int i = 0; i < 5; i++) {
            assertEquals("vonage", sendVia());
        }
        assertEquals(4, server.requests(TWILIO).size());
        assertEquals(9, server.requests(VONAGE).size());
    }

    @Test
    void circuit_afterOpenFor_letsOneProbeThrough_andASuccessfulProbeClosesIt() throws Exception {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, VONAGE_OK);
        channel("twilio,vonage", 2);
        sendVia();
        sendVia();
        server.answering(TWILIO, 201, TWILIO_OK);

        clock.advance(OPEN_FOR.minusMillis(1));
        assertEquals("vonage", sendVia());
        assertEquals(2, server.requests(TWILIO).size());

        clock.advance(Duration.ofMillis(2));
        assertEquals("twilio", sendVia());
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health());
        assertEquals("twilio", sendVia());
        assertEquals(4, server.requests(TWILIO).size());
        assertEquals(3, server.requests(VONAGE).size());
    }

    @Test
    void circuit_probeThatFails_opensItAgainForAnotherOpenFor() throws Exception {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, VONAGE_OK);
        channel("twilio,vonage", 2);
        sendVia();
        sendVia();

        clock.advance(OPEN_FOR.plusMillis(1));
        assertEquals("vonage", sendVia());
        assertEquals(3, server.requests(TWILIO).size());
        assertEquals(circuits("OPEN", "CLOSED"), channel.health());

        assertEquals("vonage", sendVia());
        clock.advance(OPEN_FOR.minusMillis(1));
        assertEquals("vonage", sendVia());
        assertEquals(3, server.requests(TWILIO).size());
    }

    @Test
    void circuit_theMessagesFaults_neitherCountAsFailuresNorAsSuccesses() throws Exception {
        channel("twilio,vonage", 4);
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, VONAGE_OK);
        for (int i = 0; i < 3; i++) {
            sendVia();
        }
        server.answering(TWILIO, 400, twilioError(21211, 400));
        for (int i = 0; i < 5; i++) {
            assertEquals(false, assertThrows(DeliveryException.class, this::sendVia).isRetryable());
        }
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health()); // counted as failures, it would be open

        server.answering(TWILIO, 503, "");
        sendVia();

        assertEquals(circuits("OPEN", "CLOSED"), channel.health()); // counted as successes, 1 in 4 would have failed
        assertEquals(4, server.requests(VONAGE).size()); // none for the message's faults
    }

    @Test
    void circuit_refusalsOfOneDestination_failOverButNeitherOpenNorCount() throws Exception {
        channel("twilio,vonage", 4);
        // an attacker's numbers Twilio has no route to (21612) or may not send to (21408): each fails over to Vonage,
        // and none is held against Twilio's circuit, which everyone else's codes go through
        for (int code : new int[] {21612, 21408, 21606}) {
            server.answering(TWILIO, 400, twilioError(code, 400)).answering(VONAGE, 200, VONAGE_OK);
            for (int i = 0; i < 5; i++) {
                assertEquals("vonage", sendVia());
            }
        }
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health()); // counted as failures, it would be open
        assertEquals(15, server.requests(VONAGE).size());

        server.answering(TWILIO, 503, "");
        for (int i = 0; i < 4; i++) {
            sendVia();
        }
        assertEquals(circuits("OPEN", "CLOSED"), channel.health()); // the gateway's own faults still open it
    }

    @Test
    void circuit_belowTheFailureRate_staysClosed_atItOpens() throws Exception {
        Map<String, String> s = settings(server, "twilio,vonage");
        s.put("sms.failover.minimumCalls", "4");
        s.put("sms.failover.failureRate", "75");
        channel = ScriptedVendors.channel(s, clock);
        server.answering(VONAGE, 200, VONAGE_OK);

        for (int status : new int[] {503, 201, 503, 201}) {
            server.answering(TWILIO, status, status == 201 ? TWILIO_OK : "");
            sendVia();
        }
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health()); // 2 of the last 4: 50%

        server.answering(TWILIO, 503, "");
        sendVia();
        assertEquals(circuits("CLOSED", "CLOSED"), channel.health()); // 201, 503, 201, 503: 50%
        sendVia();
        assertEquals(circuits("OPEN", "CLOSED"), channel.health()); // 503, 201, 503, 503: 75%
    }

    @Test
    void everyCircuitOpen_failsAtOnce_retryably_withoutAnHttpCall() throws Exception {
        server.answering(TWILIO, 503, "").answering(VONAGE, 500, "");
        channel("twilio,vonage", 2);
        for (int i = 0; i < 2; i++) {
            assertThrows(DeliveryException.class, this::sendVia);
        }
        assertEquals(circuits("OPEN", "OPEN"), channel.health());
        int calls = server.requests().size();

        CompletableFuture<?> stage = channel.deliver(message()).toCompletableFuture();

        assertTrue(stage.isCompletedExceptionally(), "failed before deliver returned");
        DeliveryException e = assertThrows(DeliveryException.class, this::sendVia);
        assertEquals(true, e.isRetryable());
        assertEquals("every sms gateway failed: twilio was not called: its circuit is open; "
                + "vonage was not called: its circuit is open", e.getMessage());
        assertEquals(calls, server.requests().size());
    }

    @Test
    void singleGateway_hasACircuitToo() throws Exception {
        server.answering(TWILIO, 503, "");
        channel("twilio", 2);
        for (int i = 0; i < 2; i++) {
            assertEquals("twilio answered HTTP 503", assertThrows(DeliveryException.class, this::sendVia).getMessage());
        }

        DeliveryException e = assertThrows(DeliveryException.class, this::sendVia);

        assertEquals(Map.of("circuit.twilio", "OPEN"), channel.health());
        assertEquals(true, e.isRetryable());
        assertEquals("twilio was not called: its circuit is open", e.getMessage());
        assertEquals(2, server.requests().size());
    }
}
