package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Twilio's message statuses as reports: only final ones are. */
final class TwilioCallbacksTest {

    private static Optional<DeliveryReport> report(String form) {
        return TwilioCallbacks.report(FormFields.parse(form));
    }

    @Test
    void delivered_isDelivered_withoutAnErrorCode() {
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.DELIVERED, null)),
                report("MessageSid=SM0123&SmsSid=SM0123&MessageStatus=delivered&ErrorCode=0&AccountSid=AC1"));
    }

    @Test
    void undeliveredAndFailed_areFailed_withTwiliosErrorCode() {
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.FAILED, "30003")),
                report("MessageSid=SM0123&MessageStatus=undelivered&ErrorCode=30003"));
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.FAILED, null)),
                report("MessageSid=SM0123&MessageStatus=failed"));
    }

    @Test
    void statusesThatAreNotFinal_areNoReport() {
        for (String status : new String[] {"queued", "sending", "sent", "accepted", "scheduled", "read", "canceled",
                "partially_delivered", "receiving", "received", "", "something-new"}) {
            assertEquals(Optional.empty(), report("MessageSid=SM0123&MessageStatus=" + status), status);
        }
        assertEquals(Optional.empty(), report("MessageSid=SM0123"), "no status");
    }

    @Test
    void noMessageSid_orASidTooLong_isNoReport() {
        assertEquals(Optional.empty(), report("CallSid=CA0123&CallStatus=completed"), "calls are not taken yet");
        assertEquals(Optional.empty(), report("MessageStatus=delivered"));
        assertEquals(Optional.empty(), report("MessageSid=" + "S".repeat(129) + "&MessageStatus=delivered"));
    }
}
