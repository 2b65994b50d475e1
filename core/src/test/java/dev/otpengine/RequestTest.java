package dev.otpengine;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RequestTest {

    @Test
    void sendRequest_badFields_throwInvalidRequestNamingFieldAndMaskingValue() {
        SendRequest.Builder b = SendRequest.builder(WIDGET_ID);

        InvalidRequestException phone = assertThrows(InvalidRequestException.class, () -> b.phone("89991234567"));
        assertEquals("phone", phone.field());
        assertEquals("phone must be in E.164 format, a + and 7 to 15 digits such as +12025550162", phone.getMessage());

        InvalidRequestException email = assertThrows(InvalidRequestException.class, () -> b.email("ann.example.com"));
        assertEquals("email", email.field());
        assertEquals("email must be an address such as ann@example.com", email.getMessage());

        InvalidRequestException ip = assertThrows(InvalidRequestException.class, () -> b.userIp("example.com"));
        assertEquals("userIp must be an IPv4 or IPv6 address such as 203.0.113.7 or 2001:db8::7", ip.getMessage());

        InvalidRequestException custom = assertThrows(InvalidRequestException.class, () -> b.address("telegram", "a\nb"));
        assertEquals("telegram", custom.field());

        assertEquals("widgetId is required",
                assertThrows(InvalidRequestException.class, () -> SendRequest.builder(null)).getMessage());
    }

    @Test
    void sendRequest_withoutAddress_throwsInvalidRequestForRecipient() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> SendRequest.builder(WIDGET_ID).build());

        assertEquals("recipient", e.field());
        assertEquals("recipient is required: set phone, email or address(kind, value)", e.getMessage());
    }

    @Test
    void sendRequest_nullClearsAField() {
        SendRequest r = SendRequest.builder(WIDGET_ID).phone("+12025550162").email("a@example.com").email(null)
                .userIp(null).captchaToken(null).locale(null).build();

        assertEquals(Map.of("phone", "+12025550162"), r.recipient().addresses());
        assertTrue(r.userIp().isEmpty());
        assertTrue(r.captchaToken().isEmpty());
        assertTrue(r.locale().isEmpty());
    }

    @Test
    void sendRequest_customAddress_isKeptForCustomChannels() {
        SendRequest r = SendRequest.builder(WIDGET_ID).address("telegram", "@ann_smith").build();

        assertEquals("@ann_smith", r.recipient().address("telegram").orElseThrow());
    }

    @Test
    void sendRequest_toString_masksAddressesAndHidesToken() {
        SendRequest r = SendRequest.builder(WIDGET_ID).phone("+79991234567").email("ann@example.com")
                .userIp("203.0.113.7").captchaToken("secret-token").locale(Locale.ENGLISH).build();

        assertEquals("SendRequest[widgetId=" + WIDGET_ID + ", recipient=Recipient[phone=+7******4567, email=a***@example.com], "
                + "userIp=203.0.113.0/24, captchaToken=<redacted>, locale=en]", r.toString());
    }

    @Test
    void verifyRequest_normalizesCodeAndHidesItInToString() {
        UUID id = UUID.randomUUID();
        VerifyRequest r = VerifyRequest.builder(id, " ab-12 3 ").build();

        assertEquals("AB123", r.code());
        assertEquals("VerifyRequest[requestId=" + id + ", code=<redacted>, userIp=null]", r.toString());
    }
}
