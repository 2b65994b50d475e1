package dev.otpengine.channels.sms;

import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.otpengine.channels.sms.ScriptedVendors.TWILIO;
import static dev.otpengine.channels.sms.ScriptedVendors.TWILIO_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE;
import static dev.otpengine.channels.sms.ScriptedVendors.VONAGE_OK;
import static dev.otpengine.channels.sms.ScriptedVendors.deliver;
import static dev.otpengine.channels.sms.ScriptedVendors.settings;
import static dev.otpengine.channels.sms.ScriptedVendors.twilioError;
import static dev.otpengine.channels.sms.ScriptedVendors.vonageStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Gateways in order against scripted Twilio and Vonage: the same text goes to the next gateway on the gateway's
 * fault, never on the message's, for every code mapped.
 */
final class FailoverTest {

    private static final RecordingHttpServer server = new RecordingHttpServer();

    /** Every Twilio code mapped, with the HTTP status Twilio sends it with and whether it is the gateway's fault. */
    static final List<Arguments> TWILIO_CODES = List.of(
            Arguments.of(20003, 401, true, "authentication failed"),
            Arguments.of(20005, 403, true, "account not active"),
            Arguments.of(20404, 404, true, "resource not found"),
            Arguments.of(20429, 429, true, "too many requests"),
            Arguments.of(20500, 500, true, "internal server error"),
            Arguments.of(20503, 503, true, "service unavailable"),
            Arguments.of(21212, 400, true, "invalid 'From' number"),
            Arguments.of(21401, 400, true, "invalid sender phone number"),
            Arguments.of(21408, 400, true, "account not permitted to send to the region"),
            Arguments.of(21606, 400, true, "'From' number cannot send to this destination"),
            Arguments.of(21608, 400, true, "trial account may only send to verified numbers"),
            Arguments.of(21611, 400, true, "'From' number has too many queued messages"),
            Arguments.of(21612, 400, true, "no route for this 'To' and 'From'"),
            Arguments.of(21659, 400, true, "'From' is not a Twilio number of the account"),
            Arguments.of(21211, 400, false, "invalid 'To' number"),
            Arguments.of(21407, 400, false, "number type does not support sms"),
            Arguments.of(21610, 400, false, "recipient unsubscribed (stop)"),
            Arguments.of(21614, 400, false, "'To' is not a mobile number"),
            Arguments.of(21617, 400, false, "text longer than 1600 characters"),
            Arguments.of(21635, 400, false, "'To' is a landline"));

    /** Every Vonage status documented, whether it is the gateway's fault, and its meaning. */
    static final List<Arguments> VONAGE_STATUSES = List.of(
            Arguments.of(1, true, "throttled"),
            Arguments.of(2, true, "missing parameters"),
            Arguments.of(3, true, "invalid parameters"),
            Arguments.of(4, true, "invalid credentials"),
            Arguments.of(5, true, "internal error"),
            Arguments.of(8, true, "partner account barred"),
            Arguments.of(9, true, "partner quota violation"),
            Arguments.of(10, true, "too many existing binds"),
            Arguments.of(11, true, "account not enabled for http"),
            Arguments.of(14, true, "invalid signature"),
            Arguments.of(15, true, "invalid sender address"),
            Arguments.of(22, true, "invalid network code"),
            Arguments.of(23, true, "invalid callback url"),
            Arguments.of(29, true, "non-whitelisted destination"),
            Arguments.of(32, true, "signature and api secret disallowed"),
            Arguments.of(6, false, "invalid message"),
            Arguments.of(7, false, "number barred"),
            Arguments.of(12, false, "message too long"),
            Arguments.of(33, false, "number de-activated"));

    private SmsChannel channel;

    static Stream<Arguments> twilioCodes() {
        return TWILIO_CODES.stream();
    }

