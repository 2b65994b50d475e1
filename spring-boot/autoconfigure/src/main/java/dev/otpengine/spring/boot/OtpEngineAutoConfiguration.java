package dev.otpengine.spring.boot;

import dev.otpengine.ConversionGuard;
import dev.otpengine.Limit;
import dev.otpengine.OtpEngine;
import dev.otpengine.OtpListener;
import dev.otpengine.RateLimits;
import dev.otpengine.Widget;
import dev.otpengine.micrometer.OtpMeters;
import dev.otpengine.spi.CaptchaVerifier;
import dev.otpengine.spi.Channel;
import dev.otpengine.store.OtpStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link OtpEngine} from {@code otpengine.*} properties ({@link OtpEngineProperties}), closed with the
 * context, with the application's own beans where it has them: every {@link Channel}, {@link OtpListener} and the
 * {@link CaptchaVerifier} are given to the engine, an {@link OtpStore} bean is its store, and a bean of type
 * {@code OtpEngine} replaces this one altogether. With Micrometer and {@code otpengine-micrometer} on the class path
 * and a {@link MeterRegistry} bean, the engine's events become meters. Each store module contributes its own
 * {@link OtpStore} bean, chosen by {@code otpengine.store=<name>} ({@link OtpRedisStoreAutoConfiguration redis},
 * {@link OtpJdbcStoreAutoConfiguration jdbc}); {@code memory}, the default, keeps the state in the engine.
 *
 * <p>A bad value fails start-up with an {@link OtpEnginePropertyException} whose message begins with the property's
 * name, such as {@code otpengine.widgets[0]: name is required}, reported by {@link OtpEngineFailureAnalyzer}.
 *
 * <p><b>Thread-safety:</b> Spring calls it once, at start-up.
 */
@AutoConfiguration
@EnableConfigurationProperties(OtpEngineProperties.class)
public class OtpEngineAutoConfiguration {

    /** A property value Spring left as it was written: {@code ${NAME}} or {@code ${NAME:}}, nothing resolved. */
    private static final java.util.regex.Pattern UNRESOLVED = java.util.regex.Pattern.compile("\\$\\{([^}:]+)(?::)?}");


    /**
     * The engine.
     *
     * @param properties the {@code otpengine.*} properties
     * @param channels the application's channels
     * @param listeners the application's listeners (the meters among them, when there are meters)
     * @param captchaVerifier the application's captcha verifier, if any
     * @param store the application's store, if any (the Redis store, with {@code otpengine.store=redis})
     * @return the engine; Spring closes it with the context
     * @throws OtpEnginePropertyException if a property is bad, naming it
     */
    @Bean
    @ConditionalOnMissingBean
    public OtpEngine otpEngine(OtpEngineProperties properties, ObjectProvider<Channel> channels,
                               ObjectProvider<OtpListener> listeners, ObjectProvider<CaptchaVerifier> captchaVerifier,
                               ObjectProvider<OtpStore> store) {
        OtpEngine.Builder builder = OtpEngine.builder();
        OtpStore given = store.getIfAvailable();
        String storeName = properties.getStore();
        if (given == null && !OtpEngineProperties.MEMORY.equals(storeName)) {
            throw new OtpEnginePropertyException("otpengine.store", "no store module contributes a store named \""
                    + storeName + "\": add otpengine-redis (redis) or otpengine-jdbc (jdbc) to the class path, or use "
                    + OtpEngineProperties.MEMORY, null);
        }
        if (given != null) {
            if (given.isShared() && properties.getSecret() == null) {
                throw new OtpEnginePropertyException("otpengine.secret", "required with a shared store (otpengine.store="
                        + storeName + "): set the same secret of at least 32 bytes on every instance, or each would reject "
                        + "the others' codes", null);
            }
            builder.store(given);
        }
        if (properties.getSecret() != null) {
            java.util.regex.Matcher unresolved = UNRESOLVED.matcher(properties.getSecret().strip());
            if (unresolved.matches()) {
                // Spring binds an unresolvable ${...} as it stands: say the variable is unset, not "13 bytes"
                throw new OtpEnginePropertyException("otpengine.secret", "the placeholder " + unresolved.group()
                        + " was not resolved: set the environment variable or property " + unresolved.group(1)
                        + " (at least 32 bytes)", null);
            }
            byte[] secret = properties.getSecret().getBytes(StandardCharsets.UTF_8);
            named("otpengine.secret", () -> builder.secret(secret));
        }
        RateLimits limits = named("otpengine.rate-limits", () -> rateLimits(properties.getRateLimits(),
                "otpengine.rate-limits"));
        builder.rateLimits(limits);
        properties.getTemplates().forEach((locale, text) ->
                named("otpengine.templates[" + locale.toLanguageTag() + "]", () -> builder.template(locale, text)));
        properties.getChannelTimeouts().forEach((channel, timeout) ->
                named("otpengine.channel-timeouts[" + channel + "]", () -> builder.deliveryTimeout(channel, timeout)));
        if (properties.getDefaultLocale() != null) {
            builder.defaultLocale(properties.getDefaultLocale());
        }
        if (properties.getDeliveryTimeout() != null) {
            named("otpengine.delivery-timeout", () -> builder.deliveryTimeout(properties.getDeliveryTimeout()));
        }
        if (properties.getMaxPendingCodes() != null) {
            named("otpengine.max-pending-codes", () -> builder.maxPendingCodes(properties.getMaxPendingCodes()));
        }
        if (properties.getMaxRateLimitKeys() != null) {
            named("otpengine.max-rate-limit-keys", () -> builder.maxRateLimitKeys(properties.getMaxRateLimitKeys()));
        }
        List<OtpEngineProperties.WidgetProperties> widgets = properties.getWidgets();
        for (int i = 0; i < widgets.size(); i++) {
            OtpEngineProperties.WidgetProperties w = widgets.get(i);
            String prefix = "otpengine.widgets[" + i + "]";
            Widget widget = named(prefix, () -> widget(w, prefix));
            named(prefix, () -> builder.widget(widget));
        }
        channels.orderedStream().forEach(builder::channel);
        listeners.orderedStream().forEach(builder::listener);
        captchaVerifier.ifAvailable(builder::captchaVerifier);
        if (!properties.getChannels().isEmpty()) {
            builder.discoverChannels(Map.copyOf(properties.getChannels()));
        }
        return named("otpengine", builder::build);
    }

