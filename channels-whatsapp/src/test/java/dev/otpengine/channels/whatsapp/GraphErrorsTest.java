package dev.otpengine.channels.whatsapp;

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

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every Graph API error code the channel maps, answered by the scripted Cloud API as Meta documents it. */
final class GraphErrorsTest {

    private static final ScriptedHttpServer SERVER = new ScriptedHttpServer();

    private WhatsAppChannel channel;

    /**
     * Each mapped code with the HTTP status Meta documents for it, whether another try may work, and the setting at
     * fault ({@code -} for a refusal of one message).
     */
    static Stream<Arguments> codes() {
        return Stream.of(
                row(401, 0, false, "accessToken"), row(500, 3, false, "accessToken"), row(403, 10, false, "accessToken"),
                row(401, 190, false, "accessToken"), row(403, 200, false, "accessToken"),
                row(403, 250, false, "accessToken"), row(403, 299, false, "accessToken"),
                row(403, 131005, false, "accessToken"),
                row(400, 4, true, "-"), row(400, 80007, true, "-"), row(400, 130429, true, "-"),
                row(400, 131048, true, "-"), row(400, 131056, true, "-"),
                row(400, 1, true, "-"), row(503, 2, true, "-"), row(500, 131000, true, "-"), row(503, 131016, true, "-"),
                row(500, 131057, true, "-"), row(503, 133004, true, "-"),
                row(400, 33, false, "phoneNumberId"), row(403, 368, false, "phoneNumberId"),
                row(403, 131031, false, "phoneNumberId"), row(400, 131037, false, "phoneNumberId"),
                row(400, 131042, false, "phoneNumberId"), row(400, 133010, false, "phoneNumberId"),
                row(400, 131008, false, "template"), row(400, 132000, false, "template"),
                row(404, 132001, false, "template"), row(400, 132005, false, "template"),
                row(400, 132007, false, "template"), row(400, 132012, false, "template"),
                row(400, 132015, false, "template"), row(400, 132016, false, "template"),
                row(400, 100, false, "-"), row(400, 131009, false, "-"), row(400, 131021, false, "-"),
                row(400, 131026, false, "-"), row(400, 131030, false, "-"), row(403, 130497, false, "-"));
    }

    private static Arguments row(int status, int code, boolean retryable, String setting) {
        return Arguments.of(status, code, retryable, setting);
    }

    static String error(int code) {
        return "{\"error\":{\"message\":\"(#" + code + ") Title\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"+5511987654321 says no\"},"
                + "\"fbtrace_id\":\"AbCdEf\"}}";
    }

    @BeforeEach
    void open() {
        SERVER.reset(200, WhatsAppChannelTest.ACCEPTED);
        java.util.Map<String, String> s = WhatsAppChannelTest.settings();
        s.put("whatsapp.baseUrl", SERVER.url());
        channel = WhatsAppChannelTest.channel(s);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    private DeliveryException refused(String tag) {
        return assertThrows(DeliveryException.class, () -> WhatsAppChannelTest.deliver(channel,
                WhatsAppChannelTest.message("123456", Locale.forLanguageTag(tag))));
    }

    private static List<String> errorLines(int mark) {
        return CapturedLogs.since(mark).stream().filter(l -> l.startsWith("ERROR ")).collect(Collectors.toList());
    }

    @Test
    void codes_coverEveryDocumentedCodeTheChannelMaps() {
        Set<Integer> tested = codes().map(a -> (Integer) a.get()[1]).collect(Collectors.toSet());

        assertTrue(tested.containsAll(GraphErrors.CODES.keySet()),
                "untested: " + new HashSet<>(GraphErrors.CODES.keySet()).removeAll(tested));
    }

    @ParameterizedTest(name = "HTTP {0}, error {1}: retryable {2}, setting {3}")
    @MethodSource("codes")
    void deliver_documentedError_isClassifiedByWhoseFaultItIs(int status, int code, boolean retryable, String setting) {
        SERVER.reset(status, error(code));
        int mark = CapturedLogs.mark();

        DeliveryException e = refused("en");

        assertEquals(retryable, e.isRetryable(), e.getMessage());
        assertTrue(e.getMessage().startsWith("whatsapp answered HTTP " + status + " with error " + code + " ("),
                e.getMessage());
        assertFalse(e.getMessage().contains("5511987654321"), "never the vendor's details, which may quote the number");
        List<String> errors = errorLines(mark);
        if (setting.equals("-")) {
            assertTrue(errors.isEmpty(), errors.toString());
        } else {
            assertTrue(e.getMessage().contains("check whatsapp." + setting), e.getMessage());
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains("whatsapp." + setting), errors.get(0));
            assertFalse(errors.get(0).contains("5511987654321"), errors.get(0));
        }
    }

