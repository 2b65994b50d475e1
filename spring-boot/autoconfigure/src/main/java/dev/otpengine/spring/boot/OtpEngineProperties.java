package dev.otpengine.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code otpengine.*} properties an {@link dev.otpengine.OtpEngine} is built from, as an
 * {@code application.yml} gives them:
 * <pre>{@code
 * otpengine:
 *   secret: ${OTP_SECRET}            # at least 32 bytes; the same on every instance
 *   widgets:
 *     - id: 123634df-ddfe-4dda-b31d-f3b4e75fc5dc
 *       name: Acme
 *   channels:
 *     sms.gateway: console           # every channel plugin's settings, as discoverChannels takes them
 *   store: memory                    # or redis (otpengine-redis), or jdbc (otpengine-jdbc)
 * }</pre>
 *
 * <p><b>Thread-safety:</b> not thread-safe; Spring binds it once, before the engine is built.
 */
@ConfigurationProperties("otpengine")
public class OtpEngineProperties {

    /** The store kept in the engine's own memory, per instance: {@value}, the default of {@link #store}. */
    public static final String MEMORY = "memory";

    /**
     * The key codes are hashed with, at least 32 bytes (as UTF-8); the same on every instance that shares a store.
     * Unless set, the engine draws a random one, which only a single instance with the in-process store may do.
     */
    private String secret;

    /** The widgets the engine serves. */
    private List<WidgetProperties> widgets = new ArrayList<>();

    /**
     * Every channel plugin's settings, keyed {@code <channelId>.<key>} as {@code discoverChannels} takes them, such
     * as {@code sms.gateway} or {@code email.smtp.host}.
     */
    private Map<String, String> channels = new LinkedHashMap<>();

    /** The rate limits of widgets without their own. */
    @NestedConfigurationProperty // so the metadata lists otpengine.rate-limits.* and an IDE completes them
    private RateLimitsProperties rateLimits = new RateLimitsProperties();

    /** The engine's texts by locale, over the built-in ones, each with {@code {code}}. */
    private Map<Locale, String> templates = new LinkedHashMap<>();

    /** How long one channel may take, by channel id, over {@code delivery-timeout}. */
    private Map<String, Duration> channelTimeouts = new LinkedHashMap<>();

    /** The locale of requests that name none; English unless set. */
    private Locale defaultLocale;

    /** How long any channel may take to accept a message; ten seconds unless set. */
    private Duration deliveryTimeout;

    /** The most codes the in-process store keeps; the engine's default unless set. */
    private Long maxPendingCodes;

    /** The most buckets each rate-limit scope of the in-process store keeps; the engine's default unless set. */
    private Long maxRateLimitKeys;

    /** @return {@link #maxRateLimitKeys} */
    public Long getMaxRateLimitKeys() {
        return maxRateLimitKeys;
    }

    /** @param maxRateLimitKeys {@link #maxRateLimitKeys} */
    public void setMaxRateLimitKeys(Long maxRateLimitKeys) {
        this.maxRateLimitKeys = maxRateLimitKeys;
    }

    /**
     * Where the engine keeps its state: memory (per instance), or the name of a store module on the class path, which
     * contributes the store: redis (otpengine-redis, {@code otpengine.redis.*}) or jdbc (otpengine-jdbc, on the
     * application's DataSource, {@code otpengine.jdbc.*}), shared by every instance.
     */
    private String store = MEMORY;

    /** The JDBC store's settings, for {@code otpengine.store=jdbc}. */
    private Jdbc jdbc = new Jdbc();

    /** The Redis store's settings, for {@code otpengine.store=redis}. */
    private Redis redis = new Redis();

    /** The REST endpoints. */
    private Web web = new Web();

    /** @return {@link #web} */
    public Web getWeb() {
        return web;
    }

    /** @param web {@link #web} */
    public void setWeb(Web web) {
        this.web = web;
    }

    /** @return {@link #secret} */
    public String getSecret() {
        return secret;
    }

    /** @param secret {@link #secret} */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    /** @return {@link #widgets} */
    public List<WidgetProperties> getWidgets() {
        return widgets;
    }