    private static Widget widget(OtpEngineProperties.WidgetProperties w, String prefix) {
        if (w.getId() == null) {
            throw new IllegalArgumentException("id is required");
        }
        if (w.getName() == null) {
            throw new IllegalArgumentException("name is required");
        }
        Widget.Builder b = Widget.builder(w.getId()).name(w.getName());
        if (!w.getChannels().isEmpty()) {
            b.channels(w.getChannels().toArray(String[]::new));
        }
        if (w.getTtl() != null) {
            b.ttl(w.getTtl());
        }
        if (w.getCodeLength() != null) {
            b.codeLength(w.getCodeLength());
        }
        if (w.getMaxAttempts() != null) {
            b.maxAttempts(w.getMaxAttempts());
        }
        b.captchaRequired(w.isCaptchaRequired());
        b.localeByPhoneCountry(w.isLocaleByPhoneCountry());
        if (w.getAlphabet() != null) {
            b.alphabet(w.getAlphabet());
        }
        if (w.getDelivery() != null) {
            b.delivery(w.getDelivery());
        }
        if (w.getEscalateAfter() != null) {
            b.escalateAfter(w.getEscalateAfter());
        }
        if (!w.getAllowedCallingCodes().isEmpty()) {
            b.allowedCallingCodes(w.getAllowedCallingCodes().stream().mapToInt(Integer::intValue).toArray());
        }
        w.getTemplates().forEach(b::template);
        if (w.getRateLimits() != null) {
            b.rateLimits(named(prefix + ".rate-limits", () -> rateLimits(w.getRateLimits(), prefix + ".rate-limits")));
        }
        w.getTestRecipients().forEach(b::testRecipient);
        return b.build();
    }

