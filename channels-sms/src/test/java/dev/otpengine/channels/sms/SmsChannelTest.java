package dev.otpengine.channels.sms;

import dev.otpengine.Delivery;
import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel through the engine's ServiceLoader path, with the console gateway: numbers, texts, segments. */
final class SmsChannelTest {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    private final PrintStream realOut = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private OtpEngine engine;

    @AfterEach
    void restore() {
        System.setOut(realOut);
        if (engine != null) {
            engine.close();
        }
    }

    private OtpEngine engine(Map<String, String> settings, Widget widget) {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8)); // the console gateway prints here
        engine = OtpEngine.builder().discoverChannels(settings).rateLimits(RateLimits.unlimited()).widget(widget).build();
        return engine;
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void console_discovered_printsTheSms_andTheCodeVerifies() {
        engine(Map.of("sms.gateway", "console"), Widget.builder(WIDGET).name("Acme").build());

        SendResult sent = engine.send(WIDGET.toString(), "+7 999 123-45-67", null);

        Delivery d = sent.deliveries().get(0);
        assertEquals("sms", d.channelId());
        assertEquals(Map.of("segments", "1", "encoding", "GSM7", "country", "RU", "gateway", "console"), d.attributes());
        String out = printed();
        assertTrue(out.startsWith("[otpengine SMS to +79991234567, 1 segment(s), GSM7]"), out);
        String code = out.lines().skip(1).findFirst().orElseThrow().substring(0, 6);
        assertTrue(engine.verify(sent.requestId(), code).isVerified());
    }

    @Test
    void deliversAsynchronously_forHttpGatewaysAndTheConsole_notForBlockingOnes() {
        SmsChannelProvider provider = new SmsChannelProvider();
        try (var console = provider.create(ChannelSettings.of("sms", Map.of("gateway", "console")));
             var http = provider.create(ChannelSettings.of("sms", Map.of("gateway", "http",
                     "http.url", "http://127.0.0.1:9/sms", "http.body", "{\"to\":\"{to}\",\"text\":\"{text}\"}")));
             var twilio = provider.create(ChannelSettings.of("sms", Map.of("gateway", "twilio",
                     "twilio.accountSid", "AC" + "0".repeat(32), "twilio.authToken", "token", "twilio.from", "+15005550006")));
             var blocking = new SmsChannel((requestId, to, text) -> java.util.concurrent.CompletableFuture.completedFuture(
                     new SmsGateway.Accepted("test", "id")), null)) {
            assertTrue(console.deliversAsynchronously());
            assertTrue(http.deliversAsynchronously());
            assertTrue(twilio.deliversAsynchronously());
            assertEquals(false, blocking.deliversAsynchronously());
        }
    }

    @Test
    void webOtpDomain_addsTheOriginBoundLineLast() {
        engine(Map.of("sms.gateway", "console", "sms.webotp.domain", "Login.Example.com"),
                Widget.builder(WIDGET).name("Acme").build());

        engine.send(WIDGET.toString(), "+79991234567", null);

        String[] lines = printed().split("\n");
        String code = lines[1].substring(0, 6);
        assertEquals("@login.example.com #" + code, lines[lines.length - 1]);
        assertEquals("", lines[lines.length - 2]);
    }

    @Test
    void premiumRateNumber_isTheRequestersError_refusedBeforeAnythingIsCounted() {
        engine(Map.of("sms.gateway", "console"), Widget.builder(WIDGET).name("Acme").build());

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> engine.send(WIDGET.toString(), "+449090123456", null));

        assertEquals("phone", e.field());
        assertEquals(400, e.httpStatus());
        assertEquals("phone is a premium-rate number, which does not get codes by SMS", e.getMessage());
        assertEquals("", printed());
    }

    @Test
    void badSettings_failTheEnginesBuildNamingTheKey() {
        assertEquals("sms.gateway", buildFails(Map.of("sms.timeout", "5s")).key());
        assertEquals("setting sms.gateway must be twilio, vonage, http, smpp or console, or several of them in order "
                + "of preference, comma-separated: carrier-pigeon",
                buildFails(Map.of("sms.gateway", "carrier-pigeon")).getMessage());
        assertEquals("setting sms.webotp.domain must be a host name such as example.com",
                buildFails(Map.of("sms.gateway", "console", "sms.webotp.domain", "https://example.com/")).getMessage());
        assertEquals("setting sms.timeout must be positive and at most PT5M: PT0S",
                buildFails(Map.of("sms.gateway", "console", "sms.timeout", "0s")).getMessage());
        Map<String, String> smpp = new HashMap<>(Map.of("sms.gateway", "smpp", "sms.smpp.host", "smsc.example.com",
                "sms.smpp.systemId", "acme", "sms.smpp.password", "secret"));
        assertEquals("missing required setting sms.smpp.sourceAddress for channel sms", buildFails(smpp).getMessage());
    }

    private static ChannelConfigurationException buildFails(Map<String, String> settings) {
        return assertThrows(ChannelConfigurationException.class,
                () -> new SmsChannelProvider().create(ChannelSettings.forChannel("sms", settings)));
    }
}
