package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Vonage's receipt statuses as reports: only final ones are. */
final class VonageReceiptsTest {

    @Test
    void delivered_isDelivered() {
        assertEquals(Optional.of(new DeliveryReport("sms", "0A0000001234ABCD", DeliveryReport.Status.DELIVERED,
                null, "vonage")), VonageReceipts.report(Map.of("messageId", "0A0000001234ABCD", "status", "delivered",
                "err-code", "0")));
    }

    @Test
    void failedRejectedAndExpired_areFailed_withTheErrCode() {
        for (String status : new String[] {"failed", "rejected", "expired"}) {
            assertEquals(Optional.of(new DeliveryReport("sms", "0A01", DeliveryReport.Status.FAILED, "6", "vonage")),
                    VonageReceipts.report(Map.of("messageId", "0A01", "status", status, "err-code", "6")), status);
        }
    }

    @Test
    void acceptedBufferedAndUnknown_orNoMessageId_areNoReport() {
        for (String status : new String[] {"accepted", "buffered", "unknown", "new"}) {
            assertEquals(Optional.empty(), VonageReceipts.report(Map.of("messageId", "0A01", "status", status)),
                    status);
        }
        assertEquals(Optional.empty(), VonageReceipts.report(Map.of("status", "delivered")));
        assertEquals(Optional.empty(), VonageReceipts.report(Map.of("messageId", " ", "status", "delivered")));
    }
}
