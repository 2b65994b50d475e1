package dev.otpengine.discovery;

import dev.otpengine.OtpEngine;
import dev.otpengine.Widget;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The SPI handshake: a plugin built against a newer minor SPI, another major one, or a malformed version is refused
 * at {@code build()} naming it; one built against this SPI or an older minor one is used.
 */
final class SpiVersionTest {

    private static final UUID WIDGET = UUID.fromString("5b0f3f7e-2c51-4c2a-9f0e-7d8c6b5a4e3d");

    /** A provider asking for the SPI version in its {@code asked.version} setting... set per test through a field. */
    public static final class Versioned implements ChannelProvider {
        static volatile String asked = ChannelProvider.SPI_VERSION;

        @Override
        public String requestedSpiVersion() {
            return asked;
        }

        @Override
        public String id() {
            return "versioned";
        }

        @Override
        public Channel create(ChannelSettings settings) {
            return new Channel() {
                @Override
                public String id() {
                    return "versioned";
                }

                @Override
                public boolean canDeliverTo(Recipient recipient) {
                    return true;
                }

                @Override
                public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
                    return CompletableFuture.completedFuture(new DeliveryReceipt("versioned", null, Instant.EPOCH));
                }
            };
        }
    }

    /** A class loader whose only channel provider is {@link Versioned}. */
    private static ClassLoader onlyVersioned() throws IOException {
        Path services = Files.createTempFile("providers", ".txt");
        Files.writeString(services, Versioned.class.getName() + "\n", StandardCharsets.UTF_8);
        URL url = services.toUri().toURL();
        return new ClassLoader(SpiVersionTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals("META-INF/services/" + ChannelProvider.class.getName())
                        ? Collections.enumeration(java.util.List.of(url)) : super.getResources(name);
            }
        };
    }

    private static OtpEngine build(String asked) throws IOException {
        Versioned.asked = asked;
        return OtpEngine.builder().discoverChannels(Map.of("versioned.enabled", "true"), onlyVersioned())
                .widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    @Test
    void plugin_builtAgainstThisOrAnOlderMinorSpi_isUsed() throws IOException {
        for (String asked : new String[] {ChannelProvider.SPI_VERSION, "1.0"}) {
            try (OtpEngine engine = build(asked)) {
                assertEquals(java.util.Set.of("versioned"), engine.channelIds());
            }
        }
    }

    @Test
    void plugin_builtAgainstANewerMinorAnotherMajorOrNoVersion_isRefusedNamingIt() {
        for (String asked : new String[] {"1.2", "2.0", "0.9", "one", null}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> build(asked));
            assertEquals("channel plugin versioned (" + Versioned.class.getName() + ") was built against "
                    + "otpengine-spi " + asked + ", which this engine's otpengine-spi 1.1 does not implement: use "
                    + "otpengine-core and otpengine-spi of the plugin's release or later, or a plugin built for SPI 1.1",
                    refused.getMessage());
        }
    }

    @Test
    void channelIdRule_isOneRule_inTheSpi() {
        for (String good : new String[] {"sms", "email", "chat-2", "a", "x_y", "0ab", "a".repeat(32)}) {
            assertEquals(true, Channel.isValidId(good), good);
        }
        for (String bad : new String[] {null, "", "-sms", "_sms", "SMS", "s ms", "sms.", "é", "a".repeat(33)}) {
            assertEquals(false, Channel.isValidId(bad), String.valueOf(bad));
        }
    }

    @Test
    void oneTypedAddress_isAnEmailWithAnAt_elseAPhone() {
        assertEquals(Recipient.EMAIL, Recipient.kindOf("Ann@Example.com"));
        assertEquals(Recipient.PHONE, Recipient.kindOf("+44 7911 123456"));
        assertEquals(Recipient.ofEmail("ann@example.com"), Recipient.of("Ann@Example.com"));
        assertEquals(Recipient.ofPhone("+447911123456"), Recipient.of("+44 7911 123456"));
        assertEquals("address", assertThrows(NullPointerException.class, () -> Recipient.kindOf(null)).getMessage());
    }

    @Test
    void widget_testCode_isPublic_andItsToStringShowsNone() {
        Widget widget = Widget.builder(WIDGET).name("Acme").testRecipient("+1 202 555 0100", "123456").build();
        assertEquals(java.util.Optional.of("123456"), widget.testCode("+12025550100"));
        assertEquals(java.util.Optional.empty(), widget.testCode("+12025550101"));
        assertEquals(false, widget.toString().contains("123456"), widget.toString());
    }
}
