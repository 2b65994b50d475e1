package dev.otpengine.channels.voice;

import dev.otpengine.spi.ScriptedHttpServer;

import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.spi.DeliveryException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every Twilio error code the voice channel maps, answered by the scripted Twilio as Twilio documents it. */
final class TwilioCallErrorsTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private VoiceChannel channel;

    /** Each mapped code with its HTTP status, whether another try may work, and what the ERROR line names (or -). */
    static Stream<Arguments> codes() {
        return Stream.of(
                row(400, 21211, false, "-"), row(400, 21214, false, "-"), row(400, 21216, false, "-"),
                row(400, 21217, false, "-"), row(400, 13223, false, "-"), row(400, 13224, false, "-"),
                row(429, 20429, true, "-"), row(500, 20500, true, "-"), row(503, 20503, true, "-"),
                row(401, 20003, true, "voice.twilio.authToken"), row(401, 20005, true, "voice.twilio.accountSid"),
                row(404, 20404, true, "voice.twilio.accountSid"), row(400, 21210, true, "voice.twilio.from"),
                row(400, 21212, true, "voice.twilio.from"), row(400, 21213, true, "voice.twilio.from"),
                row(400, 21215, true, "Geographic Permissions"), row(400, 21219, true, "voice.twilio.accountSid"),
                row(400, 21205, true, "voice.twilio.statusCallbackUrl"));
    }

    private static Arguments row(int status, int code, boolean retryable, String named) {
        return Arguments.of(status, code, retryable, named);
    }

    static String error(int code, int status) {
        return "{\"code\":" + code + ",\"message\":\"The number +442071838750 is bad\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}";
    }

    @BeforeEach
    void open() {
        SERVER.reset(201, VoiceChannelTest.QUEUED);
        channel = VoiceChannelTest.channel(VoiceChannelTest.settings(SERVER));
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    private DeliveryException refused() {
        return assertThrows(DeliveryException.class, () -> VoiceChannelTest.deliver(channel,
                VoiceChannelTest.message("Acme", "123456", Locale.ENGLISH)));
    }

    private static List<String> errorLines(int mark) {
        return CapturedLogs.since(mark).stream().filter(l -> l.startsWith("ERROR ")).collect(Collectors.toList());
    }

    @Test
    void codes_coverEveryCodeTheChannelMaps() {
        Set<Integer> tested = codes().map(a -> (Integer) a.get()[1]).collect(Collectors.toSet());

        assertEquals(TwilioCallErrors.CODES.keySet(), tested);
    }

    @ParameterizedTest(name = "HTTP {0}, error {1}: retryable {2}, names {3}")
    @MethodSource("codes")
    void deliver_documentedError_isClassifiedByWhoseFaultItIs(int status, int code, boolean retryable, String named) {
        SERVER.reset(status, error(code, status));
        int mark = CapturedLogs.mark();

        DeliveryException e = refused();

        assertEquals(retryable, e.isRetryable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("twilio answered HTTP " + status + " with error " + code + " ("),
                e.getMessage());
        assertFalse(e.getMessage().contains("442071838750"), "never Twilio's message, which quotes the number");
        List<String> errors = errorLines(mark);
        if (named.equals("-")) {
            assertTrue(errors.isEmpty(), errors.toString());
        } else {
            assertTrue(e.getMessage().contains(named), e.getMessage());
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains(named), errors.get(0));
        }
    }

    @Test
    void deliver_badCredentialsManyTimes_logsOneError() {
        SERVER.reset(401, error(20003, 401));
        int mark = CapturedLogs.mark();

        for (int i = 0; i < 3; i++) {
            refused();
        }

        List<String> errors = errorLines(mark);
        assertEquals(List.of("ERROR dev.otpengine.channels.voice.VoiceChannel - voice channel: twilio answered HTTP 401 "
                + "with error 20003 (authentication failed): check voice.twilio.accountSid and voice.twilio.authToken; "
                + "every call fails alike until it is fixed"), errors);
        assertFalse(errors.get(0).contains("token-xyz"));
    }

    @Test
    void deliver_invalidNumber_isPermanent() {
        SERVER.reset(400, error(21211, 400));

        DeliveryException e = refused();

        assertFalse(e.isRetryable());
        assertEquals("twilio answered HTTP 400 with error 21211 (invalid 'To' phone number)", e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} {1}: retryable {2}")
    @CsvSource(delimiter = '|', value = {
            "503|<html>Service Unavailable</html>|true|twilio answered HTTP 503",
            "500|{\"code\":21211,\"status\":500}|true|twilio answered HTTP 500 with error 21211 (invalid 'To' phone number)",
            "429|{}|true|twilio answered HTTP 429",
            "401|''|true|twilio answered HTTP 401",
            "403|{\"code\":99999}|true|twilio answered HTTP 403 with error 99999",
            "400|{\"code\":99999}|false|twilio answered HTTP 400 with error 99999",
            "404|<html>Not Found</html>|false|twilio answered HTTP 404"})
    void deliver_answerWithoutAListedCode_followsTheStatus(int status, String body, boolean retryable, String message) {
        SERVER.reset(status, body);

        DeliveryException e = refused();

        assertEquals(retryable, e.isRetryable());
        assertEquals(message, e.getMessage());
    }
}
