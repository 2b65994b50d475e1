package dev.otpengine;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.toPhoneAndEmail;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery reports through one engine (the store's side is in {@code OtpStoreContractTest}), and the channel hooks
 * that came with failover: a channel's own timeouts checked at {@code build()}, its health, the engine's clock in its
 * settings.
 */
final class DeliveryReportTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final List<OtpEvent.DeliveryReported> reported = new CopyOnWriteArrayList<>();
    private final OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
            .listener(new OtpListener() {
                @Override
                public void onDeliveryReported(OtpEvent.DeliveryReported event) {
                    reported.add(event);
                }
            }).widget(widget().build()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void report_carriesTheGatewayThatAcceptedTheMessage() {
        sms.answerWith(m -> CompletableFuture.completedFuture(new DeliveryReceipt("sms", "SM1", clock.instant(),
                Map.of("gateway", "vonage"))));
        SendResult sent = engine.send(toPhone());

        assertFalse(engine.reportDelivery(new DeliveryReport("sms", "SM1", DeliveryReport.Status.FAILED, "1",
                "twilio")), "twilio's webhook speaking for a message vonage took");
        assertTrue(engine.reportDelivery(new DeliveryReport("sms", "SM1", DeliveryReport.Status.DELIVERED, null,
                "vonage")));

        assertEquals(List.of(new OtpEvent.DeliveryReported(clock.instant(), WIDGET_ID, sent.requestId(),
                new DeliveryReport("sms", "SM1", DeliveryReport.Status.DELIVERED, null, "vonage"), "vonage")), reported);
    }

    @Test
    void report_namingAVendor_isTakenForAMessageWhoseChannelNamedNone() {
        SendResult sent = engine.send(toPhone());

        assertTrue(engine.reportDelivery(new DeliveryReport("sms", sent.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.DELIVERED, null, "twilio")));
    }

    @Test
    void send_toPhoneAndEmail_remembersEachChannelsMessage_withThePhonesCallingCodeForThePhoneChannelOnly() {
        OtpStore store = new dev.otpengine.internal.store.InProcessStore(clock, 100, 100);
        try (OtpEngine shared = OtpEngine.builder().clock(clock).store(store).channel(sms).channel(email)
                .widget(widget().build()).build()) {
            SendResult sent = shared.send(toPhoneAndEmail());
            String smsId = sent.deliveries().get(0).providerMessageId();
            String emailId = sent.deliveries().get(1).providerMessageId();

            SentMessage bySms = store.findMessage("sms", smsId, clock.instant()).orElseThrow();
            SentMessage byEmail = store.findMessage("email", emailId, clock.instant()).orElseThrow();
            assertEquals(new SentMessage("sms", smsId, sent.requestId(), WIDGET_ID, null, 7, sent.expiresAt()), bySms);
            assertEquals(new SentMessage("email", emailId, sent.requestId(), WIDGET_ID, null, 0, sent.expiresAt()),
                    byEmail);
        } finally {
            store.close();
        }
    }

    @Test
    void send_whoseStoreFailsToRememberTheMessage_isStillSent() {
        OtpStore store = new dev.otpengine.store.ForwardingStore(
                new dev.otpengine.internal.store.InProcessStore(clock, 100, 100)) {
            @Override
            public void rememberMessage(SentMessage message, Instant now) {
                throw new NoConnectionException("test", new IllegalStateException("down"));
            }
        };
        try (OtpEngine shared = OtpEngine.builder().clock(clock).store(store).channel(sms).widget(widget().build())
                .build()) {
            SendResult sent = shared.send(toPhone());

            assertTrue(sent.deliveries().get(0).isAccepted());
            assertEquals(VerifyResult.Status.VERIFIED,
                    shared.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
        } finally {
            store.close();
        }
    }

    @Test
    void reportDelivery_null_orOnAClosedEngine_isRefused() {
        assertEquals("report", assertThrows(NullPointerException.class, () -> engine.reportDelivery(null)).getMessage());
        engine.close();
        assertEquals("the engine is closed", assertThrows(IllegalStateException.class, () -> engine.reportDelivery(
                new DeliveryReport("sms", "SM1", DeliveryReport.Status.DELIVERED, null))).getMessage());
    }

    @Test
    void deliveryReport_badFields_areRefused_namingTheField() {
        assertEquals("channelId", assertThrows(NullPointerException.class,
                () -> new DeliveryReport(null, "SM1", DeliveryReport.Status.FAILED, null)).getMessage());
        assertEquals("providerMessageId", assertThrows(NullPointerException.class,
                () -> new DeliveryReport("sms", null, DeliveryReport.Status.FAILED, null)).getMessage());
        assertEquals("status", assertThrows(NullPointerException.class,
                () -> new DeliveryReport("sms", "SM1", null, null)).getMessage());
        assertEquals("providerMessageId must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new DeliveryReport("sms", " ", DeliveryReport.Status.FAILED, null)).getMessage());
        assertEquals("providerMessageId must be at most 128 characters: 129", assertThrows(
                IllegalArgumentException.class,
                () -> new DeliveryReport("sms", "x".repeat(129), DeliveryReport.Status.FAILED, null)).getMessage());
        assertEquals("errorCode must be at most 128 characters: 200", assertThrows(IllegalArgumentException.class,
                () -> new DeliveryReport("sms", "SM1", DeliveryReport.Status.FAILED, "1".repeat(200))).getMessage());
        assertEquals("channelId must be a channel id (lowercase letters, digits, - or _): 4 characters", assertThrows(
                IllegalArgumentException.class, () -> new DeliveryReport("SMS!", "SM1", DeliveryReport.Status.FAILED,
                        null)).getMessage());
        assertEquals("errorCode must be visible ASCII: a character at index 1 is not", assertThrows(
                IllegalArgumentException.class, () -> new DeliveryReport("sms", "SM1", DeliveryReport.Status.FAILED,
                        "1\r\nWARN forged line")).getMessage());
        assertEquals("providerMessageId must be visible ASCII: a character at index 2 is not", assertThrows(
                IllegalArgumentException.class, () -> new DeliveryReport("sms", "SM\u001b[31m",
                        DeliveryReport.Status.FAILED, null)).getMessage());
        assertEquals("gateway must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new DeliveryReport("sms", "SM1", DeliveryReport.Status.FAILED, null, " ")).getMessage());
        assertTrue(new DeliveryReport("sms", "SM1", DeliveryReport.Status.DELIVERED, null).isDelivered());
        assertFalse(new DeliveryReport("sms", "SM1", DeliveryReport.Status.FAILED, "30003").isDelivered());
    }

    @Test
    void send_whoseProviderIdIsTooLongToRemember_isStillSent_andItsReportIsUnknown() {
        sms.answerWith(m -> CompletableFuture.completedFuture(new DeliveryReceipt("sms", "x".repeat(129),
                clock.instant())));
        SendResult sent = engine.send(toPhone());

        assertTrue(sent.deliveries().get(0).isAccepted());
        assertFalse(engine.reportDelivery(new DeliveryReport("sms", "x".repeat(128), DeliveryReport.Status.DELIVERED,
                null)));
    }

    // ------------------------------------------------------------------ channel hooks

    @Test
    void build_refusesAChannelWhoseOwnTimeoutsDoNotFit_withItsMessage_andPassesEachChannelItsOwnTimeout() {
        List<Duration> asked = new CopyOnWriteArrayList<>();
        Channel slow = new Hooked("slow") {
            @Override
            public void checkDeliveryTimeout(Duration deliveryTimeout) {
                asked.add(deliveryTimeout);
                if (deliveryTimeout.compareTo(Duration.ofSeconds(20)) < 0) {
                    throw new ChannelConfigurationException("slow.timeout", "slow.timeout needs 20s; deliveryTimeout "
                            + "is " + deliveryTimeout);
                }
            }
        };
        ChannelConfigurationException refused = assertThrows(ChannelConfigurationException.class,
                () -> OtpEngine.builder().channel(slow).widget(widget().channels("slow").build()).build());
        assertEquals("slow.timeout needs 20s; deliveryTimeout is PT10S", refused.getMessage());

        OtpEngine.builder().channel(slow).deliveryTimeout(Duration.ofSeconds(5))
                .deliveryTimeout("slow", Duration.ofSeconds(30)).widget(widget().channels("slow").build()).build()
                .close();
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30)), asked);
    }

    @Test
    void channelHealth_givesEachChannelsFacts_leavingOutChannelsWithNone_andOnesThatFail() {
        Channel healthy = new Hooked("gateways") {
            @Override
            public Map<String, String> health() {
                return Map.of("circuit.twilio", "OPEN");
            }
        };
        Channel failing = new Hooked("broken") {
            @Override
            public Map<String, String> health() {
                throw new IllegalStateException("bug");
            }
        };
        try (OtpEngine e = OtpEngine.builder().channel(healthy).channel(failing).channel(sms)
                .widget(widget().channels("gateways").build()).build()) {
            assertEquals(Map.of("gateways", Map.of("circuit.twilio", "OPEN")), e.channelHealth());
        }
    }

    @Test
    void channelSettings_carryTheSystemClock_untilGivenTheEngines() {
        ChannelSettings settings = ChannelSettings.of("sms", Map.of("gateway", "console"));
        assertEquals(java.time.Clock.systemUTC(), settings.clock());
        ChannelSettings withClock = settings.withClock(clock);
        assertSame(clock, withClock.clock());
        assertEquals(settings.keys(), withClock.keys());
        assertEquals("clock", assertThrows(NullPointerException.class, () -> settings.withClock(null)).getMessage());
    }

    @Test
    void discoveredChannel_isGivenTheEnginesClock_withItsSettings() {
        try (OtpEngine e = OtpEngine.builder().clock(clock).discoverChannels(Map.of("test-sms.sender", "Acme"))
                .widget(widget().channels("test-sms").build()).build()) {
            assertSame(clock, dev.otpengine.discovery.TestSmsChannelProvider.CLOCK.get());
        }
    }

    /** A channel that reaches phones and accepts everything, for overriding one hook. */
    private static class Hooked implements Channel {

        private final String id;

        Hooked(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean canDeliverTo(Recipient recipient) {
            return recipient.phone().isPresent();
        }

        @Override
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
            return CompletableFuture.completedFuture(new DeliveryReceipt(id, null, Instant.EPOCH));
        }
    }
}
