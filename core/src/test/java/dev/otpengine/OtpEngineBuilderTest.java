package dev.otpengine;

import dev.otpengine.discovery.TestSmsChannelProvider;
import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class OtpEngineBuilderTest {

    @Test
    void build_withoutAnyChannel_failsSayingHowToAddOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OtpEngine.builder().widget(widget().build()).build());

        assertEquals("no channel is registered: add otpengine-channels-sms or otpengine-channels-email to the class path "
                + "and call discoverChannels(settings) with its settings (a plugin given none is not used), or call "
                + "channel(...)", e.getMessage());
    }

    @Test
    void channel_duplicateOrMalformedId_isRefusedAtOnce() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms());

        assertEquals("a channel with id sms was already added",
                assertThrows(IllegalArgumentException.class, () -> builder.channel(CapturingChannel.sms())).getMessage());
        assertEquals("channel id must be lowercase letters, digits, - or _, at most 32: \"SMS\"",
                assertThrows(IllegalArgumentException.class,
                        () -> builder.channel(new Channel() {
                            @Override
                            public String id() {
                                return "SMS";
                            }

                            @Override
                            public boolean canDeliverTo(Recipient r) {
                                return true;
                            }

                            @Override
                            public CompletionStage<DeliveryReceipt> deliver(OtpMessage m) {
                                throw new AssertionError("never delivered");
                            }
                        })).getMessage());
        assertEquals("channel", assertThrows(NullPointerException.class, () -> builder.channel(null)).getMessage());
    }

    @Test
    void widget_addedTwice_isRefusedAtOnce() {
        OtpEngine.Builder builder = OtpEngine.builder().widget(widget().build());

        assertEquals("widget " + WIDGET_ID + " was already added",
                assertThrows(IllegalArgumentException.class, () -> builder.widget(widget().build())).getMessage());
    }

    @Test
    void build_widgetNamingUnknownChannel_failsNamingIt() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms()).widget(widget().channels("email").build());

        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);

        assertEquals("widget " + WIDGET_ID + " names channel email, which the engine does not have; it has [sms]", e.getMessage());
    }

    @Test
    void build_captchaWidgetWithoutVerifier_failsSayingWhatToCall() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms()).widget(widget().captchaRequired(true).build());

        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);

        assertEquals("widget " + WIDGET_ID + " requires a captcha, but the engine has no captcha verifier: "
                + "call captchaVerifier(...) on its builder", e.getMessage());
    }

    @Test
    void build_timeoutForUnknownChannel_failsNamingIt() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms()).deliveryTimeout("fax", Duration.ofSeconds(1));

        assertEquals("deliveryTimeout names channel fax, which the engine does not have; it has [sms]",
                assertThrows(IllegalStateException.class, builder::build).getMessage());
    }

    @Test
    void build_defaultLocaleWithoutTemplate_fails() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms()).defaultLocale(Locale.KOREAN);

        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);

        assertTrue(e.getMessage().startsWith("no text template for the default locale ko: add one with template(Locale, String)"),
                e.getMessage());
    }

    @Test
    void setters_badValues_areRefusedNamingTheValue() {
        OtpEngine.Builder b = OtpEngine.builder();

        assertEquals("secret must be at least 32 bytes: 16",
                assertThrows(IllegalArgumentException.class, () -> b.secret(new byte[16])).getMessage());
        assertEquals("timeout must be positive and at most PT5M: PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.deliveryTimeout(Duration.ZERO)).getMessage());
        assertEquals("timeout must be positive and at most PT5M: PT6M",
                assertThrows(IllegalArgumentException.class, () -> b.deliveryTimeout("sms", Duration.ofMinutes(6))).getMessage());
        assertEquals("maxPendingCodes must be positive: 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxPendingCodes(0)).getMessage());
        assertEquals("template must contain {code}: hello",
                assertThrows(IllegalArgumentException.class, () -> b.template(Locale.ENGLISH, "hello")).getMessage());
        assertEquals("clock", assertThrows(NullPointerException.class, () -> b.clock(null)).getMessage());
        assertEquals("listener", assertThrows(NullPointerException.class, () -> b.listener(null)).getMessage());
        assertEquals("executor", assertThrows(NullPointerException.class, () -> b.executor(null)).getMessage());
        assertEquals("captchaVerifier", assertThrows(NullPointerException.class, () -> b.captchaVerifier(null)).getMessage());
    }

    @Test
    void secret_sameSecret_sameCodesVerifyAcrossEngines() {
        byte[] secret = new byte[32];
        CapturingChannel sms = CapturingChannel.sms();
        try (OtpEngine engine = OtpEngine.builder().secret(secret).channel(sms).widget(widget().build()).build()) {
            SendResult sent = engine.send(toPhone());
            secret[0] = 1; // the builder copied it

            assertTrue(engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).isVerified());
        }
    }

    @Test
    void close_closesTheChannelsItDiscoveredOnce_andNotTheOnesItWasGiven() {
        CapturingChannel given = CapturingChannel.email();
        TestSmsChannelProvider.CLOSED.set(0);
        OtpEngine engine = OtpEngine.builder().discoverChannels(Map.of("test-sms.sender", "Acme")).channel(given)
                .widget(widget().build()).build();

        engine.close();
        engine.close();

        assertEquals(1, TestSmsChannelProvider.CLOSED.get(), "discovered: the engine's own");
        assertEquals(0, given.closeCount(), "given: the caller's");
    }

    @Test
    void discoverChannels_findsProviderRegisteredInMetaInfServices() {
        TestSmsChannelProvider.SENT.clear();
        try (OtpEngine engine = OtpEngine.builder()
                .discoverChannels(Map.of("test-sms.sender", "Acme", "test-sms.retries", "2"))
                .widget(widget().build()).build()) {

            SendResult sent = engine.send(toPhone());

            assertEquals(List.of("test-sms"), List.copyOf(engine.channelIds()));
            assertEquals("Acme/2", sent.deliveries().get(0).providerMessageId());
            assertEquals(PHONE, TestSmsChannelProvider.SENT.get(0).recipient().phone().orElseThrow());
            assertTrue(engine.verify(sent.requestId(), TestSmsChannelProvider.SENT.get(0).code()).isVerified());
        }
    }

    @Test
    void discoverChannels_brokenProviderEntry_isSkippedWithAWarning() {
        int mark = CapturedLogs.mark();

        try (OtpEngine engine = OtpEngine.builder().discoverChannels(Map.of("test-sms.sender", "Acme")).build()) {
            assertEquals(List.of("test-sms"), List.copyOf(engine.channelIds()));
        }

        assertTrue(CapturedLogs.since(mark).stream().anyMatch(line -> line.startsWith(
                "WARN dev.otpengine.internal.ChannelDiscovery - skipped a channel provider that failed to load: ")
                && line.contains("dev.otpengine.discovery.MissingChannelProvider")), () -> CapturedLogs.since(mark).toString());
    }

    @Test
    void discoverChannels_missingRequiredSetting_beside_anotherSetting_failsBuildNamingTheKey() {
        OtpEngine.Builder builder = OtpEngine.builder().discoverChannels(Map.of("test-sms.retries", "2"));

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, builder::build);

        assertEquals("missing required setting test-sms.sender for channel test-sms", e.getMessage());
        assertEquals("test-sms.sender", e.key());
    }

    @Test
    void discoverChannels_enabledTrue_makesAProviderRequired() {
        OtpEngine.Builder builder = OtpEngine.builder().discoverChannels(Map.of("test-sms.enabled", "true"));

        assertEquals("test-sms.sender", assertThrows(ChannelConfigurationException.class, builder::build).key());
    }

    @Test
    void discoverChannels_aProviderGivenNoSettings_isSkippedWithOneInfoLine() {
        int mark = CapturedLogs.mark();
        CapturingChannel email = CapturingChannel.email();

        try (OtpEngine engine = OtpEngine.builder().channel(email).discoverChannels(Map.of())
                .widget(widget().build()).build()) {
            assertEquals(List.of("email"), List.copyOf(engine.channelIds()));
        }

        List<String> lines = CapturedLogs.since(mark).stream().filter(l -> l.contains("test-sms")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("INFO dev.otpengine.internal.ChannelDiscovery - channel plugin test-sms "
                + "(dev.otpengine.discovery.TestSmsChannelProvider) was found but given no test-sms.* settings, so it "
                + "is not used; configure it, or set test-sms.enabled=false"), lines.get(0));
    }

    @Test
    void discoverChannels_malformedSetting_failsBuildNamingTheKey() {
        OtpEngine.Builder builder = OtpEngine.builder().discoverChannels(Map.of("test-sms.sender", "A", "test-sms.retries", "two"));

        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, builder::build);

        assertEquals("setting test-sms.retries must be an integer", e.getMessage());
    }

    @Test
    void discoverChannels_enabledFalse_leavesProviderOut() {
        OtpEngine.Builder builder = OtpEngine.builder().discoverChannels(Map.of("test-sms.enabled", "false"));

        assertTrue(assertThrows(IllegalStateException.class, builder::build).getMessage().startsWith("no channel is registered"));
    }

    @Test
    void discoverChannels_explicitChannelWithSameId_wins() {
        CapturingChannel explicit = CapturingChannel.reaching("test-sms", r -> r.phone().isPresent());

        try (OtpEngine engine = OtpEngine.builder().channel(explicit).discoverChannels(Map.of())
                .widget(widget().build()).build()) {
            engine.send(toPhone());
        }

        assertEquals(1, explicit.messages().size());
    }

    @Test
    void discoverChannels_settingsForUnknownChannel_areWarnedAboutByKeyNotValue() {
        int mark = CapturedLogs.mark();

        OtpEngine.builder().discoverChannels(Map.of("test-sms.sender", "A", "emial.smtp.password", "hunter2")).build().close();

        List<String> lines = CapturedLogs.since(mark);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN dev.otpengine.internal.ChannelDiscovery - settings under emial. "
                + "name no channel found on the class path")), lines::toString);
        assertTrue(lines.stream().noneMatch(l -> l.contains("hunter2")), lines::toString);
    }

    @Test
    void discoverChannels_nullValue_isRefusedNamingTheKey() {
        java.util.HashMap<String, String> settings = new java.util.HashMap<>();
        settings.put("test-sms.sender", null);

        assertEquals("value of setting test-sms.sender", assertThrows(NullPointerException.class,
                () -> OtpEngine.builder().discoverChannels(settings)).getMessage());
    }

    @Test
    void build_doesNotChangeTheBuilder_andCanBuildTwice() {
        OtpEngine.Builder builder = OtpEngine.builder().channel(CapturingChannel.sms()).widget(widget().build());

        try (OtpEngine first = builder.build(); OtpEngine second = builder.build()) {
            assertEquals(first.widgets().size(), second.widgets().size());
        }
    }
}