    @Test
    void deliver_notOnWhatsApp_isPermanentSoFallbackMovesOn() {
        SERVER.reset(400, error(131026));

        DeliveryException e = refused("en");

        assertFalse(e.isRetryable());
        assertEquals("whatsapp answered HTTP 400 with error 131026 (message undeliverable: not a WhatsApp user, or an old "
                + "app)", e.getMessage());
    }

    @Test
    void deliver_badTokenManyTimes_logsOneErrorNamingTheSetting() {
        SERVER.reset(401, error(190));
        int mark = CapturedLogs.mark();

        for (int i = 0; i < 3; i++) {
            refused("en");
        }

        List<String> errors = errorLines(mark);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("ERROR dev.otpengine.channels.whatsapp.WhatsAppChannel - whatsapp answered HTTP 401 with error 190 "
                + "(access token has expired): check whatsapp.accessToken: a valid system user token with the "
                + "whatsapp_business_messaging permission; every whatsapp send fails alike until it is fixed", errors.get(0));
        assertFalse(errors.get(0).contains("EAAJBtoken"), "never the token");
    }

    @Test
    void deliver_templateMissingInTwoLanguages_logsOneErrorPerLanguage() {
        SERVER.reset(404, error(132001));
        int mark = CapturedLogs.mark();

        refused("pt-BR");
        refused("pt-BR");
        DeliveryException e = refused("ja");
        refused("ja");

        List<String> errors = errorLines(mark);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("template otp_code must be an approved authentication template with a copy-code "
                + "button in language pt_BR"), errors.get(0));
        assertTrue(errors.get(1).contains("in language ja"), errors.get(1));
        assertEquals("whatsapp answered HTTP 404 with error 132001 (template does not exist in this language): check "
                + "whatsapp.template: template otp_code must be an approved authentication template with a copy-code "
                + "button in language ja (or map the locale to another language with whatsapp.language.<tag>)",
                e.getMessage());
    }

    @Test
    void deliver_unsupportedPostForThePhoneNumberId_namesThePhoneNumberId() {
        SERVER.reset(400, "{\"error\":{\"message\":\"Unsupported post request.\",\"type\":\"GraphMethodException\","
                + "\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"x\"}}");

        DeliveryException e = refused("en");

        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().startsWith("whatsapp answered HTTP 400 with error 100 (no such phone number id): check "
                + "whatsapp.phoneNumberId"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} {1}: retryable {2}")
    @CsvSource(delimiter = '|', value = {
            "503|<html>Service Unavailable</html>|true|whatsapp answered HTTP 503 (no documented code)",
            "502|''|true|whatsapp answered HTTP 502 (no documented code)",
            "429|{}|true|whatsapp answered HTTP 429 (no documented code)",
            "400|{\"error\":{\"code\":999999}}|false|whatsapp answered HTTP 400 with error 999999",
            "404|<html>Not Found</html>|false|whatsapp answered HTTP 404",
            "500|{\"error\":{\"code\":999999}}|true|whatsapp answered HTTP 500 with error 999999 (no documented code)"})
    void deliver_answerWithoutADocumentedCode_followsTheStatus(int status, String body, boolean retryable,
                                                                String message) {
        SERVER.reset(status, body);

        DeliveryException e = refused("en");

        assertEquals(retryable, e.isRetryable());
        assertEquals(message, e.getMessage());
    }

    @Test
    void deliver_unauthorizedWithoutACode_isTheTokensFault() {
        SERVER.reset(401, "Unauthorized");

        DeliveryException e = refused("en");

        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().startsWith("whatsapp answered HTTP 401 (unauthorized): check whatsapp.accessToken"),
                e.getMessage());
    }
}
