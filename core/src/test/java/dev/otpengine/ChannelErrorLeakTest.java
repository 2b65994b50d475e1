package dev.otpengine;

import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leaks of issue 29's review, with its own inputs: a custom channel that fails with the recipient's email in
 * another case, or the code encoded as hex, base64, {@code \xNN} or {@code %uNNNN}, must not get either past the
 * redaction into {@link Delivery#error()}, the {@link OtpEvent.DeliveryFailed} event or the log.
 */
final class ChannelErrorLeakTest {

    private static final String VICTIM = "victim.person@example.org";

    private final TestClock clock = TestClock.atFixedStart();

    /** What a send saw of the failing channel's error text: the delivery's error, the event's, the log lines. */
    private record Seen(String code, String error, String eventError, List<String> log) {

        List<String> all() {
            List<String> all = new ArrayList<>(log);
            all.add(error);
            all.add(eventError);
            return all;
        }
    }

    /** One send to {@link #VICTIM} through a channel {@code chat} that fails with the text made of the message. */
    private Seen send(Function<OtpMessage, String> errorText) {
        return send(errorText, false);
    }

    /**
     * One send to {@link #VICTIM}, as an email or, if {@code chatAddress}, as the custom address {@code chat} alone,
     * through a channel {@code chat} that fails with the text made of the message and one that accepts.
     */
    private Seen send(Function<OtpMessage, String> errorText, boolean chatAddress) {
        List<OtpEvent.DeliveryFailed> failed = new CopyOnWriteArrayList<>();
        CapturingChannel chat = CapturingChannel.reaching("chat", r -> true)
                .answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent(errorText.apply(m))));
        CapturingChannel other = CapturingChannel.reaching("other", r -> true);
        int mark = CapturedLogs.mark();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(chat).channel(other)
                .rateLimits(RateLimits.unlimited())
                .listener(new OtpListener() {
                    @Override
                    public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
                        failed.add(event);
                    }
                })
                .widget(widget().channels("chat", "other").build()).build()) {
            SendRequest.Builder request = SendRequest.builder(WIDGET_ID);
            SendResult result = engine.send((chatAddress ? request.address("chat", VICTIM) : request.email(VICTIM)).build());
            Delivery refused = result.deliveries().stream().filter(d -> d.channelId().equals("chat")).findFirst()
                    .orElseThrow();
            assertEquals(1, failed.size());
            return new Seen(chat.lastCode().orElseThrow(), refused.error(), failed.get(0).delivery().error(),
                    CapturedLogs.since(mark));
        }
    }

    private static void assertNoCode(Seen seen, String... spellings) {
        for (String text : seen.all()) {
            assertFalse(text.contains(seen.code()), text);
            for (String spelling : spellings) {
                assertFalse(text.contains(spelling), spelling + " in " + text);
            }
        }
    }

    private static String hex(String code) {
        return HexFormat.of().formatHex(code.getBytes(StandardCharsets.US_ASCII));
    }

    private static String escaped(String code, String format) {
        StringBuilder out = new StringBuilder();
        code.chars().forEach(c -> out.append(String.format(Locale.ROOT, format, c)));
        return out.toString();
    }

    @Test
    void channelError_emailInAnotherCase_isMaskedEverywhere() {
        Seen seen = send(m -> "550 5.1.1 <Victim.Person@Example.org>: mailbox unavailable; rcpt VICTIM.PERSON@EXAMPLE.ORG");

        assertEquals("550 5.1.1 <v***@example.org>: mailbox unavailable; rcpt v***@example.org", seen.error());
        assertNoVictim(seen);
    }

    @Test
    void channelError_customAddressInAnotherCase_isMaskedEverywhere() {
        Seen seen = send(m -> "chat user Victim.Person@Example.org not found (victim.person%40EXAMPLE.org)", true);

        assertEquals("chat user v***g not found (v***g)", seen.error());
        assertNoVictim(seen);
    }

    private static void assertNoVictim(Seen seen) {
        for (String text : seen.all()) {
            assertFalse(text.toLowerCase(Locale.ROOT).contains("victim"), text);
        }
    }

    @Test
    void channelError_codeInHex_isRemoved() {
        Seen seen = send(m -> "payload 7b2274223a22" + hex(m.code()) + "227d rejected, again as "
                + hex(m.code()).toUpperCase(Locale.ROOT) + " and 0x" + String.join(" 0x", hex(m.code()).split("(?<=\\G..)")));

        assertEquals("payload <code> rejected, again as <code> and <code>", seen.error());
        assertNoCode(seen, hex(seen.code()), hex(seen.code()).toUpperCase(Locale.ROOT));
    }

    @Test
    void channelError_codeInBase64_isRemoved() {
        Seen seen = send(m -> "body=" + Base64.getEncoder().encodeToString(("{\"otp\":\"" + m.code() + "\"}")
                .getBytes(StandardCharsets.UTF_8)) + " token "
                + Base64.getUrlEncoder().withoutPadding().encodeToString(m.code().getBytes(StandardCharsets.UTF_8)));

        assertEquals("body=<code> token <code>", seen.error());
        String base64 = Base64.getEncoder().encodeToString(seen.code().getBytes(StandardCharsets.UTF_8));
        assertNoCode(seen, base64.replace("=", ""));
    }

    @Test
    void channelError_codeAsBackslashXEscapes_isRemoved() {
        Seen seen = send(m -> "text \"Your code " + escaped(m.code(), "\\x%02x") + "\" refused; raw "
                + escaped(m.code(), "\\x%02X"));

        assertEquals("text \"Your code <code>\" refused; raw <code>", seen.error());
        assertNoCode(seen, escaped(seen.code(), "\\x%02x"), escaped(seen.code(), "\\x%02X"));
    }

    /** The second review's finding: C's octal escapes of the code passed. */
    @Test
    void channelError_codeAsOctalEscapes_isRemoved() {
        Seen seen = send(m -> "text \"" + escaped(m.code(), "\\%o") + "\" refused; spaced " + escaped(m.code(), "\\%03o ")
                + "; split " + escaped(m.code().substring(0, 3), "\\%o") + "," + escaped(m.code().substring(3), "\\%o"));

        assertEquals("text \"<code>\" refused; spaced <code> ; split <code>", seen.error());
        assertNoCode(seen, escaped(seen.code(), "\\%o"));
    }

    /** The second review's finding: the same Gmail inbox in another spelling (dots, alias, case) passed. */
    @Test
    void channelError_theSameGmailInboxInAnotherSpelling_isMasked() {
        List<OtpEvent.DeliveryFailed> failed = new CopyOnWriteArrayList<>();
        CapturingChannel chat = CapturingChannel.reaching("chat", r -> true).answerWith(m -> CompletableFuture
                .failedFuture(DeliveryException.permanent("no such user victim@gmail.com / VICTIM@GOOGLEMAIL.COM / "
                        + "v.i.c.t.i.m+x@Gmail.com")));
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(chat).channel(CapturingChannel.reaching("other",
                        r -> true)).rateLimits(RateLimits.unlimited()).listener(new OtpListener() {
                    @Override
                    public void onDeliveryFailed(OtpEvent.DeliveryFailed event) {
                        failed.add(event);
                    }
                }).widget(widget().channels("chat", "other").build()).build()) {
            SendResult result = engine.send(SendRequest.builder(WIDGET_ID).email("vic.tim@gmail.com").build());
            String error = result.deliveries().get(0).error();
            assertEquals("no such user v***@gmail.com / v***@gmail.com / v***@gmail.com", error);
            assertFalse(failed.get(0).delivery().error().toLowerCase(Locale.ROOT).contains("victim"));
        }
    }

    @Test
    void channelError_codeAsPercentUEscapes_isRemoved() {
        Seen seen = send(m -> "param=" + escaped(m.code(), "%%u%04X") + "&again=" + escaped(m.code(), "%%u%04x"));

        assertEquals("param=<code>&again=<code>", seen.error());
        assertNoCode(seen, escaped(seen.code(), "%%u%04X"), escaped(seen.code(), "%%u%04x"));
    }

    @Test
    void channelError_plainCode_isRemoved() {
        Seen seen = send(m -> "rejected text with " + m.code() + " in it");

        assertEquals("rejected text with <code> in it", seen.error());
        assertNoCode(seen);
        assertTrue(seen.log().stream().anyMatch(l -> l.contains("rejected text with <code> in it")), seen.log()::toString);
    }
}
