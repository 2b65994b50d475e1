package dev.otpengine;

import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Escalation over time on one engine, in virtual time: the same code on the next channel once {@code escalateAfter} has
 * passed on the engine's clock, what ends it, a failed report that moves it on at once, and the widget rules. Most tests
 * run the due steps on the test's thread ({@code runDueEscalations}) so that "nothing was sent" is known, not waited for;
 * one waits for the engine's own poller. Escalation on two engines sharing a store is in {@code OtpStoreContractTest}.
 */
final class EscalationTest {

    private static final Duration AFTER = Duration.ofSeconds(30);

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel whatsapp = CapturingChannel.reaching("whatsapp", r -> r.phone().isPresent());
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final BlockingQueue<OtpEvent.Escalated> escalated = new LinkedBlockingQueue<>();
    private final List<OtpEngine> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(OtpEngine::close);
    }

    private Widget.Builder escalating() {
        return Widget.builder(WIDGET_ID).name("Acme").ttl(Duration.ofMinutes(2)).delivery(DeliveryMode.FALLBACK)
                .escalateAfter(AFTER);
    }

    private OtpEngine engine(Widget widget, RateLimits limits) {
        OtpEngine engine = OtpEngine.builder().clock(clock).channel(whatsapp).channel(sms).channel(email)
                .rateLimits(limits).listener(new OtpListener() {
                    @Override
                    public void onEscalated(OtpEvent.Escalated event) {
                        escalated.add(event);
                    }
                }).widget(widget).build();
        engines.add(engine);
        return engine;
    }

    private OtpEngine engine() {
        return engine(escalating().channels("whatsapp", "sms", "email").build(), RateLimits.unlimited());
    }

    private static SendRequest toPhoneAndEmail() {
        return SendRequest.builder(WIDGET_ID).phone(PHONE).email(EMAIL).build();
    }

    @Test
    void code_notVerifiedWithinEscalateAfter_goesOutOnEachNextChannel_sameCodeSameRequest() {
        OtpEngine engine = engine();
        SendResult sent = engine.send(toPhoneAndEmail());
        String code = whatsapp.lastCode().orElseThrow();
        assertEquals(List.of("whatsapp"), sent.deliveries().stream().map(Delivery::channelId).toList());

        clock.advance(AFTER.minusMillis(1));
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size());

        clock.advance(Duration.ofMillis(1));
        engine.runDueEscalations();
        OtpMessage second = sms.lastMessage().orElseThrow();
        assertEquals(sent.requestId(), second.requestId());
        assertEquals(code, second.code());
        OtpEvent.Escalated event = escalated.poll();
        assertNotNull(event);
        assertEquals(new OtpEvent.Escalated(clock.instant(), WIDGET_ID, sent.requestId(), second.recipient(),
                event.delivery()), event);
        assertEquals("sms", event.channelId());
        assertTrue(event.delivery().isAccepted());

        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(code, email.lastCode().orElseThrow());
        assertEquals(sent.requestId(), email.lastMessage().orElseThrow().requestId());

        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(List.of(1, 1, 1), List.of(whatsapp.messages().size(), sms.messages().size(),
                email.messages().size()));
        assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), code).status());
    }

    @Test
    void escalation_followsTheEnginesClock_throughItsOwnPoller_withinSeconds() throws InterruptedException {
        OtpEngine engine = engine();
        SendResult sent = engine.send(toPhoneAndEmail());

        clock.advance(AFTER);

        OtpEvent.Escalated event = escalated.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "the engine's poller did not escalate within 5 s of real time");
        assertEquals(sent.requestId(), event.requestId());
        assertEquals("sms", event.channelId());
    }

    @Test
    void verify_newerSend_expiry_orWidgetRemoval_endTheEscalation() {
        OtpEngine engine = engine();
        SendResult verified = engine.send(toPhoneAndEmail());
        engine.verify(verified.requestId(), whatsapp.lastCode().orElseThrow());
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size(), "a verified code escalated");

        engine.send(toPhoneAndEmail());
        SendResult newer = engine.send(toPhoneAndEmail());
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(List.of(newer.requestId()), sms.messages().stream().map(OtpMessage::requestId).toList(),
                "only the newest code escalates");

        OtpEngine expiring = engine(escalating().ttl(Duration.ofMinutes(1)).escalateAfter(Duration.ofSeconds(25))
                .channels("whatsapp", "sms").build(), RateLimits.unlimited());
        expiring.send(toPhoneAndEmail());
        clock.advance(Duration.ofMinutes(1));
        expiring.runDueEscalations();
        assertEquals(1, sms.messages().size(), "an expired code escalated");

        engine.send(toPhoneAndEmail());
        engine.removeWidget(WIDGET_ID);
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(1, sms.messages().size(), "a removed widget's code escalated");
    }

    @Test
    void blockingTheWidget_orPuttingItAgainWithoutAChannelOrWithoutEscalating_endsOrNarrowsItsSteps() {
        OtpEngine engine = engine();
        engine.send(toPhoneAndEmail());
        engine.blockWidget(WIDGET_ID);
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size(), "a blocked widget's pending codes kept paying");
        engine.unblockWidget(WIDGET_ID);

        engine.send(toPhoneAndEmail());
        engine.putWidget(escalating().channels("whatsapp", "email").build()); // sms taken out
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size(), "a channel the widget no longer has");
        assertEquals(1, email.messages().size(), "the channel it still has, next");

        engine.putWidget(escalating().channels("whatsapp", "sms", "email").build());
        engine.send(toPhoneAndEmail());
        engine.putWidget(Widget.builder(WIDGET_ID).name("Acme").delivery(DeliveryMode.FALLBACK)
                .channels("whatsapp", "sms", "email").build()); // no longer escalates
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size());
    }

    @Test
    void codeWhoseGuessesAreSpent_escalatesNoFurther_notEvenOnAFailedReport() {
        OtpEngine engine = engine();
        SendResult sent = engine.send(toPhoneAndEmail());
        String code = whatsapp.lastCode().orElseThrow();
        for (int i = 0; i < Widget.DEFAULT_MAX_ATTEMPTS; i++) {
            engine.verify(sent.requestId(), wrong(code));
        }
        assertEquals(VerifyResult.Status.ATTEMPTS_EXCEEDED, engine.verify(sent.requestId(), code).status());

        engine.reportDelivery(new DeliveryReport("whatsapp", sent.deliveries().get(0).providerMessageId(),
                DeliveryReport.Status.FAILED, "131026"));
        clock.advance(AFTER);
        engine.runDueEscalations();

        assertEquals(0, sms.messages().size(), "a paid step for a code that can no longer verify");
    }

    private static String wrong(String code) {
        return code.charAt(0) == '0' ? "1" + code.substring(1) : "0" + code.substring(1);
    }

    @Test
    void failedReport_ofTheLastStepsMessage_movesItOnAtOnce_aReportOfAnotherChannelDoesNot() {
        OtpEngine engine = engine();
        SendResult sent = engine.send(toPhoneAndEmail());
        String messageId = sent.deliveries().get(0).providerMessageId();

        assertTrue(engine.reportDelivery(new DeliveryReport("whatsapp", messageId, DeliveryReport.Status.DELIVERED,
                null)));
        engine.runDueEscalations();
        assertEquals(0, sms.messages().size(), "a delivered report escalated");

        assertTrue(engine.reportDelivery(new DeliveryReport("whatsapp", messageId, DeliveryReport.Status.FAILED,
                "131026")));
        engine.runDueEscalations();
        assertEquals(1, sms.messages().size());
        String smsId = "sms-1";

        // whatsapp's message failing again, after sms took over, moves nothing on: only sms's own failure would
        assertTrue(engine.reportDelivery(new DeliveryReport("whatsapp", messageId, DeliveryReport.Status.FAILED,
                "131026")));
        engine.runDueEscalations();
        assertEquals(0, email.messages().size());
        assertTrue(engine.reportDelivery(new DeliveryReport("sms", smsId, DeliveryReport.Status.FAILED, "30003")));
        engine.runDueEscalations();
        assertEquals(1, email.messages().size());
    }

    @Test
    void step_whoseChannelFails_goesOnToTheNext_atOnce() {
        sms.failWith(DeliveryException.permanent("not a mobile"));
        OtpEngine engine = engine();
        engine.send(toPhoneAndEmail());

        clock.advance(AFTER);
        engine.runDueEscalations();

        assertEquals(1, sms.messages().size());
        assertEquals(whatsapp.lastCode().orElseThrow(), email.lastCode().orElseThrow());
        assertEquals("email", escalated.poll().channelId());
    }

    @Test
    void step_isNotRefusedByTheRequestersLimits_theRequesterAskedOnce() {
        OtpEngine engine = engine(escalating().channels("whatsapp", "sms").build(), RateLimits.builder()
                .perRecipient(Limit.of(1, Duration.ofHours(1))).resendCooldown(Duration.ofMinutes(1))
                .perIp(Limit.of(1, Duration.ofHours(1))).perWidget(Limit.of(1, Duration.ofHours(1))).build());
        engine.send(SendRequest.builder(WIDGET_ID).phone(PHONE).userIp("203.0.113.7").build());

        clock.advance(AFTER);
        engine.runDueEscalations();

        assertEquals(whatsapp.lastCode().orElseThrow(), sms.lastCode().orElseThrow());
    }

    @Test
    void step_toAPhone_countsInTheTollFraudGuard_andIsNotSentWhenItsCountryIsCutOff() {
        // a room of 2 unverified sends per day for the country: the first send and its first step fill it
        RateLimits guarded = RateLimits.builder().countryConversion(ConversionGuard.of(2, 0.5, Duration.ofDays(1)))
                .build();
        OtpEngine engine = engine(escalating().channels("whatsapp", "sms", "email").build(), guarded);
        engine.send(toPhoneAndEmail());
        clock.advance(AFTER);
        engine.runDueEscalations();
        assertEquals(1, sms.messages().size());

        int sent = whatsapp.messages().size() + sms.messages().size() + email.messages().size();
        engine.send(SendRequest.builder(WIDGET_ID).phone("+79991234568").build()); // answered as sent, but withheld
        assertEquals(sent, whatsapp.messages().size() + sms.messages().size() + email.messages().size(),
                "the range's room was spent by the send and its step: nothing more goes out");
    }

    @Test
    void widget_escalating_needsFallback_andATtlThatCoversItsSteps() {
        assertEquals("widget " + WIDGET_ID + ": escalateAfter needs delivery(DeliveryMode.FALLBACK); with ALL every "
                + "channel is sent to at once and there is nothing to escalate to", assertThrows(
                IllegalStateException.class, () -> escalating().delivery(DeliveryMode.ALL).build()).getMessage());
        assertEquals("widget " + WIDGET_ID + ": ttl PT2M does not cover escalateAfter PT1M for each of its 2 escalation "
                + "step(s) over 3 channels (PT2M in all): make ttl longer than PT2M or escalateAfter shorter",
                assertThrows(IllegalStateException.class, () -> escalating().escalateAfter(Duration.ofMinutes(1))
                        .channels("whatsapp", "sms", "email").build()).getMessage());
        assertEquals("escalateAfter must be between PT10S and PT30M: PT9S", assertThrows(
                IllegalArgumentException.class, () -> escalating().escalateAfter(Duration.ofSeconds(9))).getMessage());
        assertEquals("after", assertThrows(NullPointerException.class, () -> escalating().escalateAfter(null))
                .getMessage());

        Widget allChannels = escalating().escalateAfter(Duration.ofMinutes(1)).build(); // the engine resolves three
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> OtpEngine.builder().channel(whatsapp).channel(sms).channel(email).widget(allChannels).build());
        assertEquals("widget " + WIDGET_ID + ": ttl PT2M does not cover escalateAfter PT1M for each of its 2 "
                + "escalation step(s) over 3 channels (PT2M in all): make ttl longer than PT2M or escalateAfter "
                + "shorter", refused.getMessage());
        assertEquals(java.util.Optional.of(AFTER), escalating().build().escalateAfter());
        assertEquals(java.util.Optional.of(AFTER), escalating().build().toBuilder().build().escalateAfter());
    }

    @Test
    void escalatedMessage_isRememberedForItsOwnReports() {
        sms.answerWith(m -> CompletableFuture.completedFuture(new DeliveryReceipt("sms", "SM-step", clock.instant(),
                Map.of("gateway", "twilio"))));
        OtpEngine engine = engine();
        SendResult sent = engine.send(toPhoneAndEmail());
        clock.advance(AFTER);
        engine.runDueEscalations();

        assertEquals(sent.requestId(), sms.lastMessage().orElseThrow().requestId());
        assertTrue(engine.reportDelivery(new DeliveryReport("sms", "SM-step", DeliveryReport.Status.DELIVERED, null)));
    }
}
