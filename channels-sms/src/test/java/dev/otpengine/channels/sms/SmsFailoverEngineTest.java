package dev.otpengine.channels.sms;

import dev.otpengine.Delivery;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpEvent;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimits;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.channels.sms.ScriptedVendors.TWILIO;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.settings;
import static dev.otpengine.channels.sms.ScriptedVendors.vonageStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Gateways in order through the engine's public API, found by discovery from settings alone. */
final class SmsFailoverEngineTest {

    private static final RecordingHttpServer server = new RecordingHttpServer();
    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    private final TestClock clock = TestClock.atFixedStart();
    private final List<UUID> failedRequests = new CopyOnWriteArrayList<>();
    private OtpEngine engine;

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
        if (engine != null) {
            engine.close();
        }
    }

    private OtpEngine.Builder builder(Map<String, String> settings) {
        return OtpEngine.builder().discoverChannels(settings).clock(clock).rateLimits(RateLimits.unlimited())
                .widget(Widget.builder(WIDGET).name("Acme").build())
                .listener(new OtpListener() {
                    @Override
                    public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
                        failedRequests.add(event.requestId());
                    }
                });
    }

    private SendResult send() {
        return engine.send(WIDGET.toString(), "+79991234567", null);
    }

    @Test
    void send_primaryDown_theAcceptedDeliveryNamesTheGatewayThatTookIt() {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, VONAGE_OK);
        engine = builder(settings(server, "twilio,vonage")).build();

        Delivery d = send().deliveries().get(0);

        assertEquals(Delivery.Status.ACCEPTED, d.status());
        assertEquals("0A0000000123ABCD1", d.providerMessageId());
        assertEquals(Map.of("segments", "1", "encoding", "GSM7", "country", "RU", "gateway", "vonage"), d.attributes());
    }

    @Test
    void send_everyGatewayDown_isNoConnection503_andNoCodeStaysPending() {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, vonageStatus(9));
        engine = builder(settings(server, "twilio,vonage")).build();

        NoConnectionException e = assertThrows(NoConnectionException.class, this::send);

        assertEquals(503, e.httpStatus());
        Delivery d = e.deliveries().get(0);
        assertEquals(Delivery.Status.FAILED_RETRYABLE, d.status());
        assertEquals("every sms gateway failed: twilio answered HTTP 503; vonage answered status 9 (partner quota "
                + "violation)", d.error());
        assertEquals(1, failedRequests.size());
        assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(failedRequests.get(0), "123456").status());
    }

    @Test
    void send_everyCircuitOpen_isNoConnection503_withoutAnHttpCall() {
        server.answering(TWILIO, 503, "").answering(VONAGE, 500, "");
        Map<String, String> s = settings(server, "twilio,vonage");
        s.put("sms.failover.minimumCalls", "2");
        engine = builder(s).build();
        assertThrows(NoConnectionException.class, this::send);
        assertThrows(NoConnectionException.class, this::send);
        int calls = server.requests().size();

        NoConnectionException e = assertThrows(NoConnectionException.class, this::send);

        assertEquals(calls, server.requests().size());
        assertEquals("every sms gateway failed: twilio was not called: its circuit is open; vonage was not called: "
                + "its circuit is open", e.deliveries().get(0).error());
    }

    @Test
    void build_chainWhoseTimeoutsOutlastTheDeliveryTimeout_isRefusedNamingBothSettings() {
        Map<String, String> slow = settings(server, "twilio,vonage");
        slow.put("sms.timeout", "6s");
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> builder(slow).build());
        assertEquals("sms.timeout", e.key());
        assertEquals("setting sms.timeout (PT6S for each of the 2 gateways twilio,vonage, PT12S in all) does not fit "
                + "the engine's deliveryTimeout for channel sms (PT10S): set sms.timeout to at most PT5S, or raise the "
                + "engine's deliveryTimeout to at least PT12S", e.getMessage());

        ChannelConfigurationException shortDelivery = assertThrows(ChannelConfigurationException.class,
                () -> builder(settings(server, "twilio,vonage")).deliveryTimeout(Duration.ofSeconds(5)).build());
        assertEquals("setting sms.timeout (PT4S for each of the 2 gateways twilio,vonage, PT8S in all) does not fit "
                + "the engine's deliveryTimeout for channel sms (PT5S): set sms.timeout to at most PT2.5S, or raise the "
                + "engine's deliveryTimeout to at least PT8S", shortDelivery.getMessage());
    }

    @Test
    void build_chainThatFits_isAccepted_theDefaultsFitTheDefaultDeliveryTimeout() {
        builder(settings(server, "twilio,vonage")).build().close();
        Map<String, String> exact = settings(server, "twilio,vonage");
        exact.put("sms.timeout", "5s");
        builder(exact).build().close();
        Map<String, String> single = settings(server, "twilio");
        single.put("sms.timeout", "30s"); // one gateway: the engine's timeout just ends its call sooner, as before
        builder(single).build().close();
    }
}
