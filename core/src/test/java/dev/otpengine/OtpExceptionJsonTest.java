package dev.otpengine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every exception renders the seed's error shape {"type":…,"message":…,"httpStatus":…}. */
final class OtpExceptionJsonTest {

    private static final UUID ID = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    @Test
    void toJson_everyException_matchesSeedShape() {
        assertEquals("{\"type\":\"NoAvailableChannelsException\",\"message\":\"no channel of widget " + ID
                + " can reach this recipient; start the authentication again\",\"httpStatus\":400}",
                new NoAvailableChannelsException(ID).toJson());
        assertEquals("{\"type\":\"CaptchaNotConfirmedException\",\"message\":\"captcha is not confirmed for widget " + ID
                + ": no captcha token was given\",\"httpStatus\":400}",
                new CaptchaNotConfirmedException(ID, "no captcha token was given").toJson());
        assertEquals("{\"type\":\"WidgetIsBlockedException\",\"message\":\"widget " + ID
                + " is blocked; contact support\",\"httpStatus\":403}", new WidgetIsBlockedException(ID).toJson());
        assertEquals("{\"type\":\"ForbiddenException\",\"message\":\"forbidden\",\"httpStatus\":403}",
                new CommonForbiddenException().toJson());
        assertEquals("{\"type\":\"WidgetNotFoundException\",\"message\":\"widget not found: " + ID + "\",\"httpStatus\":404}",
                new WidgetNotFoundException(ID).toJson());
        assertEquals("{\"type\":\"RateLimitException\",\"message\":\"too many requests (resend cooldown limit); retry after 31 s\","
                + "\"httpStatus\":429}", new RateLimitException(RateLimitException.Scope.RESEND_COOLDOWN,
                Duration.ofMillis(30_001)).toJson());
        assertEquals("{\"type\":\"InternalServerErrorException\",\"message\":\"internal server error\",\"httpStatus\":500}",
                new InternalServerErrorException(new IllegalStateException("x")).toJson());
        assertEquals("{\"type\":\"NoConnectionException\",\"message\":\"no channel of widget " + ID
                + " could deliver the code; try again later\",\"httpStatus\":503}", new NoConnectionException(ID, List.of()).toJson());
        NoConnectionException refused = new NoConnectionException(ID, List.of(new Delivery("sms",
                Delivery.Status.FAILED_PERMANENT, null, "twilio answered HTTP 400 with error 21211 (invalid 'To' number)"),
                new Delivery("email", Delivery.Status.FAILED_PERMANENT, null, "mailbox unknown")));
        assertEquals(true, refused.recipientRefused());
        assertEquals("{\"type\":\"NoConnectionException\",\"message\":\"no channel of widget " + ID + " could deliver "
                + "the code: every channel refused this recipient for good; use another phone or email\",\"httpStatus\""
                + ":503}", refused.toJson());
        assertEquals(false, new NoConnectionException(ID, List.of(new Delivery("sms", Delivery.Status.FAILED_PERMANENT,
                null, "invalid"), new Delivery("email", Delivery.Status.FAILED_RETRYABLE, null, "timed out")))
                .recipientRefused(), "one channel may deliver on another try");
        assertEquals(false, new NoConnectionException(ID, List.of()).recipientRefused());
        assertEquals("{\"type\":\"InvalidRequestException\",\"message\":\"code must be 4 to 10 letters or digits\",\"httpStatus\":400}",
                new InvalidRequestException("code", "code must be 4 to 10 letters or digits").toJson());
    }

    @Test
    void toJson_escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("{\"type\":\"ForbiddenException\",\"message\":\"say \\\"no\\\" \\\\ \\n\\t\\u0001\\u2028\",\"httpStatus\":403}",
                new CommonForbiddenException("say \"no\" \\ \n\t\u0001\u2028").toJson());
    }

    @Test
    void rateLimitException_carriesScopeAndRetryAfter() {
        RateLimitException e = new RateLimitException(RateLimitException.Scope.IP, Duration.ofSeconds(7));

        assertEquals(RateLimitException.Scope.IP, e.scope());
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertEquals(7, e.retryAfterSeconds());
        assertEquals(8, new RateLimitException(RateLimitException.Scope.IP, Duration.ofSeconds(7).plusNanos(1))
                .retryAfterSeconds());
        assertEquals(0, new RateLimitException(RateLimitException.Scope.IP, Duration.ZERO).retryAfterSeconds());
        assertEquals(429, e.httpStatus());
        assertEquals("RateLimitException", e.type());
        assertEquals(0, e.getStackTrace().length);
        assertEquals("retryAfter must not be negative: PT-1S", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new RateLimitException(RateLimitException.Scope.IP, Duration.ofSeconds(-1))).getMessage());
    }
}