    /** Rate limits from their properties: the base, then each scope set over it, each limit {@code count/window}. */
    static RateLimits rateLimits(RateLimitsProperties p, String prefix) {
        RateLimits.Builder b = (p.getBase() == RateLimitsProperties.Base.UNLIMITED ? RateLimits.unlimited()
                : RateLimits.defaults()).toBuilder();
        if (p.getPerWidget() != null) {
            b.perWidget(limits(p.getPerWidget(), prefix + ".per-widget"));
        }
        if (p.getPerWidgetFree() != null) {
            b.perWidgetFree(limits(p.getPerWidgetFree(), prefix + ".per-widget-free"));
        }
        if (p.getPerIp() != null) {
            b.perIp(limits(p.getPerIp(), prefix + ".per-ip"));
        }
        if (p.getPerIpNetwork() != null) {
            b.perIpNetwork(limits(p.getPerIpNetwork(), prefix + ".per-ip-network"));
        }
        if (p.getPerRecipient() != null) {
            b.perRecipient(limits(p.getPerRecipient(), prefix + ".per-recipient"));
        }
        if (p.getResendCooldown() != null) {
            named(prefix + ".resend-cooldown", () -> b.resendCooldown(p.getResendCooldown()));
        }
        if (p.getVerifyPerIp() != null) {
            b.verifyPerIp(limits(p.getVerifyPerIp(), prefix + ".verify-per-ip"));
        }
        if (p.getVerifyPerIpNetwork() != null) {
            b.verifyPerIpNetwork(limits(p.getVerifyPerIpNetwork(), prefix + ".verify-per-ip-network"));
        }
        if (p.getVerifyFailuresPerRecipient() != null) {
            b.verifyFailuresPerRecipient(limits(p.getVerifyFailuresPerRecipient(),
                    prefix + ".verify-failures-per-recipient"));
        }
        if (p.getIpv6Prefix() != null || p.getIpv6NetworkPrefix() != null) {
            int perIp = p.getIpv6Prefix() != null ? p.getIpv6Prefix() : 64;
            int network = p.getIpv6NetworkPrefix() != null ? p.getIpv6NetworkPrefix() : Math.min(48, perIp);
            named(prefix + ".ipv6-prefix", () -> b.ipv6Prefixes(perIp, network));
        }
        if (p.getCountryConversion() != null) {
            b.countryConversion(countryConversion(p.getCountryConversion(), prefix + ".country-conversion"));
        }
        return b.build();
    }

    /** The toll-fraud guard from its properties, each one not given as in the defaults; {@code null} if disabled. */
    private static ConversionGuard countryConversion(RateLimitsProperties.CountryConversion c, String prefix) {
        if (!c.isEnabled()) {
            return null;
        }
        ConversionGuard defaults = RateLimits.defaults().countryConversion().orElseThrow();
        ConversionGuard guard = named(prefix, () -> ConversionGuard.of(
                c.getMinSends() != null ? c.getMinSends() : defaults.minSends(),
                c.getMinVerifiedShare() != null ? c.getMinVerifiedShare() : defaults.minVerifiedShare(),
                c.getWindow() != null ? c.getWindow() : defaults.window()));
        int[] trusted = c.getTrustedCallingCodes().stream().mapToInt(Integer::intValue).toArray();
        ConversionGuard g = named(prefix + ".trusted-calling-codes", () -> guard.trusting(trusted));
        if (!c.getTrustedRegions().isEmpty()) {
            ConversionGuard before = g;
            g = named(prefix + ".trusted-regions", () -> before.trustingRegions(c.getTrustedRegions().toArray(String[]::new)));
        }
        if (c.getRangeDigits() != null) {
            ConversionGuard before = g;
            g = named(prefix + ".range-digits", () -> before.withRangeDigits(c.getRangeDigits()));
        }
        if (c.getRegionSends() != null) {
            ConversionGuard before = g;
            g = named(prefix + ".region-sends", () -> before.withRegionSends(c.getRegionSends()));
        }
        if (c.isRefuseOpenly()) {
            g = g.refusingOpenly();
        }
        ConversionGuard judged = g;
        return c.getRememberVerified() == null ? judged
                : named(prefix + ".remember-verified", () -> judged.rememberingVerified(c.getRememberVerified()));
    }

