package dev.otpengine.micrometer;

import dev.otpengine.DeliveryReport;
import dev.otpengine.Limit;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.Widget;
import dev.otpengine.WidgetNotFoundException;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The engine's events as Micrometer counters, read back from a {@link SimpleMeterRegistry}. */
final class OtpMetersTest {

    private static final UUID WIDGET = UUID.fromString("2c1b0a99-8877-4665-a544-332211009988");
    private static final String PHONE = "+12025550177";
    private static final String EMAIL = "ann@example.com";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
            .listener(new OtpMeters(registry))
            .rateLimits(RateLimits.builder().perRecipient(Limit.of(2, Duration.ofHours(1))).build())
            .widget(Widget.builder(WIDGET).name("Acme").build()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aLogin_isOneSend_oneDeliveryPerChannel_andItsVerifications() {
        SendResult sent = engine.send(SendRequest.builder(WIDGET).phone(PHONE).email(EMAIL).build());
        String code = sms.lastCode().orElseThrow();
        engine.verify(VerifyRequest.builder(sent.requestId(), code.equals("000000") ? "111111" : "000000").build());
        engine.verify(VerifyRequest.builder(sent.requestId(), code).build());
        engine.verify(VerifyRequest.builder(UUID.randomUUID(), code).build());

        String widget = WIDGET.toString();
        assertEquals(1, count(OtpMeters.SENDS, "widget", widget, "outcome", "sent"));
        assertEquals(1, count(OtpMeters.DELIVERIES, "channel", "sms", "outcome", "accepted"));
        assertEquals(1, count(OtpMeters.DELIVERIES, "channel", "email", "outcome", "accepted"));
        assertEquals(1, count(OtpMeters.VERIFICATIONS, "widget", widget, "status", "invalid_code"));
        assertEquals(1, count(OtpMeters.VERIFICATIONS, "widget", widget, "status", "verified"));
        assertEquals(1, count(OtpMeters.VERIFICATIONS, "widget", "none", "status", "not_found"));
    }

    @Test
    void aCutOff_isCountedOnce_byWidgetCallingCodeAndRegion_whileEachWithheldSendIsARejection() {
        try (OtpEngine guarded = OtpEngine.builder().clock(clock).channel(sms).listener(new OtpMeters(registry))
                .rateLimits(RateLimits.builder().countryConversion(dev.otpengine.ConversionGuard.of(1, 0.5,
                        Duration.ofHours(1))).build())
                .widget(Widget.builder(WIDGET).name("Acme").build()).build()) {
            guarded.send(SendRequest.builder(WIDGET).phone("+639171234560").build());
            for (int i = 1; i <= 3; i++) {
                guarded.send(SendRequest.builder(WIDGET).phone("+63917123456" + i).build()); // withheld: no exception
            }
        }
        assertEquals(1, sms.messages().size());
        assertEquals(1, count(OtpMeters.COUNTRY_CUT_OFFS, "widget", WIDGET.toString(), "calling_code", "63",
                "region", "+63"));
        assertEquals(3, count(OtpMeters.REJECTIONS, "reason", "country_conversion", "operation", "send"));
    }

    @Test
    void refusals_countedByReason_andAnUndeliveredSendByItsChannelsAnswers() {
        engine.send(SendRequest.builder(WIDGET).phone(PHONE).build());
        engine.send(SendRequest.builder(WIDGET).phone(PHONE).build());
        assertThrows(RateLimitException.class, () -> engine.send(SendRequest.builder(WIDGET).phone(PHONE).build()));
        assertThrows(WidgetNotFoundException.class, () -> engine.send(
                SendRequest.builder(UUID.randomUUID()).phone(PHONE).build()));
        sms.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent("number blocked")));
        assertThrows(NoConnectionException.class, () -> engine.send(
                SendRequest.builder(WIDGET).phone("+12025550178").build()));