    static Stream<Arguments> vonageStatuses() {
        return VONAGE_STATUSES.stream();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    private SmsChannel channel(Map<String, String> settings) {
        channel = ScriptedVendors.channel(settings, Clock.systemUTC());
        return channel;
    }

    private static OtpMessage message() {
        return HttpGatewaysTest.message("123456 is your Acme code");
    }

    @Test
    void codeTables_everyMappedCodeIsTested() {
        assertEquals(TwilioErrors.CODES.keySet(), TWILIO_CODES.stream().map(a -> (Integer) a.get()[0])
                .collect(Collectors.toSet()));
        assertEquals(VonageStatuses.STATUSES.keySet(), VONAGE_STATUSES.stream().map(a -> (Integer) a.get()[0])
                .collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @MethodSource("twilioCodes")
    void twilioCode_failsOverToVonage_onlyWhenItIsTheGatewaysFault(int code, int status, boolean gateways,
                                                                  String meaning) throws Exception {
        server.answering(TWILIO, status, twilioError(code, status)).answering(VONAGE, 200, VONAGE_OK);
        channel(settings(server, "twilio,vonage"));

        if (gateways) {
            DeliveryReceipt receipt = deliver(channel, message());
            assertEquals("vonage", receipt.attributes().get("gateway"));
            assertEquals(1, server.requests(VONAGE).size());
        } else {
            DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message()));
            assertEquals(false, e.isRetryable());
            assertEquals("twilio answered HTTP " + status + " with error " + code + " (" + meaning + ")", e.getMessage());
            assertEquals(0, server.requests(VONAGE).size());
        }
        assertEquals(1, server.requests(TWILIO).size());
    }

    @ParameterizedTest
    @MethodSource("vonageStatuses")
    void vonageStatus_failsOverToTwilio_onlyWhenItIsTheGatewaysFault(int status, boolean gateways, String meaning)
            throws Exception {
        server.answering(VONAGE, 200, vonageStatus(status)).answering(TWILIO, 201, TWILIO_OK);
        channel(settings(server, "vonage,twilio"));

        if (gateways) {
            DeliveryReceipt receipt = deliver(channel, message());
            assertEquals("twilio", receipt.attributes().get("gateway"));
            assertEquals("SM0123456789abcdef0123456789abcdef", receipt.providerMessageId());
            assertEquals(1, server.requests(TWILIO).size());
        } else {
            DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message()));
            assertEquals(false, e.isRetryable());
            assertEquals(0, server.requests(TWILIO).size());
        }
        assertEquals(1, server.requests(VONAGE).size());
    }

    @ParameterizedTest
    @MethodSource("vonageStatuses")
    void vonageStatus_alone_failsWithItsMeaning_retryableWhenTheGatewaysFault(int status, boolean gateways,
                                                                             String meaning) {
        server.answering(VONAGE, 200, vonageStatus(status));
        channel(settings(server, "vonage"));

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message()));

        assertEquals(gateways, e.isRetryable());
        assertEquals("vonage answered status " + status + " (" + meaning + ")", e.getMessage());
    }

    @Test
    void unknownCodes_twilio4xxStaysTheMessagesFault_vonageIsTheGatewaysFault() {
        server.answering(TWILIO, 400, twilioError(21999, 400)).answering(VONAGE, 200, vonageStatus(99));
        channel(settings(server, "twilio"));
        DeliveryException twilio = assertThrows(DeliveryException.class, () -> deliver(channel, message()));
        assertEquals(false, twilio.isRetryable());
        assertEquals("twilio answered HTTP 400 with error 21999", twilio.getMessage());
        channel.close();

        channel(settings(server, "vonage"));
        DeliveryException vonage = assertThrows(DeliveryException.class, () -> deliver(channel, message()));
        assertEquals(true, vonage.isRetryable());
        assertEquals("vonage answered status 99", vonage.getMessage());
    }

    @Test
    void twilio401WithoutACode_isTheGatewaysFault_badCredentials() throws Exception {
        server.answering(TWILIO, 401, "Unauthorized").answering(VONAGE, 200, VONAGE_OK);
        channel(settings(server, "twilio,vonage"));

        assertEquals("vonage", deliver(channel, message()).attributes().get("gateway"));
    }

    @Test
    void healthyPrimary_costsExactlyOneGatewayCallPerSend() throws Exception {
        server.answering(TWILIO, 201, TWILIO_OK).answering(VONAGE, 200, VONAGE_OK);
        channel(settings(server, "twilio,vonage"));

        for (int i = 0; i < 5; i++) {
            assertEquals("twilio", deliver(channel, message()).attributes().get("gateway"));
        }

        assertEquals(5, server.requests(TWILIO).size());
        assertEquals(5, server.requests().size());
    }

    @Test
    void primaryTimesOut_theSameTextGoesToTheNext() throws Exception {
        server.hanging(TWILIO).answering(VONAGE, 200, VONAGE_OK);
        Map<String, String> s = settings(server, "twilio,vonage");
        s.put("sms.timeout", "200ms");
        channel(s);
        OtpMessage m = message();

        DeliveryReceipt receipt = deliver(channel, m);

        assertEquals("vonage", receipt.attributes().get("gateway"));
        assertEquals("0A0000000123ABCD1", receipt.providerMessageId());
        assertEquals(server.requests(TWILIO).get(0).form().get("Body"), server.requests(VONAGE).get(0).form().get("text"));
        assertEquals(m.requestId().toString(), server.requests(VONAGE).get(0).form().get("client-ref"));
    }

    @Test
    void primaryUnreachable_theNextTakesIt() throws Exception {
        server.answering(VONAGE, 200, VONAGE_OK);
        Map<String, String> s = settings(server, "twilio,vonage");
        s.put("sms.twilio.baseUrl", "http://127.0.0.1:1");
        channel(s);

        assertEquals("vonage", deliver(channel, message()).attributes().get("gateway"));
    }

    @Test
    void everyGatewayDown_failsRetryably_namingEachFailure() {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, vonageStatus(5));
        channel(settings(server, "twilio,vonage"));

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message()));

        assertEquals(true, e.isRetryable());
        assertEquals("every sms gateway failed: twilio answered HTTP 503; vonage answered status 5 (internal error)",
                e.getMessage());
    }

    @Test
    void nextGatewayBlamesTheNumber_afterThePrimarysFault_isPermanent() {
        server.answering(TWILIO, 503, "").answering(VONAGE, 200, vonageStatus(7));
        channel(settings(server, "twilio,vonage"));

        DeliveryException e = assertThrows(DeliveryException.class, () -> deliver(channel, message()));

        assertEquals(false, e.isRetryable());
        assertEquals("vonage answered status 7 (number barred)", e.getMessage());
    }

    @Test
    void gatewayNames_areReadInOrder_caseAndSpacesAside() throws Exception {
        server.answering(TWILIO, 201, TWILIO_OK).answering(VONAGE, 200, VONAGE_OK);
        channel(settings(server, " Vonage , TWILIO "));

        assertEquals("vonage", deliver(channel, message()).attributes().get("gateway"));
        assertEquals(List.of("circuit.vonage", "circuit.twilio"), List.copyOf(channel.health().keySet()));
        assertEquals(Set.of(VONAGE), server.requests().stream().map(RecordingHttpServer.Request::path)
                .collect(Collectors.toSet()));
    }
}
