package dev.otpengine.spring.boot;

import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.micrometer.OtpMeters;
import dev.otpengine.spi.Channel;
import dev.otpengine.testkit.CapturingChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine as {@code otpengine.*} properties and the application's own beans make it. */
final class OtpEngineAutoConfigurationTest {

    private static final String WIDGET = "123634df-ddfe-4dda-b31d-f3b4e75fc5dc";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OtpEngineAutoConfiguration.class,
                    OtpRedisStoreAutoConfiguration.class, OtpJdbcStoreAutoConfiguration.class))
            .withBean("sms", Channel.class, CapturingChannel::sms)
            .withPropertyValues("otpengine.widgets[0].id=" + WIDGET, "otpengine.widgets[0].name=Acme",
                    "otpengine.rate-limits.base=unlimited");

    @Test
    void properties_andAChannelBean_makeAWorkingEngine() {
        runner.run(context -> {
            OtpEngine engine = context.getBean(OtpEngine.class);
            CapturingChannel sms = (CapturingChannel) context.getBean(Channel.class);
            SendResult sent = engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550190").build());
            assertEquals(VerifyResult.Status.VERIFIED,
                    engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
        });
    }

    @Test
    void theApplicationsOwnEngine_wins() {
        OtpEngine own = OtpEngine.builder().channel(CapturingChannel.email())
                .widget(dev.otpengine.Widget.builder(UUID.randomUUID()).name("Own").build()).build();
        runner.withBean(OtpEngine.class, () -> own).run(context -> assertSame(own, context.getBean(OtpEngine.class)));
    }

    @Test
    void aBadValue_failsStartUp_namingTheProperty() {
        runner.withPropertyValues("otpengine.secret=too short").run(context -> {
            assertNotNull(context.getStartupFailure());
            assertTrue(rootMessage(context.getStartupFailure()).startsWith("otpengine.secret: secret must be at least 32"),
                    rootMessage(context.getStartupFailure()));
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OtpEngineAutoConfiguration.class))
                .withBean("sms", Channel.class, CapturingChannel::sms)
                .withPropertyValues("otpengine.widgets[0].id=" + WIDGET).run(context ->
                        assertTrue(rootMessage(context.getStartupFailure()).startsWith("otpengine.widgets[0]: name is required"),
                                rootMessage(context.getStartupFailure())));
    }

    @Test
    void escalateAfter_makesTheWidgetEscalate_andWithoutFallbackFailsStartUp_namingTheWidget() {
        runner.withBean("email", Channel.class, CapturingChannel::email)
                .withPropertyValues("otpengine.widgets[0].delivery=FALLBACK", "otpengine.widgets[0].escalate-after=45s")
                .run(context -> assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(45)), context
                        .getBean(OtpEngine.class).widget(UUID.fromString(WIDGET)).orElseThrow().escalateAfter()));
        runner.withPropertyValues("otpengine.widgets[0].escalate-after=45s").run(context ->
                assertEquals("otpengine.widgets[0]: widget " + WIDGET + ": escalateAfter needs "
                        + "delivery(DeliveryMode.FALLBACK); with ALL every channel is sent to at once and there is "
                        + "nothing to escalate to", rootMessage(context.getStartupFailure())));
    }

    @Test
    void secret_anUnresolvedPlaceholder_failsStartUp_namingTheVariable() {
        runner.withPropertyValues("otpengine.secret=${OTP_SECRET_NOT_SET_ANYWHERE}").run(context ->
                assertEquals("otpengine.secret: the placeholder ${OTP_SECRET_NOT_SET_ANYWHERE} was not resolved: set the "
                        + "environment variable or property OTP_SECRET_NOT_SET_ANYWHERE (at least 32 bytes)",
                        rootMessage(context.getStartupFailure())));
    }

    @Test
    void redis_withoutOtpengineRedis_failsStartUp_sayingWhatIsMissing() {
        runner.withClassLoader(new FilteredClassLoader("dev.otpengine.redis"))
                .withPropertyValues("otpengine.store=redis", "otpengine.redis.uri=redis://127.0.0.1:1")
                .run(context -> assertTrue(rootMessage(context.getStartupFailure())
                        .startsWith("otpengine.store: no store module contributes a store named \"redis\": add "
                                + "otpengine-redis"), rootMessage(context.getStartupFailure())));
    }

    @Test
    void aMeterRegistry_getsTheEnginesMeters() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            context.getBean(OtpEngine.class).send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550191")
                    .build());
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertEquals(1, registry.get(OtpMeters.SENDS).tag("outcome", "sent").counter().count());
        });
    }

    @Test
    void withoutMicrometer_theEngineStartsAllTheSame() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer", "dev.otpengine.micrometer"))
                .run(context -> assertNotNull(context.getBean(OtpEngine.class)));
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause != null) {
            if (cause instanceof IllegalStateException && cause.getMessage() != null
                    && cause.getMessage().startsWith("otpengine")) {
                return cause.getMessage();
            }
            cause = cause.getCause();
        }
        return String.valueOf(t);
    }

    @Test
    void theHealthIndicator_isUpWhileTheEngineIsOpen_andDownOnceClosed() {
        runner.run(context -> {
            OtpEngineHealthIndicator health = context.getBean(OtpEngineHealthIndicator.class);
            assertEquals(org.springframework.boot.health.contributor.Status.UP, health.health().getStatus());
            context.getBean(OtpEngine.class).close();
            assertEquals(org.springframework.boot.health.contributor.Status.DOWN, health.health().getStatus());
            assertEquals("closed", health.health().getDetails().get("engine"));
        });
    }

    @Test
    void theHealthIndicator_isDown_whenTheStoreCannotBeReached() {
        dev.otpengine.store.OtpStore unreachable = new dev.otpengine.store.ForwardingStore(
                new dev.otpengine.internal.store.InProcessStore(java.time.Clock.systemUTC(), 100, 100)) {
            @Override
            public void checkReachable() {
                throw new dev.otpengine.NoConnectionException("redis", new IllegalStateException("down"));
            }
        };
        runner.withBean(dev.otpengine.store.OtpStore.class, () -> unreachable).run(context -> {
            var health = context.getBean(OtpEngineHealthIndicator.class).health();
            assertEquals(org.springframework.boot.health.contributor.Status.DOWN, health.getStatus());
            assertEquals("unreachable", health.getDetails().get("store"));
        });
    }

    /** A channel with a circuit breaker per gateway, in whatever states a test sets. */
    static final class Circuits implements Channel {
        final java.util.Map<String, String> health = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String id() {
            return "backup";
        }

        @Override
        public boolean canDeliverTo(dev.otpengine.spi.Recipient recipient) {
            return recipient.phone().isPresent();
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.otpengine.spi.DeliveryReceipt> deliver(
                dev.otpengine.spi.OtpMessage message) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    new dev.otpengine.spi.DeliveryReceipt("backup", null, java.time.Instant.now()));
        }

        @Override
        public java.util.Map<String, String> health() {
            return java.util.Map.copyOf(health);
        }
    }

    @Test
    void theHealthIndicator_showsEachChannelsCircuits_andStaysUp_evenWithEveryCircuitOpen() {
        Circuits backup = new Circuits();
        backup.health.put("circuit.twilio", "CLOSED");
        backup.health.put("circuit.vonage", "OPEN");
        runner.withBean("backup", Channel.class, () -> backup).run(context -> {
            OtpEngineHealthIndicator indicator = context.getBean(OtpEngineHealthIndicator.class);
            var health = indicator.health();
            assertEquals(org.springframework.boot.health.contributor.Status.UP, health.getStatus());
            assertEquals(java.util.Map.of("backup", java.util.Map.of("circuit.twilio", "CLOSED",
                    "circuit.vonage", "OPEN")), health.getDetails().get("channels"));
            assertEquals(null, health.getDetails().get("channelsAllCircuitsOpen"), "one gateway still takes sends");

            backup.health.put("circuit.twilio", "OPEN");
            health = indicator.health();
            assertEquals(org.springframework.boot.health.contributor.Status.UP, health.getStatus(),
                    "a vendor outage does not take the instance out of its load balancer");
            assertEquals(java.util.List.of("backup"), health.getDetails().get("channelsAllCircuitsOpen"));
        });
    }

    @Test
    void theHealthIndicator_ofChannelsWithNothingToTell_hasNoChannelDetails() {
        runner.run(context -> assertEquals(java.util.Set.of("engine", "store"),
                context.getBean(OtpEngineHealthIndicator.class).health().getDetails().keySet()));
    }

    @Test
    void aMeterRegistry_getsTheCircuitGauges_ofEachGateway() {
        Circuits backup = new Circuits();
        backup.health.put("circuit.twilio", "HALF_OPEN");
        runner.withBean("backup", Channel.class, () -> backup)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertEquals(1, registry.get(OtpMeters.GATEWAY_CIRCUIT).tags("channel", "backup", "gateway",
                            "twilio", "state", "half_open").gauge().value());
                });
    }

    @Test
    void rateLimits_widgetSettings_andTemplates_areProperties() {
        runner.withPropertyValues("otpengine.rate-limits.per-recipient=1/1h", "otpengine.rate-limits.resend-cooldown=0s",
                        "otpengine.widgets[0].alphabet=ALPHANUMERIC", "otpengine.widgets[0].code-length=8",
                        "otpengine.widgets[0].templates[de]=Ihr Code: {code}")
                .run(context -> {
                    OtpEngine engine = context.getBean(OtpEngine.class);
                    CapturingChannel sms = (CapturingChannel) context.getBean(Channel.class);
                    engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550192")
                            .locale(java.util.Locale.GERMAN).build());
                    String text = sms.lastMessage().orElseThrow().text();
                    String code = sms.lastCode().orElseThrow();
                    assertEquals(8, code.length());
                    assertTrue(text.startsWith("Ihr Code: " + code), text);
                    dev.otpengine.RateLimitException e = org.junit.jupiter.api.Assertions.assertThrows(
                            dev.otpengine.RateLimitException.class, () -> engine.send(SendRequest.builder(
                                    UUID.fromString(WIDGET)).phone("+12025550192").build()));
                    assertEquals(dev.otpengine.RateLimitException.Scope.RECIPIENT, e.scope());
                });
    }

    @Test
    void theTollFraudGuard_andTheLocaleByPhoneCountry_areProperties() {
        runner.withPropertyValues("otpengine.rate-limits.country-conversion.min-sends=2",
                        "otpengine.rate-limits.country-conversion.trusted-calling-codes=49",
                        "otpengine.rate-limits.country-conversion.refuse-openly=true",
                        "otpengine.widgets[0].locale-by-phone-country=true")
                .run(context -> {
                    OtpEngine engine = context.getBean(OtpEngine.class);
                    CapturingChannel sms = (CapturingChannel) context.getBean(Channel.class);
                    UUID widget = UUID.fromString(WIDGET);
                    engine.send(SendRequest.builder(widget).phone("+639171234561").build());
                    engine.send(SendRequest.builder(widget).phone("+639171234562").build());
                    dev.otpengine.RateLimitException e = org.junit.jupiter.api.Assertions.assertThrows(
                            dev.otpengine.RateLimitException.class,
                            () -> engine.send(SendRequest.builder(widget).phone("+639171234563").build()));
                    assertEquals(dev.otpengine.RateLimitException.Scope.COUNTRY_CONVERSION, e.scope());
                    for (int i = 0; i < 5; i++) { // trusted
                        engine.send(SendRequest.builder(widget).phone("+4915112345670" + i).build());
                    }
                    assertEquals(java.util.Locale.forLanguageTag("de-DE"), sms.lastMessage().orElseThrow().locale());
                });
        runner.withPropertyValues("otpengine.rate-limits.country-conversion.min-verified-share=1.5").run(context -> {
            assertNotNull(context.getStartupFailure());
            assertTrue(rootMessage(context.getStartupFailure()).startsWith(
                    "otpengine.rate-limits.country-conversion: minVerifiedShare must be above 0 and at most 1"),
                    rootMessage(context.getStartupFailure()));
        });
        runner.withPropertyValues("otpengine.rate-limits.country-conversion.min-sends=2",
                        "otpengine.rate-limits.country-conversion.range-digits=3",
                        "otpengine.rate-limits.country-conversion.region-sends=7",
                        "otpengine.rate-limits.country-conversion.trusted-regions=GG,JE")
                .run(context -> assertEquals(java.util.Optional.of(dev.otpengine.ConversionGuard.of(2, 0.2, java.time.Duration.ofDays(1))
                                .withRangeDigits(3).withRegionSends(7).trustingRegions("GG", "JE")),
                        OtpEngineAutoConfiguration.rateLimits(context.getBean(OtpEngineProperties.class)
                                .getRateLimits(), "otpengine.rate-limits").countryConversion()));
        runner.withPropertyValues("otpengine.rate-limits.country-conversion.trusted-regions=gg").run(context ->
                assertTrue(rootMessage(context.getStartupFailure()).startsWith(
                        "otpengine.rate-limits.country-conversion.trusted-regions: trustingRegions: a region must be"),
                        rootMessage(context.getStartupFailure())));
        runner.withPropertyValues("otpengine.rate-limits.country-conversion.range-digits=0").run(context ->
                assertTrue(rootMessage(context.getStartupFailure()).startsWith(
                        "otpengine.rate-limits.country-conversion.range-digits: rangeDigits must be from 1 to 8"),
                        rootMessage(context.getStartupFailure())));
    }

    @Test
    void aMalformedLimit_failsStartUp_namingItsPlace() {
        runner.withPropertyValues("otpengine.rate-limits.per-ip=5/1m,5 per hour").run(context ->
                assertTrue(rootMessage(context.getStartupFailure())
                        .startsWith("otpengine.rate-limits.per-ip[1]: a limit is count/window"),
                        rootMessage(context.getStartupFailure())));
        runner.withPropertyValues("otpengine.widgets[0].rate-limits.per-recipient=5/1h,9/60m").run(context ->
                assertTrue(rootMessage(context.getStartupFailure())
                        .startsWith("otpengine.widgets[0].rate-limits.per-recipient: two limits have the window PT1H"),
                        rootMessage(context.getStartupFailure())));
    }

    @Test
    void theApplicationsCaptchaVerifierAndListeners_joinTheEngine() {
        java.util.List<dev.otpengine.OtpEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.withPropertyValues("otpengine.widgets[0].captcha-required=true")
                .withBean(dev.otpengine.spi.CaptchaVerifier.class, () -> (token, ip, widget) -> "human".equals(token))
                .withBean(dev.otpengine.OtpListener.class, () -> new dev.otpengine.OtpListener() {
                    @Override
                    public void onSent(dev.otpengine.OtpEvent.Sent event) {
                        heard.add(event);
                    }
                })
                .run(context -> {
                    OtpEngine engine = context.getBean(OtpEngine.class);
                    org.junit.jupiter.api.Assertions.assertThrows(dev.otpengine.CaptchaNotConfirmedException.class,
                            () -> engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550193")
                                    .captchaToken("bot").build()));
                    engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550193")
                            .captchaToken("human").build());
                    assertEquals(1, heard.size());
                });
    }

    @Test
    void theRestEndpoints_onlyWhenEnabled_inAServletApplication() {
        runner.run(context -> assertTrue(context.getBeansOfType(OtpController.class).isEmpty(), "off by default"));
        runner.withPropertyValues("otpengine.web.enabled=true").run(context ->
                assertTrue(context.getBeansOfType(OtpController.class).isEmpty(), "not a web application"));
        new org.springframework.boot.test.context.runner.WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OtpEngineAutoConfiguration.class))
                .withBean("sms", Channel.class, CapturingChannel::sms)
                .withPropertyValues("otpengine.widgets[0].id=" + WIDGET, "otpengine.widgets[0].name=Acme",
                        "otpengine.web.enabled=true")
                .run(context -> assertEquals(1, context.getBeansOfType(OtpController.class).size()));
    }

    @Test
    void storeRedis_keepsTheStateInRedis_closedWithTheContext() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").build();
        server.start();
        try {
            runner.withPropertyValues("otpengine.store=redis", "otpengine.redis.uri=redis://127.0.0.1:" + port)
                    .run(context -> assertTrue(rootMessage(context.getStartupFailure())
                            .startsWith("otpengine.secret: required with a shared store"),
                            rootMessage(context.getStartupFailure())));
            runner.withPropertyValues("otpengine.store=redis", "otpengine.redis.uri=redis://127.0.0.1:" + port,
                            "otpengine.redis.key-prefix=boot-test:", "otpengine.secret=a secret of thirty-two bytes or more")
                    .run(context -> {
                        assertTrue(context.getBean(dev.otpengine.store.OtpStore.class) instanceof dev.otpengine.redis.RedisStore);
                        OtpEngine engine = context.getBean(OtpEngine.class);
                        CapturingChannel sms = (CapturingChannel) context.getBean(Channel.class);
                        SendResult sent = engine.send(SendRequest.builder(UUID.fromString(WIDGET)).phone("+12025550194")
                                .build());
                        assertEquals(VerifyResult.Status.VERIFIED,
                                engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).status());
                    });
        } finally {
            server.stop();
        }
    }
}
