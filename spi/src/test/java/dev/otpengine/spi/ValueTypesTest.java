package dev.otpengine.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ValueTypesTest {

    @Test
    void otpMessage_toString_redactsCodeAndTextAndMasksRecipient() {
        UUID id = UUID.fromString("d385ab22-0f51-4b97-9ecd-b8ff3fd4fcb6");
        OtpMessage m = new OtpMessage(id, id, "Acme", Recipient.ofPhone("+79991234567"), "482913",
                Instant.parse("2026-11-22T10:02:00Z"), Duration.ofMinutes(2), Locale.ENGLISH, "482913 is your Acme code.");

        String s = m.toString();

        assertFalse(s.contains("482913"), s);
        assertFalse(s.contains("+79991234567"), s);
        assertEquals("OtpMessage[requestId=" + id + ", widgetId=" + id + ", widgetName=Acme, recipient=Recipient[phone=+7******4567], "
                + "code=<redacted>, expiresAt=2026-11-22T10:02:00Z, ttl=PT2M, locale=en, text=<redacted>]", s);
        assertEquals("code", assertThrows(NullPointerException.class, () -> new OtpMessage(id, id, "Acme",
                Recipient.ofPhone("+79991234567"), null, Instant.EPOCH, Duration.ZERO, Locale.ENGLISH, "")).getMessage());
    }

    @Test
    void deliveryReceipt_copiesAttributesAndAllowsNoProviderId() {
        Map<String, String> attributes = new HashMap<>(Map.of("sms.segments", "2"));
        DeliveryReceipt r = new DeliveryReceipt("sms", null, Instant.EPOCH, attributes);
        attributes.clear();

        assertEquals(Map.of("sms.segments", "2"), r.attributes());
        assertNull(r.providerMessageId());
        assertEquals(Map.of(), new DeliveryReceipt("sms", "SM1", Instant.EPOCH).attributes());
        assertEquals("acceptedAt", assertThrows(NullPointerException.class,
                () -> new DeliveryReceipt("sms", "SM1", null)).getMessage());
    }

    @Test
    void deliveryException_saysWhetherToRetry() {
        IllegalStateException cause = new IllegalStateException("io");

        assertTrue(DeliveryException.retryable("timeout").isRetryable());
        assertTrue(DeliveryException.retryable("timeout", cause).isRetryable());
        assertFalse(DeliveryException.permanent("rejected").isRetryable());
        DeliveryException permanent = DeliveryException.permanent("rejected", cause);
        assertFalse(permanent.isRetryable());
        assertEquals(cause, permanent.getCause());
        assertEquals("rejected", permanent.getMessage());
    }
}
