package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Twilio's message and call statuses as reports: only final ones are. */
final class TwilioCallbacksTest {

    private static Optional<DeliveryReport> report(String form) {
        return TwilioCallbacks.report(FormFields.parse(form));
    }

    @Test
    void delivered_isDelivered_withoutAnErrorCode() {
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.DELIVERED, null, "twilio")),
                report("MessageSid=SM0123&SmsSid=SM0123&MessageStatus=delivered&ErrorCode=0&AccountSid=AC1"));
    }

    @Test
    void undeliveredAndFailed_areFailed_withTwiliosErrorCode() {
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.FAILED, "30003", "twilio")),
                report("MessageSid=SM0123&MessageStatus=undelivered&ErrorCode=30003"));
        assertEquals(Optional.of(new DeliveryReport("sms", "SM0123", DeliveryReport.Status.FAILED, null, "twilio")),
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
    void aCompletedCall_isDeliveredByTheVoiceChannel_withoutAnErrorCode() {
        assertEquals(Optional.of(new DeliveryReport("voice", "CA0123", DeliveryReport.Status.DELIVERED, null, "twilio")),
                report("CallSid=CA0123&CallStatus=completed&CallDuration=14&ErrorCode=0&AccountSid=AC1"));
        assertEquals(Optional.of(new DeliveryReport("voice", "CA0123", DeliveryReport.Status.DELIVERED, null, "twilio")),
                report("CallSid=CA0123&CallStatus=Completed"));
    }

    @Test
    void busyNoAnswerFailedAndCanceledCalls_areFailed_withTwiliosErrorCode_orElseTheStatus() {
        for (String status : new String[] {"busy", "no-answer", "failed", "canceled"}) {
            assertEquals(Optional.of(new DeliveryReport("voice", "CA0123", DeliveryReport.Status.FAILED, status, "twilio")),
                    report("CallSid=CA0123&CallStatus=" + status), status);
            assertEquals(Optional.of(new DeliveryReport("voice", "CA0123", DeliveryReport.Status.FAILED, "32009", "twilio")),
                    report("CallSid=CA0123&CallStatus=" + status + "&ErrorCode=32009"), status);
        }
        assertEquals(Optional.of(new DeliveryReport("voice", "CA0123", DeliveryReport.Status.FAILED, "no-answer", "twilio")),
                report("CallSid=CA0123&CallStatus=NO-ANSWER&ErrorCode=+"), "a blank ErrorCode is none");
    }

    @Test
    void callStatusesThatAreNotFinal_areNoReport() {
        for (String status : new String[] {"queued", "initiated", "ringing", "in-progress", "answered", "",
                "delivered", "undelivered", "something-new"}) {
            assertEquals(Optional.empty(), report("CallSid=CA0123&CallStatus=" + status), status);
        }
        assertEquals(Optional.empty(), report("CallSid=CA0123"), "no status");
        assertEquals(Optional.empty(), report("CallSid=CA0123&MessageStatus=delivered"), "a message's status field");
    }

    @Test
    void noSid_orASidTooLong_isNoReport() {
        assertEquals(Optional.empty(), report("CallStatus=completed"));
        assertEquals(Optional.empty(), report("CallSid=+&CallStatus=completed"));
        assertEquals(Optional.empty(), report("CallSid=" + "C".repeat(129) + "&CallStatus=completed"));
        assertEquals(Optional.empty(), report("MessageStatus=delivered"));
        assertEquals(Optional.empty(), report("MessageSid=" + "S".repeat(129) + "&MessageStatus=delivered"));
    }
}
