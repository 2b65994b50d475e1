package dev.otpengine.testkit;

import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class CapturingChannelTest {

    private static final UUID WIDGET_ID = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();

    private OtpEngine engine() {
        return OtpEngine.builder().rateLimits(RateLimits.unlimited()).channel(sms).channel(email)
                .widget(Widget.builder(WIDGET_ID).name("Acme").build()).build();
    }

    @Test
    void lastCode_isTheCodeOfTheLatestSendToThatAddress_inAnyWrittenForm() {
        try (OtpEngine engine = engine()) {
            engine.send(WIDGET_ID.toString(), "+12025550162", null);
            SendResult second = engine.send(WIDGET_ID.toString(), "+12025550162", null);
            engine.send(WIDGET_ID.toString(), "+12025550199", null);

            String code = sms.lastCode("+1 (202) 555-0162").orElseThrow();
            assertEquals(sms.messages().get(1).code(), code);
            assertEquals(second.requestId(), sms.lastMessage("+12025550162").orElseThrow().requestId());
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(second.requestId(), code).status());
        }
    }

    @Test
    void lastCode_ofEmail_ignoresCase() {
        try (OtpEngine engine = engine()) {
            engine.send(WIDGET_ID.toString(), "Ann@Example.com", null);

            assertEquals(email.messages().get(0).code(), email.lastCode("ANN@example.COM").orElseThrow());
        }
    }

    @Test
    void lastCode_ofCustomAddress_matchesItsValue() {
        CapturingChannel chat = CapturingChannel.reaching("chat", r -> r.address("chat").isPresent());
        try (OtpEngine engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).channel(chat)
                .widget(Widget.builder(WIDGET_ID).name("Acme").build()).build()) {
            engine.send(SendRequest.builder(WIDGET_ID).address("chat", "user-42").build());

            assertEquals(chat.messages().get(0).code(), chat.lastCode("user-42").orElseThrow());
        }
    }

    @Test
    void lastCode_ofAnAddressNothingWentTo_isEmpty() {
        assertEquals(Optional.empty(), sms.lastCode("+12025550162"));
        assertEquals(Optional.empty(), sms.lastCode("not an address"));
    }

    @Test
    void bothChannels_getTheSameCode_underAll() {
        try (OtpEngine engine = engine()) {
            engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550162").email("ann@example.com").build());

            assertEquals(sms.lastCode("+12025550162"), email.lastCode("ann@example.com"));
        }
    }

    @Test
    void failWith_failsDeliveries_untilAccept() {
        sms.failWith(DeliveryException.permanent("number rejected"));
        try (OtpEngine engine = engine()) {
            NoConnectionException e = assertThrows(NoConnectionException.class,
                    () -> engine.send(WIDGET_ID.toString(), "+12025550162", null));
            assertEquals("number rejected", e.deliveries().get(0).error());
            assertEquals(1, sms.messages().size());

            sms.accept();
            assertTrue(engine.send(WIDGET_ID.toString(), "+12025550162", null).deliveries().get(0).isAccepted());
        }
    }

    @Test
    void receipts_nameTheChannel_andCountUp() {
        try (OtpEngine engine = engine()) {
            SendResult first = engine.send(WIDGET_ID.toString(), "+12025550162", null);
            SendResult second = engine.send(WIDGET_ID.toString(), "+12025550163", null);

            assertEquals("sms-1", first.deliveries().get(0).providerMessageId());
            assertEquals("sms-2", second.deliveries().get(0).providerMessageId());
        }
    }

    @Test
    void clear_forgetsMessages_andClose_isRecorded() {
        try (OtpEngine engine = engine()) {
            engine.send(WIDGET_ID.toString(), "+12025550162", null);
            sms.clear();
            assertEquals(List.of(), sms.messages());
        }
        assertFalse(sms.isClosed(), "a channel given to an engine stays its owner's to close");
        sms.close();
        assertTrue(sms.isClosed());
    }

    @Test
    void lastCode_withoutAnAddress_isTheNewestMessagesCode() {
        assertTrue(sms.lastCode().isEmpty());
        try (OtpEngine engine = engine()) {
            engine.send(WIDGET_ID.toString(), "+12025550162", null);
            SendResult second = engine.send(WIDGET_ID.toString(), "+12025550199", null);

            assertEquals(second.requestId(), sms.lastMessage().orElseThrow().requestId());
            assertEquals(sms.lastCode("+12025550199"), sms.lastCode());
        }
    }

    @Test
    void answerWith_decidesEveryAnswer_untilAccept() {
        try (OtpEngine engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).channel(sms)
                .deliveryTimeout(java.time.Duration.ofMillis(50))
                .widget(Widget.builder(WIDGET_ID).name("Acme").build()).build()) {
            sms.answerWith(m -> new java.util.concurrent.CompletableFuture<>()); // never answers
            NoConnectionException timedOut = assertThrows(NoConnectionException.class,
                    () -> engine.send(WIDGET_ID.toString(), "+12025550162", null));
            assertEquals("timed out after 50 ms", timedOut.deliveries().get(0).error());

            sms.answerWith(m -> {
                throw new IllegalStateException("client crashed");
            });
            NoConnectionException thrown = assertThrows(NoConnectionException.class,
                    () -> engine.send(WIDGET_ID.toString(), "+12025550163", null));
            assertEquals("java.lang.IllegalStateException: client crashed", thrown.deliveries().get(0).error());
            assertEquals(2, sms.messages().size(), "each message was recorded before the answer");

            sms.accept();
            engine.send(WIDGET_ID.toString(), "+12025550164", null);
        }
        assertThrows(NullPointerException.class, () -> sms.answerWith(null));
    }

    @Test
    void onDeliveryThreads_makesTheEngineCallItOnItsDeliveryThreads() {
        email.onDeliveryThreads();
        assertTrue(sms.deliversAsynchronously());
        assertFalse(email.deliversAsynchronously());
        try (OtpEngine engine = engine()) {
            engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550162").email("ann@example.com").build());
        }

        assertEquals(List.of(Thread.currentThread()), sms.deliveringThreads());
        assertTrue(email.deliveringThreads().get(0).getName().startsWith("otpengine-delivery-"),
                email.deliveringThreads()::toString);
    }

    @Test
    void closeCount_countsEveryClose() {
        assertEquals(0, sms.closeCount());
        engine().close();
        assertEquals(0, sms.closeCount(), "the engine closes only the channels it discovered");
        sms.close();
        sms.close();
        assertEquals(2, sms.closeCount());
    }

    @Test
    void toString_holdsNoCode() {
        try (OtpEngine engine = engine()) {
            engine.send(WIDGET_ID.toString(), "+12025550162", null);
            OtpMessage m = sms.messages().get(0);

            assertEquals("CapturingChannel[id=sms, messages=1]", sms.toString());
            assertFalse(m.toString().contains(m.code()));
        }
    }

    @Test
    void reaching_withBadId_namesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapturingChannel.reaching("Chat!", r -> true));
        assertEquals("id must be 1 to 32 lowercase letters, digits, - or _, starting with a letter or digit: \"Chat!\"", e.getMessage());
        assertEquals("reaches", assertThrows(NullPointerException.class,
                () -> CapturingChannel.reaching("chat", null)).getMessage());
        assertEquals("address", assertThrows(NullPointerException.class, () -> sms.lastCode(null)).getMessage());
        assertEquals("failure", assertThrows(NullPointerException.class, () -> sms.failWith(null)).getMessage());
    }

    @Test
    void canDeliverTo_followsThePredicate() {
        assertTrue(sms.canDeliverTo(Recipient.ofPhone("+12025550162")));
        assertFalse(sms.canDeliverTo(Recipient.ofEmail("ann@example.com")));
        assertTrue(sms.deliversAsynchronously());
        assertNotEquals(sms.id(), email.id());
    }
}
