package dev.otpengine.channels.sms;

import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.SubmitSm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smpp gateway against an SMSC in the test (jSMPP's server side). */
final class SmppGatewayTest {

    private final SmppPeer peer;
    private final SmsChannel channel;

    SmppGatewayTest() throws Exception {
        peer = new SmppPeer();
        channel = (SmsChannel) new SmsChannelProvider().create(ChannelSettings.forChannel("sms", Map.of(
                "sms.gateway", "smpp", "sms.smpp.host", "127.0.0.1", "sms.smpp.port", Integer.toString(peer.port()),
                "sms.smpp.systemId", "acme", "sms.smpp.password", "secret", "sms.smpp.sourceAddress", "Acme",
                "sms.timeout", "5s")));
    }

    @AfterEach
    void close() throws Exception {
        channel.close();
        peer.close();
    }

    private DeliveryReceipt send(String text) throws Exception {
        return channel.deliver(HttpGatewaysTest.message(text)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void latinText_arrivesAsGsm7_withDataCoding0() throws Exception {
        DeliveryReceipt receipt = send("123456 is your Acme code");

        SubmitSm sm = peer.next();
        assertEquals(0, sm.getDataCoding());
        assertEquals("123456 is your Acme code", SmsText.decodeGsm7(sm.getShortMessage()));
        assertEquals("79991234567", sm.getDestAddress());
        assertEquals("Acme", sm.getSourceAddr());
        assertEquals(List.of("bind_tx acme/secret"), peer.binds().stream().map(b -> b.toLowerCase(java.util.Locale.ROOT)).toList());
        assertEquals("m1", receipt.providerMessageId());
        assertEquals("GSM7", receipt.attributes().get("encoding"));
    }

    @Test
    void cyrillicText_arrivesAsUcs2_withDataCoding8() throws Exception {
        DeliveryReceipt receipt = send("123456 — ваш код Acme");

        SubmitSm sm = peer.next();
        assertEquals(8, sm.getDataCoding());
        assertEquals("123456 — ваш код Acme", new String(sm.getShortMessage(), StandardCharsets.UTF_16BE));
        assertEquals("UCS2", receipt.attributes().get("encoding"));
    }

    @Test
    void longText_goesAsSegmentsWithSarParameters_thatJoinBack() throws Exception {
        String text = "Ваш код 123456. " + "Никому его не сообщайте. ".repeat(4);

        DeliveryReceipt receipt = send(text);

        int segments = Integer.parseInt(receipt.attributes().get("segments"));
        assertEquals(SmsText.of(text).segments(), segments);
        StringBuilder joined = new StringBuilder();
        for (int i = 1; i <= segments; i++) {
            SubmitSm sm = peer.next();
            assertEquals(segments, ((OptionalParameter.Byte) sm.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS)).getValue());
            assertEquals(i, ((OptionalParameter.Byte) sm.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM)).getValue());
            joined.append(new String(sm.getShortMessage(), StandardCharsets.UTF_16BE));
        }
        assertEquals(text, joined.toString());
    }

    @RepeatedTest(10)
    void droppedSession_isBoundAgainOnTheNextSend() throws Exception {
        send("first 111111");
        peer.next();

        peer.dropSessions();
        // jSMPP's reader thread sees the closed socket and closes the session; a code sent in that instant would
        // wait out the response timeout and fail as retryable, so the test waits for the client to notice.
        SmppGateway gateway = (SmppGateway) channel.gateway("smpp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.bound()) {
            assertTrue(System.nanoTime() < deadline, "the client never noticed the dropped session");
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        DeliveryReceipt receipt = send("second 222222");

        assertEquals("second 222222", SmsText.decodeGsm7(peer.next().getShortMessage()));
        assertEquals(2, peer.binds().size());
        assertEquals("m2", receipt.providerMessageId());
    }
}