    /** @param widgets {@link #widgets} */
    public void setWidgets(List<WidgetProperties> widgets) {
        this.widgets = widgets;
    }

    /** @return {@link #channels} */
    public Map<String, String> getChannels() {
        return channels;
    }

    /** @param channels {@link #channels} */
    public void setChannels(Map<String, String> channels) {
        this.channels = channels;
    }

    /** @return {@link #rateLimits} */
    public RateLimitsProperties getRateLimits() {
        return rateLimits;
    }

    /** @param rateLimits {@link #rateLimits} */
    public void setRateLimits(RateLimitsProperties rateLimits) {
        this.rateLimits = rateLimits;
    }

    /** @return {@link #templates} */
    public Map<Locale, String> getTemplates() {
        return templates;
    }

    /** @param templates {@link #templates} */
    public void setTemplates(Map<Locale, String> templates) {
        this.templates = templates;
    }

    /** @return {@link #channelTimeouts} */
    public Map<String, Duration> getChannelTimeouts() {
        return channelTimeouts;
    }

    /** @param channelTimeouts {@link #channelTimeouts} */
    public void setChannelTimeouts(Map<String, Duration> channelTimeouts) {
        this.channelTimeouts = channelTimeouts;
    }

    /** @return {@link #defaultLocale} */
    public Locale getDefaultLocale() {
        return defaultLocale;
    }

    /** @param defaultLocale {@link #defaultLocale} */
    public void setDefaultLocale(Locale defaultLocale) {
        this.defaultLocale = defaultLocale;
    }

    /** @return {@link #deliveryTimeout} */
    public Duration getDeliveryTimeout() {
        return deliveryTimeout;
    }

