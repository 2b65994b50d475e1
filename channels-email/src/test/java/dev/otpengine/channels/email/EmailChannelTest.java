package dev.otpengine.channels.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otpengine.Delivery;
import dev.otpengine.NoConnectionException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The email channel against a real SMTP server in the test (GreenMail), found by the engine's ServiceLoader. */
final class EmailChannelTest {

    static final UUID WIDGET_ID = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    static final String TO = "ann@example.com";

    private GreenMail greenMail;
    private OtpEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private GreenMail start(ServerSetup setup) {
        greenMail = new GreenMail(setup.dynamicPort());
        greenMail.setUser("no-reply@acme.test", "acme", "s3cret");
        greenMail.start();
        return greenMail;
    }

    /** Settings for the plain-SMTP GreenMail server, with authentication. */
    private Map<String, String> smtp() {
        start(ServerSetupTest.SMTP);
        Map<String, String> s = new HashMap<>();
        s.put("email.smtp.host", greenMail.getSmtp().getBindTo());
        s.put("email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
        s.put("email.smtp.security", "none");
        s.put("email.smtp.username", "acme");
        s.put("email.smtp.password", "s3cret");
        s.put("email.from", "no-reply@acme.test");
        s.put("email.from.name", "Acme Login");
        s.put("email.smtp.connectTimeout", "2s");
        s.put("email.smtp.readTimeout", "2s");
        return s;
    }

    private OtpEngine engine(Map<String, String> settings, Widget widget) {
        engine = OtpEngine.builder().discoverChannels(settings).rateLimits(RateLimits.unlimited())
                .deliveryTimeout(Duration.ofSeconds(20)).widget(widget).build();
        return engine;
    }

    private static Widget.Builder widget() {
        return Widget.builder(WIDGET_ID).name("Acme");
    }

    private SendResult sendTo(String email, Locale locale) {
        SendRequest.Builder r = SendRequest.builder(WIDGET_ID).email(email);
        if (locale != null) {
            r.locale(locale);
        }
        return engine.send(r.build());
    }

    private MimeMessage onlyMessage() throws Exception {
        assertTrue(greenMail.waitForIncomingEmail(5_000, 1));
        MimeMessage[] messages = greenMail.getReceivedMessages();
        assertEquals(1, messages.length);
        return messages[0];
    }

    /** The parts of a multipart/alternative message, by content type. */
    static Map<String, String> parts(MimeMessage m) throws Exception {
        assertTrue(m.getContentType().startsWith("multipart/alternative"), m.getContentType());
        Multipart multipart = (Multipart) m.getContent();
        Map<String, String> parts = new HashMap<>();
        for (int i = 0; i < multipart.getCount(); i++) {
            Part part = multipart.getBodyPart(i);
            parts.put(part.getContentType().split(";")[0].toLowerCase(Locale.ROOT), (String) part.getContent());
        }
        return parts;
    }

    private static String codeIn(MimeMessage m) throws Exception {
        return m.getSubject().split(" ")[0];
    }

    @Test
    void send_arrivesWithSubjectBothPartsTheCodeAndTheExpiry() throws Exception {
        engine(smtp(), widget().ttl(Duration.ofMinutes(5)).build());

        SendResult sent = sendTo(TO, null);

        MimeMessage m = onlyMessage();
        String code = codeIn(m);
        assertTrue(code.matches("\\d{6}"), m.getSubject());
        assertEquals(code + " is your Acme code", m.getSubject());
        assertEquals(new InternetAddress("no-reply@acme.test", "Acme Login"), m.getFrom()[0]);
        assertEquals(TO, ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress());
        assertEquals("auto-generated", m.getHeader("Auto-Submitted")[0]);
        Map<String, String> parts = parts(m);
        String expiry = "It expires in 5 min, at " + String.format(Locale.ROOT, "%tH:%<tM", sent.expiresAt().atZone(java.time.ZoneOffset.UTC))
                + " UTC.";
        assertTrue(parts.get("text/plain").startsWith(code + " is your Acme code"), parts.get("text/plain"));
        assertTrue(parts.get("text/plain").contains(expiry), parts.get("text/plain"));
        assertTrue(parts.get("text/html").contains(">" + code + "</p>"), parts.get("text/html"));
        assertTrue(parts.get("text/html").contains("<h1 style=\"font-size:20px;font-weight:normal\">Your Acme code</h1>"));
        assertTrue(parts.get("text/html").contains(expiry), parts.get("text/html"));
        assertEquals(List.of(Delivery.Status.ACCEPTED), sent.deliveries().stream().map(Delivery::status).toList());
        assertEquals(m.getMessageID(), sent.deliveries().get(0).providerMessageId());
        assertTrue(engine.verify(sent.requestId(), code).isVerified());
    }

    @Test
    void send_inRussian_hasTheRussianSubjectAndTexts() throws Exception {
        engine(smtp(), widget().build());

        sendTo(TO, Locale.forLanguageTag("ru-RU"));

        MimeMessage m = onlyMessage();
        String code = codeIn(m);
        assertEquals(code + " — ваш код Acme", m.getSubject());
        assertTrue(parts(m).get("text/html").contains("Ваш код Acme"));
        assertTrue(parts(m).get("text/plain").contains("Код действует 2 мин."), parts(m).get("text/plain"));
    }

    @Test
    void widgetName_isEscapedInHtml() throws Exception {
        engine(smtp(), widget().name("A<b>&\"Co\"").build());

        sendTo(TO, null);

        String html = parts(onlyMessage()).get("text/html");
        assertTrue(html.contains("Your A&lt;b&gt;&amp;&quot;Co&quot; code"), html);
        assertFalse(html.contains("A<b>"), html);
    }

    @Test
    void textsOverriddenPerLocaleAndPerWidget_winInThatOrder() throws Exception {
        Map<String, String> s = smtp();
        s.put("email.subject.de", "{code} ist Ihr {name}-Code");
        s.put("email.widget." + WIDGET_ID + ".subject.de", "{name}: {code}");
        s.put("email.heading", "Sign in to {name}");
        engine(s, widget().template(Locale.GERMAN, "{code} ist Ihr Code").build());

        sendTo(TO, Locale.GERMAN);

        MimeMessage m = onlyMessage();
        assertTrue(m.getSubject().matches("Acme: \\d{6}"), m.getSubject());
        assertTrue(parts(m).get("text/html").contains("Sign in to Acme"));
    }

    @Test
    void smtpAuth_wrongPassword_isAPermanentFailure() {
        Map<String, String> s = smtp();
        s.put("email.smtp.password", "wrong");
        engine(s, widget().build());

        NoConnectionException e = assertThrows(NoConnectionException.class, () -> sendTo(TO, null));

        Delivery d = e.deliveries().get(0);
        assertEquals(Delivery.Status.FAILED_PERMANENT, d.status());
        assertEquals("the smtp server refused the credentials of email.smtp.username", d.error());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void smtps_arrivesOverTls() throws Exception {
        start(ServerSetupTest.SMTPS);
        Map<String, String> s = new HashMap<>();
        s.put("email.smtp.host", greenMail.getSmtps().getBindTo());
        s.put("email.smtp.port", Integer.toString(greenMail.getSmtps().getPort()));
        s.put("email.smtp.security", "smtps");
        s.put("email.smtp.ssl.trust", "*"); // GreenMail's certificate is self-signed, for another host name
        s.put("email.smtp.ssl.checkServerIdentity", "false");
        s.put("email.smtp.username", "acme");
        s.put("email.smtp.password", "s3cret");
        s.put("email.from", "no-reply@acme.test");
        engine(s, widget().build());

        SendResult sent = sendTo(TO, null);

        assertTrue(engine.verify(sent.requestId(), codeIn(onlyMessage())).isVerified());
    }

    @Test
    void starttls_serverWithoutIt_isRefusedNotDowngradedToPlainText() {
        Map<String, String> s = smtp();
        s.put("email.smtp.security", "starttls");
        engine(s, widget().build());

        NoConnectionException e = assertThrows(NoConnectionException.class, () -> sendTo(TO, null));

        assertEquals(Delivery.Status.FAILED_PERMANENT, e.deliveries().get(0).status(), "a setting to fix");
        assertTrue(e.deliveries().get(0).error().contains("does not offer STARTTLS"), e.deliveries().get(0).error());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void serverDown_isATransientFailure() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        engine(Map.of("email.smtp.host", "127.0.0.1", "email.smtp.port", Integer.toString(closedPort),
                "email.smtp.security", "none", "email.from", "no-reply@acme.test", "email.smtp.connectTimeout", "1s"),
                widget().build());

        NoConnectionException e = assertThrows(NoConnectionException.class, () -> sendTo(TO, null));

        assertEquals(Delivery.Status.FAILED_RETRYABLE, e.deliveries().get(0).status());
        assertEquals("could not connect to the smtp server 127.0.0.1:" + closedPort, e.deliveries().get(0).error());
    }

    @Test
    void serverThatHangs_failsTransientlyWithinTheReadTimeout() throws Exception {
        try (ScriptedSmtpServer hanging = ScriptedSmtpServer.hanging()) {
            engine(Map.of("email.smtp.host", "127.0.0.1", "email.smtp.port", Integer.toString(hanging.port()),
                    "email.smtp.security", "none", "email.from", "no-reply@acme.test", "email.smtp.readTimeout", "300ms"),
                    widget().build());

            // The engine's own delivery timeout is 20 s here: only the channel's read timeout can end this early.
            NoConnectionException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(NoConnectionException.class, () -> sendTo(TO, null)));

            assertEquals(Delivery.Status.FAILED_RETRYABLE, e.deliveries().get(0).status());
            assertEquals("the smtp server 127.0.0.1:" + hanging.port() + " did not answer in time",
                    e.deliveries().get(0).error());
        }
    }

    @Test
    void recipientRejectedWith5xx_isPermanent_and4xxIsTransient() throws Exception {
        try (ScriptedSmtpServer rejecting = ScriptedSmtpServer.rejectingRecipientsWith("550 5.1.1 no such user")) {
            engine(Map.of("email.smtp.host", "127.0.0.1", "email.smtp.port", Integer.toString(rejecting.port()),
                    "email.smtp.security", "none", "email.from", "no-reply@acme.test"), widget().build());

            NoConnectionException e = assertThrows(NoConnectionException.class, () -> sendTo(TO, null));

            assertEquals(Delivery.Status.FAILED_PERMANENT, e.deliveries().get(0).status());
            assertEquals("the smtp server rejected the message (550)", e.deliveries().get(0).error());
            engine.close();
        }
        try (ScriptedSmtpServer deferring = ScriptedSmtpServer.rejectingRecipientsWith("451 4.3.0 try again later")) {
            engine(Map.of("email.smtp.host", "127.0.0.1", "email.smtp.port", Integer.toString(deferring.port()),
                    "email.smtp.security", "none", "email.from", "no-reply@acme.test"), widget().build());

            NoConnectionException e = assertThrows(NoConnectionException.class, () -> sendTo(TO, null));

            assertEquals(Delivery.Status.FAILED_RETRYABLE, e.deliveries().get(0).status());
            assertEquals("the smtp server deferred the message (451)", e.deliveries().get(0).error());
        }
    }

    private Map<String, String> scripted(ScriptedSmtpServer server) {
        Map<String, String> s = new HashMap<>();
        s.put("email.smtp.host", "127.0.0.1");
        s.put("email.smtp.port", Integer.toString(server.port()));
        s.put("email.smtp.security", "none");
        s.put("email.from", "no-reply@acme.test");
        s.put("email.pool.size", "1");
        return s;
    }

    @Test
    void aConnectionBackFromAMessage_isUsedAgainWithoutANoop() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting(false)) {
            engine(scripted(server), widget().build());
            for (int i = 0; i < 10; i++) {
                sendTo("user" + i + "@example.com", null);
            }
            assertEquals(10, server.messages());
            assertEquals(1, server.connections(), "one pooled connection for all ten");
            assertEquals(0, server.noops(), "no round trip to ask whether a connection just used is still there");
        }
    }

    @Test
    void aPooledConnectionTheServerDropped_isReplaced_andTheMessageSentOnce() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting(true)) { // hangs up after every message
            engine(scripted(server), widget().build());
            for (int i = 0; i < 3; i++) {
                SendResult sent = sendTo("user" + i + "@example.com", null);
                assertEquals(Delivery.Status.ACCEPTED, sent.deliveries().get(0).status());
            }
            assertEquals(3, server.messages(), "each message once");
            assertEquals(3, server.connections(), "a new connection after each drop");
        }
    }

    @Test
    void hundredCodesFromEightThreads_allArriveEachWithItsOwnCode_overPooledConnections() throws Exception {
        Map<String, String> s = smtp();
        s.put("email.pool.size", "4");
        EmailChannel channel = (EmailChannel) new EmailChannelProvider().create(ChannelSettings.forChannel("email", s));
        engine = OtpEngine.builder().channel(channel).rateLimits(RateLimits.unlimited()).widget(widget().build()).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String to = "user" + i + "@example.com";
            Callable<SendResult> send = () -> {
                go.await();
                return sendTo(to, null);
            };
            sends.add(pool.submit(send));
        }
        go.countDown();
        Map<String, UUID> requestByAddress = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            requestByAddress.put("user" + i + "@example.com", sends.get(i).get(30, TimeUnit.SECONDS).requestId());
        }
        pool.shutdown();

        assertTrue(greenMail.waitForIncomingEmail(10_000, 100));
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(100, received.length);
        Set<String> codes = new HashSet<>();
        for (MimeMessage m : received) {
            String to = ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
            String code = codeIn(m);
            codes.add(code + to);
            assertTrue(engine.verify(requestByAddress.get(to), code).isVerified(), "the code sent to " + to);
        }
        assertEquals(100, codes.size());
        int connects = channel.connects();
        assertTrue(connects <= 4, "opened " + connects + " SMTP connections for 100 messages");
    }

    @Test
    void missingOrMalformedSettings_failTheEnginesBuildNamingTheKey() {
        Map<String, String> base = Map.of("email.smtp.host", "smtp.example.com", "email.from", "no-reply@acme.test");
        assertEquals("email.smtp.host", buildFails(without(base, "email.smtp.host")).key());
        assertEquals("email.from", buildFails(without(base, "email.from")).key());
        assertEquals("setting email.from must be an email address", buildFails(with(base, "email.from", "nobody")).getMessage());
        assertEquals("setting email.smtp.security must be none, starttls or smtps: tls",
                buildFails(with(base, "email.smtp.security", "tls")).getMessage());
        assertEquals("email.smtp.password", buildFails(with(base, "email.smtp.username", "acme")).key());
        assertEquals("setting email.smtp.port must be from 1 to 65535: 70000",
                buildFails(with(base, "email.smtp.port", "70000")).getMessage());
        assertEquals("setting email.pool.size must be from 1 to 64: 0", buildFails(with(base, "email.pool.size", "0")).getMessage());
        assertEquals("setting email.smtp.readTimeout must be positive and at most PT5M: PT0S",
                buildFails(with(base, "email.smtp.readTimeout", "0s")).getMessage());
        assertEquals("setting email.subject.ru has an unknown placeholder {user}; known: {code}, {name}, {minutes}, {expiresAt}",
                buildFails(with(base, "email.subject.ru", "{user}, {code}")).getMessage());
        assertEquals("setting email.subject must not hold control characters or line breaks",
                buildFails(with(base, "email.subject", "{code}\r\nBcc: victim@example.com")).getMessage());
        assertEquals("setting email.from.name must be 1 to 64 characters without control characters",
                buildFails(with(base, "email.from.name", "Acme\r\nBcc: x@example.com")).getMessage());
    }

    private static ChannelConfigurationException buildFails(Map<String, String> settings) {
        return assertThrows(ChannelConfigurationException.class,
                () -> OtpEngine.builder().discoverChannels(settings).widget(widget().build()).build());
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static Map<String, String> without(Map<String, String> base, String key) {
        Map<String, String> m = new HashMap<>(base);
        m.remove(key);
        return m;
    }
}
