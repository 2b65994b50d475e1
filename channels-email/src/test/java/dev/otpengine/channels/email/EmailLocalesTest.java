package dev.otpengine.channels.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped locale rendered into a real email through a real SMTP server (GreenMail): its own subject, heading and
 * expiry line, the engine's text of the same locale, the code once in each part, the HTML's language and direction;
 * and a locale added by a class path file ({@code src/test/resources/otpengine-texts_sv.properties}).
 */
final class EmailLocalesTest {

    private static final UUID WIDGET_ID = UUID.fromString("7d1f35c8-51e5-4a2f-9f7e-0b7c1d2e3f40");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private GreenMail greenMail;
    private OtpEngine engine;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        Map<String, String> settings = new HashMap<>();
        settings.put("email.smtp.host", greenMail.getSmtp().getBindTo());
        settings.put("email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
        settings.put("email.smtp.security", "none");
        settings.put("email.from", "no-reply@acme.test");
        engine = OtpEngine.builder().discoverChannels(settings).rateLimits(RateLimits.unlimited())
                .widget(Widget.builder(WIDGET_ID).name("Acme").ttl(Duration.ofMinutes(10)).build()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        greenMail.stop();
    }

    private MimeMessage send(Locale locale, String to) throws Exception {
        int before = greenMail.getReceivedMessages().length;
        SendResult sent = engine.send(SendRequest.builder(WIDGET_ID).email(to).locale(locale).build());
        assertTrue(greenMail.waitForIncomingEmail(5_000, before + 1));
        MimeMessage m = greenMail.getReceivedMessages()[before];
        m.setHeader("X-Expires", TIME.format(sent.expiresAt()));
        return m;
    }

    private static Map<String, String> parts(MimeMessage m) throws Exception {
        return EmailChannelTest.parts(m);
    }


    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void everyShippedLocale_arrivesInItsOwnWords_withTheCodeOnceInEachPart() throws Exception {
        Set<String> subjects = new HashSet<>();
        Set<String> headings = new HashSet<>();
        int n = 0;
        for (Locale locale : OtpEngine.shippedLocales()) {
            MimeMessage m = send(locale, "user" + n++ + "@example.com");
            String subject = m.getSubject();
            String code = subject.replaceAll("\\D*(\\d{6})\\D*.*", "$1");
            assertTrue(code.matches("\\d{6}") && count(subject, code) == 1, locale + ": " + subject);
            assertTrue(subject.contains("Acme"), locale + ": " + subject);
            subjects.add(subject.replace(code, ""));

            Map<String, String> parts = parts(m);
            String plain = parts.get("text/plain");
            String html = parts.get("text/html");
            String expires = m.getHeader("X-Expires")[0];
            assertEquals(1, count(plain, code), locale + ": " + plain);
            assertTrue(plain.contains("10") && plain.contains(expires), locale + ": " + plain);
            assertEquals(1, count(html.substring(html.indexOf("<body")), code), locale + ": " + html);
            assertTrue(html.contains(expires), locale + ": " + html);
            String dir = locale.getLanguage().equals("fa") ? "rtl" : "ltr";
            assertTrue(html.contains("<html lang=\"" + locale.toLanguageTag() + "\" dir=\"" + dir + "\">"),
                    locale + ": " + html);
            String heading = html.replaceAll("(?s).*<h1[^>]*>(.*)</h1>.*", "$1");
            assertTrue(heading.contains("Acme"), locale + ": " + heading);
            headings.add(heading);
        }
        assertEquals(17, subjects.size(), "each locale its own subject: " + subjects);
        assertEquals(17, headings.size(), "each locale its own heading: " + headings);
    }

    @Test
    void aClassPathFile_addsALocale_toTheEngineAndTheEmail() throws Exception {
        MimeMessage m = send(Locale.forLanguageTag("sv-SE"), "sven@example.com");
        String code = m.getSubject().split(" ")[0];
        assertEquals(code + " är din kod för Acme", m.getSubject());
        Map<String, String> parts = parts(m);
        assertTrue(parts.get("text/plain").startsWith(code + " är din kod för Acme."), parts.get("text/plain"));
        assertTrue(parts.get("text/plain").contains("Koden gäller i 10 min, till " + m.getHeader("X-Expires")[0]),
                parts.get("text/plain"));
        assertTrue(parts.get("text/html").contains(">Din kod för Acme</h1>"), parts.get("text/html"));
    }
}
