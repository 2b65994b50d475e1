package dev.otpengine;

import dev.otpengine.spi.DeliveryException;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.toPhoneAndEmail;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ListenerTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final List<OtpEvent> events = new CopyOnWriteArrayList<>();
    private final OtpListener recording = new OtpListener() {
        @Override
        public void onSent(OtpEvent.Sent event) {
            events.add(event);
        }

        @Override
        public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
            events.add(event);
        }

        @Override
        public void onVerified(OtpEvent.Verified event) {
            events.add(event);
        }

        @Override
        public void onVerifyFailed(OtpEvent.VerifyFailed event) {
            events.add(event);
        }

        @Override
        public void onRejected(OtpEvent.Rejected event) {
            events.add(event);
        }
    };
    private final OtpListener throwing = new OtpListener() {
        @Override
        public void onSent(OtpEvent.Sent event) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void onVerified(OtpEvent.Verified event) {
            throw new IllegalStateException("listener bug");
        }
    };
    private final OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
            .listener(throwing).listener(recording).widget(widget().build()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void sendAndVerify_reportEventsInOrder_evenAfterAListenerThrows() {
        email.failWith(DeliveryException.retryable("smtp down"));
        SendResult sent = engine.send(toPhoneAndEmail());
        engine.verify(sent.requestId(), sms.lastCode().orElseThrow().equals("000000") ? "111111" : "000000");
        engine.verify(sent.requestId(), sms.lastCode().orElseThrow());

        assertEquals(4, events.size(), events::toString);
        OtpEvent.DeliveryFailed failed = assertInstanceOf(OtpEvent.DeliveryFailed.class, events.get(0));
        assertEquals("email", failed.delivery().channelId());
        OtpEvent.Sent s = assertInstanceOf(OtpEvent.Sent.class, events.get(1));
        assertEquals(sent.requestId(), s.requestId());
        assertEquals(WIDGET_ID, s.widgetId());
        assertEquals(clock.instant(), s.at());
        OtpEvent.VerifyFailed vf = assertInstanceOf(OtpEvent.VerifyFailed.class, events.get(2));
        assertEquals(VerifyResult.Status.INVALID_CODE, vf.result().status());
        OtpEvent.Verified v = assertInstanceOf(OtpEvent.Verified.class, events.get(3));
        assertEquals(sent.requestId(), v.requestId());
    }

    @Test
    void refusal_isReportedAsRejected() {
        engine.blockWidget(WIDGET_ID);

        WidgetIsBlockedException e = assertThrows(WidgetIsBlockedException.class, () -> engine.send(toPhone()));

        OtpEvent.Rejected r = assertInstanceOf(OtpEvent.Rejected.class, events.get(0));
        assertEquals(OtpEvent.Operation.SEND, r.operation());
        assertEquals(e, r.reason());
    }

    @Test
    void badInputToTheEnginesOwnOverloads_isReportedAsRejected_namingTheField() {
        String widget = WIDGET_ID.toString();
        List<Executable> bad = List.of(
                () -> engine.send("not-a-uuid", "+79991234567", null),
                () -> engine.send(widget, "12345", null),
                () -> engine.send(widget, "+79991234567", "bad-ip"),
                () -> engine.send(widget, null, null),
                () -> engine.verify(UUID.randomUUID(), "1"),
                () -> engine.verify("bad", "123456"),
                () -> engine.verify(UUID.randomUUID().toString(), "123456", "1.2.3.256"));
        List<String> fields = List.of("widgetId", "phone", "userIp", "recipient", "code", "requestId", "userIp");
        for (int i = 0; i < bad.size(); i++) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, bad.get(i));
            assertEquals(fields.get(i), e.field());
            OtpEvent.Rejected r = assertInstanceOf(OtpEvent.Rejected.class, events.get(i));
            assertEquals(e, r.reason());
            assertEquals(i < 4 ? OtpEvent.Operation.SEND : OtpEvent.Operation.VERIFY, r.operation());
            assertEquals(i == 0 || i >= 4 ? null : WIDGET_ID, r.widgetId());
        }
        assertEquals(bad.size(), events.size());
    }

    @Test
    void verifyOfUnknownId_isReportedWithoutWidgetOrRecipient() {
        UUID id = UUID.randomUUID();
        engine.verify(id, "123456");

        OtpEvent.VerifyFailed vf = assertInstanceOf(OtpEvent.VerifyFailed.class, events.get(0));
        assertNull(vf.widgetId());
        assertNull(vf.recipient());
        assertEquals(VerifyResult.Status.NOT_FOUND, vf.result().status());
    }

    @Test
    void noListener_usesTheNoOpListener() {
        try (OtpEngine plain = OtpEngine.builder().channel(CapturingChannel.sms()).widget(widget().build()).build()) {
            assertTrue(plain.send(toPhone()).deliveries().get(0).isAccepted());
        }
    }
}
