package dev.otpengine.channels.sms;

import dev.otpengine.CodeAlphabet;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 29: with {@code sms.webotp.domain} set, every shipped text stayed one segment only without the WebOTP line;
 * {@code ru}, {@code ja}, {@code fa} and {@code vi} took two with a 4-character name, and a 20-emoji name (40 UTF-16
 * units) two in 15 locales, so a requester who picks the locale doubled the cost of pumping. Now, for every shipped
 * locale, with the line on for a domain of up to 22 characters ({@code login.example-shop.com}), a 20-character name
 * in any script and a code of 4 to 10, each text is one segment, measured by this channel's own counter: the engine
 * drops the validity and then shortens the name (never the code) when the whole text does not fit.
 */
final class WebOtpSegmentsTest {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    /** A realistic long WebOTP domain: 22 characters, the longest the shipped texts leave room for. */
    private static final String DOMAIN = "login.example-shop.com";
    /** Twenty characters (code points) each, in the scripts and symbols a name is written in. */
    private static final List<String> NAMES = List.of(
            "Acme Online Banking!",
            "€[]{}|^~\\€[]{}|^~\\€€",                       // GSM 7-bit, but two septets each: 40
            "Банк «Восток» Онлайн",
            "東京スカイツリー銀行オンラインサービス館",
            "بانک ملی ایران آنلای",
            "Ngân hàng Trực tuyến",
            "🏦💳🔐🛒🎁🍕🚀🌍🎵📱🏦💳🔐🛒🎁🍕🚀🌍🎵📱",       // 40 UTF-16 units
            "👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧");                                  // 4 families of 5 code points each

    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    /** Every text the gateway was handed, one per shipped locale. */
    private static List<SmsText> sendInEveryLocale(String name, int codeLength, String domain) {
        List<SmsText> texts = new CopyOnWriteArrayList<>();
        SmsChannel channel = new SmsChannel((requestId, to, text) -> {
            texts.add(text);
            return CompletableFuture.completedFuture(new SmsGateway.Accepted("test", "id-" + texts.size()));
        }, domain);
        Widget widget = Widget.builder(WIDGET).name(name).codeLength(codeLength).alphabet(CodeAlphabet.ALPHANUMERIC)
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

    /** The user-perceived characters of a name (extended grapheme clusters: a family emoji is one). */
    private static List<String> graphemes(String name) {
        List<String> graphemes = new ArrayList<>();
        Matcher m = GRAPHEME.matcher(name);
        while (m.find()) {
            graphemes.add(m.group());
        }
        return graphemes;
    }

    @Test
    void everyShippedText_withTheWebOtpLine_isOneSegment_forAnyNameAndCodeLength() {
        assertEquals(17, OtpEngine.shippedLocales().size());
        List<String> failures = new ArrayList<>();
        for (String name : NAMES) {
            assertEquals(20, name.codePointCount(0, name.length()), name);
            for (int codeLength : new int[] {4, 6, 10}) {
                List<SmsText> texts = sendInEveryLocale(name, codeLength, DOMAIN);
                List<Locale> locales = List.copyOf(OtpEngine.shippedLocales());
                for (int i = 0; i < texts.size(); i++) {
                    SmsText text = texts.get(i);
                    if (text.segments() != 1) {
                        failures.add(locales.get(i) + ", code of " + codeLength + ", " + text.encoding() + ", "
                                + text.text().length() + " units: " + text.text().replace("\n", "\\n"));
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyShortenedText_keepsTheCodeOnce_andTheNameOrAWholeCharacterPrefixOfIt() {
        for (String name : NAMES) {
            for (SmsText sms : sendInEveryLocale(name, 10, DOMAIN)) {
                String text = sms.text();
                String lastLine = text.substring(text.lastIndexOf('\n') + 1);
                assertTrue(lastLine.matches("@login\\.example-shop\\.com #[0-9A-Z]{10}"), text);
                String code = lastLine.substring(lastLine.indexOf('#') + 1);
                String body = text.substring(0, text.length() - lastLine.length() - 2);
                assertEquals(1, body.split(code, -1).length - 1, "the code once before the WebOTP line: " + text);
                List<String> graphemes = graphemes(name);
                boolean named = body.contains(name);
                for (int n = graphemes.size() - 1; n >= 1 && !named; n--) {
                    String prefix = String.join("", graphemes.subList(0, n)).strip();
                    named = body.contains(prefix + "…") || body.contains(prefix + "...");
                }
                assertTrue(named, "the name, or whole characters of it and an ellipsis: " + text);
            }
        }
    }

    @Test
    void theIssuesProbe_aFourCharacterName_isOneSegmentInEveryLocale() {
        for (SmsText text : sendInEveryLocale("Acme", 6, DOMAIN)) {
            assertEquals(1, text.segments(), text.encoding() + ", " + text.text().length() + " units: " + text.text());
        }
    }
}