    /** Limits written {@code count/window}, such as {@code 5/1m} or {@code 10/1d}. */
    private static Limit[] limits(List<String> written, String property) {
        Limit[] limits = new Limit[written.size()];
        for (int i = 0; i < limits.length; i++) {
            String one = written.get(i).strip();
            int slash = one.indexOf('/');
            limits[i] = named(property + "[" + i + "]", () -> {
                if (slash < 1) {
                    throw new IllegalArgumentException("a limit is count/window, such as 5/1m or 10/1d");
                }
                long count;
                try {
                    count = Long.parseLong(one.substring(0, slash).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a limit is count/window, such as 5/1m or 10/1d", e);
                }
                return Limit.of(count, DurationStyle.detectAndParse(one.substring(slash + 1).strip()));
            });
        }
        java.util.Set<java.time.Duration> windows = new java.util.HashSet<>();
        for (Limit limit : limits) {
            if (!windows.add(limit.window())) {
                throw new OtpEnginePropertyException(property, "two limits have the window " + limit.window(), null);
            }
        }
        return limits;
    }

    /** Runs a builder step; a refusal becomes an {@link OtpEnginePropertyException} naming the property. */
    static <T> T named(String property, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (OtpEnginePropertyException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new OtpEnginePropertyException(property, message, e);
        }
    }

    /** Meters from the engine's events, when Micrometer and otpengine-micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "dev.otpengine.micrometer.OtpMeters"})
    static class Meters {

        /**
         * The meters, as one of the engine's listeners, in the application's {@link MeterRegistry}; none without one.
         *
         * @param registry the application's registry, if it has one
         * @return the listener
         */
        @Bean
        @ConditionalOnMissingBean(OtpMeters.class)
        OtpListener otpMeters(ObjectProvider<MeterRegistry> registry) {
            MeterRegistry r = registry.getIfAvailable();
            return r == null ? OtpListener.NONE : new OtpMeters(r);
        }

        /**
         * The gauge of pending codes, bound to each registry by Spring Boot's metrics support.
         *
         * @param engine the engine, looked up when a registry is bound
         * @return the binder
         */
        @Bean
        @ConditionalOnMissingBean(name = "otpPendingCodesGauge")
        io.micrometer.core.instrument.binder.MeterBinder otpPendingCodesGauge(ObjectProvider<OtpEngine> engine) {
            return registry -> engine.ifAvailable(e -> OtpMeters.gaugePendingCodes(registry, e));
        }

        /**
         * The gauges of the gateways' circuit breakers ({@code otp.gateway.circuit}), bound to each registry.
         *
         * @param engine the engine, looked up when a registry is bound
         * @return the binder
         */
        @Bean
        @ConditionalOnMissingBean(name = "otpGatewayCircuitGauges")
        io.micrometer.core.instrument.binder.MeterBinder otpGatewayCircuitGauges(ObjectProvider<OtpEngine> engine) {
            return registry -> engine.ifAvailable(e -> OtpMeters.gaugeGatewayCircuits(registry, e));
        }
    }

    /** The engine's health, for applications with Spring Boot's health support. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthCheck {

        /**
         * The health indicator.
         *
         * @param engine the engine
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "otpEngineHealthIndicator")
        OtpEngineHealthIndicator otpEngineHealthIndicator(OtpEngine engine) {
            return new OtpEngineHealthIndicator(engine);
        }
    }

    /** The REST endpoints, for a servlet application with {@code otpengine.web.enabled=true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    @ConditionalOnProperty(prefix = "otpengine.web", name = "enabled", havingValue = "true")
    static class Web {

        /**
         * The endpoints.
         *
         * @param engine the engine
         * @return the controller
         */
        @Bean
        @ConditionalOnMissingBean
        OtpController otpController(OtpEngine engine) {
            return new OtpController(engine);
        }

        /**
         * The vendors' delivery-report webhooks, checked against the channel settings the engine is built from.
         *
         * @param engine the engine
         * @param properties the {@code otpengine.*} properties
         * @param environment for the servlet context path, from configuration
         * @return the controller
         * @throws OtpEnginePropertyException if {@code otpengine.web.public-url} or
         *     {@code sms.vonage.signatureMethod} is malformed
         */
        @Bean
        @ConditionalOnMissingBean
        DeliveryReportController otpDeliveryReportController(OtpEngine engine, OtpEngineProperties properties,
                                                              org.springframework.core.env.Environment environment) {
            return new DeliveryReportController(engine, ReportWebhooks.from(properties,
                    environment.getProperty("server.servlet.context-path", ""), java.time.Clock.systemUTC()));
        }

        /**
         * The cap on the endpoints' bodies, before any JSON parser reads them.
         *
         * @param properties the {@code otpengine.*} properties, for the endpoints' path
         * @return the filter, on the endpoints' paths only
         */
        @Bean
        @ConditionalOnMissingBean(name = "otpBodyLimitFilter")
        org.springframework.boot.web.servlet.FilterRegistrationBean<BodyLimitFilter> otpBodyLimitFilter(
                OtpEngineProperties properties) {
            String path = properties.getWeb().getPath();
            org.springframework.boot.web.servlet.FilterRegistrationBean<BodyLimitFilter> filter =
                    new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new BodyLimitFilter());
            filter.addUrlPatterns(path, path + "/verify", path + "/reports/*");
            return filter;
        }
    }
}
