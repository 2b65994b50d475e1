package dev.otpengine.channels.sms;

import dev.otpengine.CodeAlphabet;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of the shipped texts, for every shipped locale, measured by this channel's own segment counter: filled
 * with a widget name of 20 characters (in the GSM alphabet, and outside it, which makes any text UCS-2), a code of 10
 * and a two-digit validity, each is one SMS segment; each carries the code once; and the WebOTP line comes last. The
 * engine fits them with room for that line, so a UCS-2 text may leave out the validity and shorten the name; with the
 * line on, see {@link WebOtpSegmentsTest}.
 */
final class ShippedTextsTest {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    /** Twenty characters each: all in the GSM 7-bit alphabet, and none of the letters in it. */
    private static final List<String> NAMES = List.of("Acme Online Banking!", "Банк «Восток» Онлайн");

    /** Every text the gateway was handed, through an engine whose only channel is this SMS channel. */
    private static List<SmsText> sendInEveryLocale(String name, String webOtpDomain) {
        List<SmsText> texts = new CopyOnWriteArrayList<>();
        SmsChannel channel = new SmsChannel((requestId, to, text) -> {
            texts.add(text);
            return CompletableFuture.completedFuture(new SmsGateway.Accepted("test", "id-" + texts.size()));
        }, webOtpDomain);
        Widget widget = Widget.builder(WIDGET).name(name).codeLength(10).alphabet(CodeAlphabet.ALPHANUMERIC)
                .ttl(Duration.ofMinutes(59)).build();
        try (OtpEngine engine = OtpEngine.builder().channel(channel).rateLimits(RateLimits.unlimited()).widget(widget)
                .build()) {
            for (Locale locale : OtpEngine.shippedLocales()) {
                engine.send(SendRequest.builder(WIDGET).phone("+79991234567").locale(locale).build());
            }
        } finally {
            channel.close();
        }
        assertEquals(OtpEngine.shippedLocales().size(), texts.size());
        return texts;
    }

    @Test
    void everyShippedText_isOneSegment_forTheLongestNameCodeAndValidity() {
        assertEquals(17, OtpEngine.shippedLocales().size());
        for (String name : NAMES) {
            assertEquals(20, name.length());
            List<SmsText> texts = sendInEveryLocale(name, null);
            List<Locale> locales = List.copyOf(OtpEngine.shippedLocales());
            for (int i = 0; i < texts.size(); i++) {
                SmsText text = texts.get(i);
                // the name whole, or whole characters of it and an ellipsis where it is fitted (see WebOtpSegmentsTest)
                assertTrue(text.text().contains(name) || text.text().contains(name.substring(0, 4)),
                        locales.get(i) + ": " + text.text());
                assertEquals(1, text.segments(), locales.get(i) + ", " + text.encoding() + ", "
                        + text.text().length() + " units: " + text.text());
            }
        }
    }

    @Test
    void everyShippedText_carriesTheCodeOnce_andTheWebOtpLineComesLast() {
        List<SmsText> texts = sendInEveryLocale(NAMES.get(0), "login.example.com");
        for (SmsText sms : texts) {
            String text = sms.text();
            String lastLine = text.substring(text.lastIndexOf('\n') + 1);
            assertTrue(lastLine.matches("@login\\.example\\.com #[0-9A-Z]{10}"), text);
            String code = lastLine.substring(lastLine.indexOf('#') + 1);
            String body = text.substring(0, text.length() - lastLine.length());
            assertTrue(body.endsWith("\n\n"), text);
            assertEquals(1, body.split(code, -1).length - 1, "the code once before the WebOTP line: " + text);
        }
    }
}
