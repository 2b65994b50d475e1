package com.example.otp.chat;

import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine finds the plugin by itself, on the class path and on the module path, and its codes verify. */
final class ChatChannelDiscoveryTest {

    private static final UUID LOGIN = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    private Webhook webhook;

    @AfterEach
    void stop() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void discoverChannels_onTheClassPath_findsTheChatChannel_andItsCodeVerifies() throws Exception {
        webhook = new Webhook();
        try (OtpEngine engine = OtpEngine.builder()
                .widget(Widget.builder(LOGIN).name("Acme").build())
                .discoverChannels(Map.of("chat.url", webhook.url()))
                .build()) {
            assertEquals(Set.of("chat"), engine.channelIds());
            assertTrue(new ChatChannelProvider().create(dev.otpengine.spi.ChannelSettings.of("chat",
                    Map.of("url", webhook.url()))).deliversAsynchronously());

            SendResult sent = engine.send(SendRequest.builder(LOGIN).address("chat", "42").userIp("203.0.113.7").build());

            assertEquals("msg-1", sent.deliveries().get(0).providerMessageId());
            String body = webhook.bodies().get(0);
            Matcher m = Pattern.compile("\\{\"chatId\":\"42\",\"text\":\"([0-9]{6}) is your Acme code\\. It expires in 2 min\\.\"}")
                    .matcher(body);
            assertTrue(m.matches(), body);
            assertEquals(VerifyResult.Status.VERIFIED, engine.verify(sent.requestId(), m.group(1)).status());
        }
    }

    @Test
    void serviceLoader_onTheModulePath_findsTheProviderThroughModuleInfo() throws Exception {
        Path plugin = Path.of(ChatChannelProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path spi = Path.of(ChannelProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleLayer boot = ModuleLayer.boot();
        Configuration config = boot.configuration().resolveAndBind(ModuleFinder.of(plugin, spi), ModuleFinder.of(),
                Set.of("com.example.otp.chat"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        Class<?> service = layer.findLoader("dev.otpengine.spi").loadClass(ChannelProvider.class.getName());

        List<Class<?>> found = providerTypes(layer, service);

        assertEquals(1, found.size());
        assertEquals("com.example.otp.chat.ChatChannelProvider", found.get(0).getName());
        assertEquals("com.example.otp.chat", found.get(0).getModule().getName());
        // The package is not exported, yet the ServiceLoader may make the provider: module-info provides it.
        Object provider = ServiceLoader.load(layer, service).findFirst().orElseThrow();
        assertEquals("chat", service.getMethod("id").invoke(provider));
    }

    /** The provider classes a layer's ServiceLoader finds: only {@code provides} in module-info counts there. */
    private static <S> List<Class<?>> providerTypes(ModuleLayer layer, Class<S> service) {
        return ServiceLoader.load(layer, service).stream().<Class<?>>map(ServiceLoader.Provider::type).toList();
    }

    @Test
    void discoverChannels_askedFor_withoutUrl_failsNamingTheKey() {
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, () -> OtpEngine.builder()
                .widget(Widget.builder(LOGIN).name("Acme").build()).discoverChannels(Map.of("chat.enabled", "true"))
                .build());

        assertEquals("chat.url", e.key());
    }

    @Test
    void discoverChannels_givenNoChatSettings_leavesThePluginOut() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OtpEngine.builder()
                .widget(Widget.builder(LOGIN).name("Acme").build()).discoverChannels(Map.of()).build());

        assertTrue(e.getMessage().startsWith("no channel is registered"), e.getMessage());
    }

    @Test
    void create_withABadUrl_failsNamingTheKey() {
        ChannelConfigurationException notHttp = assertThrows(ChannelConfigurationException.class,
                () -> new ChatChannelProvider().create(dev.otpengine.spi.ChannelSettings.of("chat", Map.of("url", "ftp://bot"))));
        ChannelConfigurationException notUrl = assertThrows(ChannelConfigurationException.class,
                () -> new ChatChannelProvider().create(dev.otpengine.spi.ChannelSettings.of("chat", Map.of("url", "http://a b"))));

        assertEquals("chat.url must be an http or https URL with a host: ftp://bot", notHttp.getMessage());
        assertEquals("chat.url is not a URL: http://a b", notUrl.getMessage());
    }
}