    /** @param deliveryTimeout {@link #deliveryTimeout} */
    public void setDeliveryTimeout(Duration deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    /** @return {@link #maxPendingCodes} */
    public Long getMaxPendingCodes() {
        return maxPendingCodes;
    }

    /** @param maxPendingCodes {@link #maxPendingCodes} */
    public void setMaxPendingCodes(Long maxPendingCodes) {
        this.maxPendingCodes = maxPendingCodes;
    }

    /** @return {@link #store} */
    public String getStore() {
        return store;
    }

    /** @param store {@link #store} */
    public void setStore(String store) {
        this.store = store;
    }

    /** @return {@link #jdbc} */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @param jdbc {@link #jdbc} */
    public void setJdbc(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** @return {@link #redis} */
    public Redis getRedis() {
        return redis;
    }

    /** @param redis {@link #redis} */
    public void setRedis(Redis redis) {
        this.redis = redis;
    }

    /**
     * One widget's properties, under {@code otpengine.widgets[i]}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; bound once.
     */
    public static class WidgetProperties {

        /** The widget's id, a UUID. */
        private UUID id;

        /** The name its texts show, 1 to 64 characters. */
        private String name;

        /** The ids of its channels, in order; every channel of the engine unless set. */
        private List<String> channels = new ArrayList<>();

        /** How long a code lives; the engine's default unless set. */
        private Duration ttl;

        /** How many characters a code has, 4 to 10; 6 unless set. */
        private Integer codeLength;

        /** How many wrong guesses a code takes; the engine's default unless set. */
        private Integer maxAttempts;

        /** Whether sends need a captcha token (an application bean of type CaptchaVerifier checks it). */
        private boolean captchaRequired;
        /** Whether a send that names no locale is written in the language of the phone's country; false unless set. */
        private boolean localeByPhoneCountry;

        /** Test recipients (phone or email) and their fixed codes, for app-store reviewers. */
        private Map<String, String> testRecipients = new LinkedHashMap<>();

        /** The code's alphabet: DIGITS unless set. */
        private dev.otpengine.CodeAlphabet alphabet;

        /** ALL channels at once, or FALLBACK in order; the widget's default unless set. */
        private dev.otpengine.DeliveryMode delivery;

        /**
         * With FALLBACK: how long after a channel accepted a code the same code goes out on the next channel if it was
         * not verified (10s to 30m); no escalation unless set.
         */
        private Duration escalateAfter;

        /** The country calling codes phones may have (7, 44, 49); any unless set. */
        private List<Integer> allowedCallingCodes = new ArrayList<>();

        /** The widget's texts by locale, each with {@code {code}}. */
        private Map<Locale, String> templates = new LinkedHashMap<>();

        /** The widget's own rate limits, over the engine's; the engine's unless set. */
        private RateLimitsProperties rateLimits;

        /** @return {@link #alphabet} */
        public dev.otpengine.CodeAlphabet getAlphabet() {
            return alphabet;
        }

        /** @param alphabet {@link #alphabet} */
        public void setAlphabet(dev.otpengine.CodeAlphabet alphabet) {
            this.alphabet = alphabet;
        }

        /** @return {@link #delivery} */
        public dev.otpengine.DeliveryMode getDelivery() {
            return delivery;
        }

        /** @param delivery {@link #delivery} */
        public void setDelivery(dev.otpengine.DeliveryMode delivery) {
            this.delivery = delivery;
        }

        /** @return {@link #escalateAfter} */
        public Duration getEscalateAfter() {
            return escalateAfter;
        }

        /** @param escalateAfter {@link #escalateAfter} */
        public void setEscalateAfter(Duration escalateAfter) {
            this.escalateAfter = escalateAfter;
        }

        /** @return {@link #allowedCallingCodes} */
        public List<Integer> getAllowedCallingCodes() {
            return allowedCallingCodes;
        }

        /** @param allowedCallingCodes {@link #allowedCallingCodes} */
        public void setAllowedCallingCodes(List<Integer> allowedCallingCodes) {
            this.allowedCallingCodes = allowedCallingCodes;
        }

        /** @return {@link #templates} */
        public Map<Locale, String> getTemplates() {
            return templates;
        }

        /** @param templates {@link #templates} */
        public void setTemplates(Map<Locale, String> templates) {
            this.templates = templates;
        }

        /** @return {@link #rateLimits} */
        public RateLimitsProperties getRateLimits() {
            return rateLimits;
        }

        /** @param rateLimits {@link #rateLimits} */
        public void setRateLimits(RateLimitsProperties rateLimits) {
            this.rateLimits = rateLimits;
        }

        /** @return {@link #id} */
        public UUID getId() {
            return id;
        }

        /** @param id {@link #id} */
        public void setId(UUID id) {
            this.id = id;
        }

        /** @return {@link #name} */
        public String getName() {
            return name;
        }

        /** @param name {@link #name} */
        public void setName(String name) {
            this.name = name;
        }

        /** @return {@link #channels} */
        public List<String> getChannels() {
            return channels;
        }

        /** @param channels {@link #channels} */
        public void setChannels(List<String> channels) {
            this.channels = channels;
        }

        /** @return {@link #ttl} */
        public Duration getTtl() {
            return ttl;
        }

        /** @param ttl {@link #ttl} */
        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        /** @return {@link #codeLength} */
        public Integer getCodeLength() {
            return codeLength;
        }

        /** @param codeLength {@link #codeLength} */
        public void setCodeLength(Integer codeLength) {
            this.codeLength = codeLength;
        }

        /** @return {@link #maxAttempts} */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts {@link #maxAttempts} */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return {@link #localeByPhoneCountry} */
        public boolean isLocaleByPhoneCountry() {
            return localeByPhoneCountry;
        }

        /** @param localeByPhoneCountry {@link #localeByPhoneCountry} */
        public void setLocaleByPhoneCountry(boolean localeByPhoneCountry) {
            this.localeByPhoneCountry = localeByPhoneCountry;
        }

        /** @return {@link #captchaRequired} */
        public boolean isCaptchaRequired() {
            return captchaRequired;
        }

        /** @param captchaRequired {@link #captchaRequired} */
        public void setCaptchaRequired(boolean captchaRequired) {
            this.captchaRequired = captchaRequired;
        }

        /** @return {@link #testRecipients} */
        public Map<String, String> getTestRecipients() {
            return testRecipients;
        }

        /** @param testRecipients {@link #testRecipients} */
        public void setTestRecipients(Map<String, String> testRecipients) {
            this.testRecipients = testRecipients;
        }
    }

    /**
     * The JDBC store's properties, under {@code otpengine.jdbc}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; bound once.
     */
    public static class Jdbc {

        /** The prefix of the store's tables; the store's default ({@code otp_}) unless set. */
        private String tablePrefix;

        /** How long one read from the database may take; the store's default (2 s) unless set. */
        private Duration timeout;

        /**
         * How many rate-limit buckets (rows of the buckets table, every scope together) the store keeps at most; past
         * it the clean-up drops the lowest ranked: a requester's counters (IPs, widgets) before a recipient's, the least
         * used share of their limits first. The store's default (1,000,000) unless set.
         */
        private Long maxRateLimitKeys;

        /**
         * How long one statement of the store's clean-up may run before the server cancels it; the store's default
         * (30 s) unless set. A clean-up that times out fails that run only; the store is not counted as down.
         */
        private Duration cleanupTimeout;

        /** @return {@link #cleanupTimeout} */
        public Duration getCleanupTimeout() {
            return cleanupTimeout;
        }

        /** @param cleanupTimeout {@link #cleanupTimeout} */
        public void setCleanupTimeout(Duration cleanupTimeout) {
            this.cleanupTimeout = cleanupTimeout;
        }

        /** @return {@link #maxRateLimitKeys} */
        public Long getMaxRateLimitKeys() {
            return maxRateLimitKeys;
        }

        /** @param maxRateLimitKeys {@link #maxRateLimitKeys} */
        public void setMaxRateLimitKeys(Long maxRateLimitKeys) {
            this.maxRateLimitKeys = maxRateLimitKeys;
        }

        /** @return {@link #tablePrefix} */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /** @param tablePrefix {@link #tablePrefix} */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** @return {@link #timeout} */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout {@link #timeout} */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * The Redis store's properties, under {@code otpengine.redis}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; bound once.
     */
    public static class Redis {

        /** The Redis URI, such as {@code redis://:password@redis.internal:6379/0}. */
        private String uri;

        /** The prefix of every key; the store's default unless set. */
        private String keyPrefix;

        /** How long one operation may wait for Redis; the store's default (2 s) unless set. */
        private Duration timeout;

        /** @return {@link #uri} */
        public String getUri() {
            return uri;
        }

        /** @param uri {@link #uri} */
        public void setUri(String uri) {
            this.uri = uri;
        }

        /** @return {@link #keyPrefix} */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix {@link #keyPrefix} */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** @return {@link #timeout} */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout {@link #timeout} */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * The REST endpoints' properties, under {@code otpengine.web}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; bound once.
     */
    public static class Web {

        /**
         * Whether to serve POST {path} (send), POST {path}/verify and the vendors' delivery-report webhooks
         * {path}/reports/twilio and {path}/reports/vonage; off unless set.
         */
        private boolean enabled;

        /** Where the endpoints are; /otp unless set. */
        private String path = "/otp";

        /**
         * The public base URL vendors call this application at, as configured at the vendor, such as
         * {@code https://example.com} (no path of the application's own, no query). Twilio signs the URL it called:
         * with this set, a status callback to {path}/reports/twilio is checked over this URL, the servlet context
         * path, {path}/reports/twilio and the query as received; never over the request's Host or X-Forwarded-*
         * headers. Not needed when Twilio calls exactly sms.twilio.statusCallbackUrl, which is checked too.
         */
        private String publicUrl;

        /** @return {@link #publicUrl} */
        public String getPublicUrl() {
            return publicUrl;
        }

        /** @param publicUrl {@link #publicUrl} */
        public void setPublicUrl(String publicUrl) {
            this.publicUrl = publicUrl;
        }

        /** @return {@link #enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@link #enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return {@link #path} */
        public String getPath() {
            return path;
        }

        /** @param path {@link #path} */
        public void setPath(String path) {
            this.path = path;
        }
    }
}
