package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A message about bad input names the field and never repeats the value: swapped arguments would put a code or a
 * phone there, and a value's CR or LF would split a log line or a JSON body.
 */
final class BadInputEchoTest {

    private static final String CODE = "481516";
    private static final String PHONE = "+12025550188";

    private static void assertEchoesNothing(InvalidRequestException e, String field, String... secrets) {
        assertEquals(field, e.field());
        for (String text : List.of(e.getMessage(), e.toString(), e.toJson())) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), text);
            }
            assertFalse(text.contains("\r") || text.contains("\n"), text);
        }
    }

    private static InvalidRequestException refused(Supplier<?> call) {
        return assertThrows(InvalidRequestException.class, call::get);
    }

    @Test
    void swappedArguments_neverEchoTheCodeOrThePhone() {
        try (OtpEngine engine = OtpEngine.builder().clock(TestClock.atFixedStart()).channel(CapturingChannel.sms())
                .widget(widget().build()).build()) {
            // verify(requestId, code) called as verify(code, requestId)
            assertEchoesNothing(refused(() -> engine.verify(CODE, WIDGET_ID.toString())), "requestId", CODE);
            // send(widgetId, recipient, userIp) with the phone where the widget id goes, and as the IP
            assertEchoesNothing(refused(() -> engine.send(PHONE, WIDGET_ID.toString(), null)), "widgetId", PHONE, "5550188");
            assertEchoesNothing(refused(() -> engine.send(WIDGET_ID.toString(), "ann@example.com", PHONE)), "userIp",
                    PHONE, "5550188");
        }
    }

    @Test
    void malformedAddresses_neverEchoTheirText_norItsLineBreaks() {
        SendRequest.Builder b = SendRequest.builder(WIDGET_ID);
        assertEchoesNothing(refused(() -> b.email("victim@corp.test\r\nBcc: all@corp.test@")), "email",
                "Bcc", "corp.test");
        assertEchoesNothing(refused(() -> b.phone("+1202555018\r\nX-Injected")), "phone", "555018", "Injected");
        assertEchoesNothing(refused(() -> b.userIp("203.0.113.7\r\nX-Injected: 1")), "userIp", "Injected");
        // a malformed kind: the field is "kind", never the text given as one (a phone passed by mistake, a CR/LF)
        assertEchoesNothing(refused(() -> b.address("chat\r\nX-Injected: 1", "@ann")), "kind", "Injected");
        assertEchoesNothing(refused(() -> b.address(PHONE, "x")), "kind", PHONE, "5550188");
    }
}