        assertEquals(1, count(OtpMeters.REJECTIONS, "reason", "recipient", "operation", "send"));
        assertEquals(1, count(OtpMeters.REJECTIONS, "reason", "widget_not_found", "operation", "send"));
        assertEquals(1, count(OtpMeters.REJECTIONS, "reason", "no_connection", "operation", "send"));
        assertEquals(1, count(OtpMeters.SENDS, "widget", WIDGET.toString(), "outcome", "undelivered"));
        assertEquals(1, count(OtpMeters.DELIVERIES, "channel", "sms", "outcome", "failed_permanent"));
    }

    @Test
    void noTag_everHoldsAPhoneAnEmailACode_orAWidgetIdAClientMadeUp() {
        SendResult sent = engine.send(SendRequest.builder(WIDGET).phone(PHONE).email(EMAIL).userIp("198.51.100.7")
                .build());
        String code = sms.lastCode().orElseThrow();
        engine.verify(VerifyRequest.builder(sent.requestId(), code).userIp("198.51.100.7").build());
        for (int i = 0; i < 50; i++) {
            UUID madeUp = UUID.randomUUID();
            assertThrows(WidgetNotFoundException.class, () -> engine.send(SendRequest.builder(madeUp).phone(PHONE)
                    .build()));
        }

        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                String v = tag.getValue();
                assertFalse(v.contains("2025550177") || v.contains("example.com") || v.contains("198.51.100")
                        || v.contains(code), meter.getId().toString());
                assertFalse(tag.getKey().equals("widget") && !v.equals(WIDGET.toString()) && !v.equals("none"),
                        meter.getId().toString());
            }
        }
        assertEquals(50, count(OtpMeters.REJECTIONS, "reason", "widget_not_found"));
    }

    @Test
    void theGaugeOfPendingCodes_followsTheStore() {
        assertEquals(true, OtpMeters.gaugePendingCodes(registry, engine));
        assertEquals(0, registry.get(OtpMeters.PENDING_CODES).gauge().value());
        engine.send(SendRequest.builder(WIDGET).phone(PHONE).build());
        engine.send(SendRequest.builder(WIDGET).phone("+12025550179").build());
        assertEquals(2, registry.get(OtpMeters.PENDING_CODES).gauge().value());
        engine.verify(VerifyRequest.builder(engine.send(SendRequest.builder(WIDGET).email(EMAIL).build()).requestId(),
                email.lastCode().orElseThrow()).build());
        assertEquals(2, registry.get(OtpMeters.PENDING_CODES).gauge().value(), "a verified code leaves");
    }

    @Test
    void aDeliveryReport_isCountedByChannelGatewayAndStatus_onlyForAMessageTheStoreKnows() {
        sms.answerWith(m -> CompletableFuture.completedFuture(new dev.otpengine.spi.DeliveryReceipt("sms",
                "SM0001", clock.instant(), java.util.Map.of("gateway", "twilio"))));
        engine.send(SendRequest.builder(WIDGET).phone(PHONE).build());
        email.answerWith(m -> CompletableFuture.completedFuture(new dev.otpengine.spi.DeliveryReceipt("email",
                "mail-1", clock.instant())));
        engine.send(SendRequest.builder(WIDGET).email(EMAIL).build());

        engine.reportDelivery(new DeliveryReport("sms", "SM0001", DeliveryReport.Status.FAILED, "30003"));
        engine.reportDelivery(new DeliveryReport("email", "mail-1", DeliveryReport.Status.DELIVERED, null));
        engine.reportDelivery(new DeliveryReport("sms", "SM-not-sent", DeliveryReport.Status.DELIVERED, null));

        assertEquals(1, count(OtpMeters.DELIVERY_REPORTS, "channel", "sms", "gateway", "twilio", "status", "failed"));
        assertEquals(1, count(OtpMeters.DELIVERY_REPORTS, "channel", "email", "gateway", "none", "status",
                "delivered"));
        assertEquals(2, count(OtpMeters.DELIVERY_REPORTS), "the unknown message is not counted");
    }

    @Test
    void anEscalationStep_isCountedByWidgetAndChannel_withItsDelivery() throws InterruptedException {
        java.util.concurrent.CountDownLatch stepped = new java.util.concurrent.CountDownLatch(1);
        try (OtpEngine escalating = OtpEngine.builder().clock(clock).channel(sms).channel(email)
                .listener(new OtpMeters(registry)).listener(new dev.otpengine.OtpListener() {
                    @Override
                    public void onEscalated(dev.otpengine.OtpEvent.Escalated event) {
                        stepped.countDown();
                    }
                }).widget(Widget.builder(WIDGET).name("Acme").delivery(dev.otpengine.DeliveryMode.FALLBACK)
                        .escalateAfter(Duration.ofSeconds(30)).channels("sms", "email").build()).build()) {
            escalating.send(SendRequest.builder(WIDGET).phone(PHONE).email(EMAIL).build());
            clock.advance(Duration.ofSeconds(30));

            assertEquals(true, stepped.await(10, java.util.concurrent.TimeUnit.SECONDS), "no escalation within 10 s");
            assertEquals(1, count(OtpMeters.ESCALATIONS, "widget", WIDGET.toString(), "channel", "email"));
            assertEquals(1, count(OtpMeters.DELIVERIES, "channel", "email"));
        }
    }

    /** A channel whose circuits an operator would see: one fact {@code circuit.<gateway>} per gateway. */
    private static final class Gateways implements dev.otpengine.spi.Channel {
        final java.util.Map<String, String> health = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String id() {
            return "sms";
        }

        @Override
        public boolean canDeliverTo(dev.otpengine.spi.Recipient recipient) {
            return recipient.phone().isPresent();
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.otpengine.spi.DeliveryReceipt> deliver(
                dev.otpengine.spi.OtpMessage message) {
            return CompletableFuture.completedFuture(new dev.otpengine.spi.DeliveryReceipt("sms", null,
                    java.time.Instant.now()));
        }

        @Override
        public java.util.Map<String, String> health() {
            return java.util.Map.copyOf(health);
        }
    }

    private double circuit(String gateway, String state) {
        return registry.get(OtpMeters.GATEWAY_CIRCUIT).tags("channel", "sms", "gateway", gateway, "state", state)
                .gauge().value();
    }

    @Test
    void theCircuitGauges_areOneForTheStateEachGatewayIsIn_andZeroForTheOthers() {
        Gateways sms = new Gateways();
        sms.health.put("circuit.twilio", "CLOSED");
        sms.health.put("circuit.vonage", "OPEN");
        sms.health.put("gateways", "twilio,vonage"); // not a circuit: no gauge
        try (OtpEngine withGateways = OtpEngine.builder().clock(clock).channel(sms)
                .widget(Widget.builder(WIDGET).name("Acme").build()).build()) {
            assertEquals(2, OtpMeters.gaugeGatewayCircuits(registry, withGateways));
            assertEquals(1, circuit("twilio", "closed"));
            assertEquals(0, circuit("twilio", "open"));
            assertEquals(0, circuit("twilio", "half_open"));
            assertEquals(1, circuit("vonage", "open"));
            assertEquals(0, circuit("vonage", "closed"));

            sms.health.put("circuit.vonage", "HALF_OPEN");
            assertEquals(1, circuit("vonage", "half_open"));
            assertEquals(0, circuit("vonage", "open"));
            assertEquals(6, registry.find(OtpMeters.GATEWAY_CIRCUIT).gauges().size(), "3 states of 2 gateways");
        }
    }

    @Test
    void theCircuitGauges_areNone_whenNoChannelReportsACircuit() {
        assertEquals(0, OtpMeters.gaugeGatewayCircuits(registry, engine));
        assertEquals(0, registry.find(OtpMeters.GATEWAY_CIRCUIT).gauges().size());
    }

    @Test
    void aNullRegistry_isRefusedNamingIt() {
        assertEquals("registry", assertThrows(NullPointerException.class, () -> new OtpMeters(null)).getMessage());
    }
}
