package dev.otpengine.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read-only string settings of one channel. Keys are given without the channel's prefix:
 * the engine setting {@code email.smtp.host} is {@code get("smtp.host")} in the {@code email} channel's
 * settings. Values are trimmed, and a blank value counts as absent.
 *
 * <p>Every error names the full key ({@code email.smtp.host}) and never the value, which may be a secret;
 * {@link #toString()} lists keys only.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class ChannelSettings {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private final String channelId;
    private final Map<String, String> values;
    private final Clock clock;

    private ChannelSettings(String channelId, Map<String, String> values, Clock clock) {
        this.channelId = channelId;
        this.values = values;
        this.clock = clock;
    }

    /**
     * Settings of one channel.
     *
     * @param channelId the channel's id, used to name keys in errors
     * @param settings the channel's settings, keys without the {@code channelId + "."} prefix
     * @return the settings
     * @throws NullPointerException if {@code channelId} or {@code settings}, or a key or value in it, is null
     */
    public static ChannelSettings of(String channelId, Map<String, String> settings) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(settings, "settings");
        Map<String, String> copy = new TreeMap<>();
        settings.forEach((k, v) -> {
            Objects.requireNonNull(k, "settings key");
            Objects.requireNonNull(v, () -> "value of setting " + channelId + "." + k);
            String trimmed = v.strip();
            if (!trimmed.isEmpty()) {
                copy.put(k, trimmed);
            }
        });
        return new ChannelSettings(channelId, Collections.unmodifiableMap(copy), Clock.systemUTC());
    }

    /**
     * The same settings with the engine's clock, which the engine passes to every channel it discovers so that a
     * channel's own time rules (a circuit breaker's open time, say) follow the clock the engine was built with and a
     * test in virtual time moves them too.
     *
     * @param clock the engine's clock
     * @return settings with the same keys and values and that clock
     * @throws NullPointerException if {@code clock} is null
     */
    public ChannelSettings withClock(Clock clock) {
        return new ChannelSettings(channelId, values, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The clock a channel should read time from: the engine's for a discovered channel, else the system's UTC clock.
     *
     * @return the clock, never {@code null}
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The settings of the channel {@code channelId} out of engine-wide settings: every key that starts
     * with {@code channelId + "."}, with that prefix removed.
     *
     * @param channelId the channel's id
     * @param engineSettings all settings, keys with channel prefixes ({@code email.smtp.host})
     * @return the channel's settings
     * @throws NullPointerException if an argument, or a key or value in the map, is null
     */
    public static ChannelSettings forChannel(String channelId, Map<String, String> engineSettings) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(engineSettings, "engineSettings");
        String prefix = channelId + ".";
        Map<String, String> own = new TreeMap<>();
        engineSettings.forEach((k, v) -> {
            if (k != null && k.startsWith(prefix)) {
                own.put(k.substring(prefix.length()), v);
            }
        });
        return of(channelId, own);
    }

    /**
     * The channel these settings belong to.
     *
     * @return the channel id
     */
    public String channelId() {
        return channelId;
    }

    /**
     * The full key, with the channel prefix, as a user writes it.
     *
     * @param key a key without the prefix
     * @return {@code channelId + "." + key}
     */
    public String qualifiedKey(String key) {
        return channelId + "." + key;
    }

    /**
     * One setting.
     *
     * @param key a key without the channel prefix
     * @return the trimmed value, or empty if absent or blank
     * @throws NullPointerException if {@code key} is null
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(Objects.requireNonNull(key, "key")));
    }

    /**
     * One setting, or a default.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent
     * @return the trimmed value or {@code defaultValue}
     * @throws NullPointerException if {@code key} is null
     */
    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /**
     * One setting that the channel cannot work without.
     *
     * @param key a key without the channel prefix
     * @return the trimmed value
     * @throws ChannelConfigurationException if the setting is absent or blank, naming the full key
     * @throws NullPointerException if {@code key} is null
     */
    public String require(String key) {
        return get(key).orElseThrow(() -> new ChannelConfigurationException(qualifiedKey(key),
                "missing required setting " + qualifiedKey(key) + " for channel " + channelId));
    }

    /**
     * An integer setting.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent
     * @return the value
     * @throws ChannelConfigurationException if the value is not a decimal {@code int}
     */
    public int getInt(String key, int defaultValue) {
        long value = getLong(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw malformed(key, "an integer");
        }
        return (int) value;
    }

    /**
     * An integer setting within a range, such as a port or a pool size.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent; not checked against the range
     * @param min the least value allowed
     * @param max the greatest value allowed
     * @return the value
     * @throws ChannelConfigurationException if the value is not a decimal {@code int} or out of range; the message
     *     names the key, the range and the value
     */
    public int getInt(String key, int defaultValue, int min, int max) {
        int value = getInt(key, defaultValue);
        if (get(key).isPresent() && (value < min || value > max)) {
            throw malformed(key, "from " + min + " to " + max + ": " + value);
        }
        return value;
    }

    /**
     * A long integer setting.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent
     * @return the value
     * @throws ChannelConfigurationException if the value is not a decimal {@code long}
     */
    public long getLong(String key, long defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw malformed(key, "an integer");
        }
    }

    /**
     * A boolean setting: {@code true} or {@code false}, in any case.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent
     * @return the value
     * @throws ChannelConfigurationException if the value is neither {@code true} nor {@code false}
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw malformed(key, "true or false");
        }
    }

    /**
     * A duration setting: ISO-8601 ({@code PT10S}) or a number with a unit, {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d} ({@code 500ms}, {@code 10s}).
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent
     * @return the value, zero or positive
     * @throws ChannelConfigurationException if the value is malformed or negative
     */
    public Duration getDuration(String key, Duration defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Duration d = parseDuration(raw.get().toLowerCase(Locale.ROOT));
        if (d == null || d.isNegative()) {
            throw malformed(key, "a duration such as 10s, 500ms or PT10S");
        }
        return d;
    }

    /**
     * A timeout-like duration setting: positive and at most {@code max}.
     *
     * @param key a key without the channel prefix
     * @param defaultValue returned when the setting is absent; not checked against the range
     * @param max the longest value allowed
     * @return the value
     * @throws ChannelConfigurationException if the value is malformed, zero, negative or longer than {@code max}; the
     *     message names the key, the limit and the value
     */
    public Duration getDuration(String key, Duration defaultValue, Duration max) {
        Duration d = getDuration(key, defaultValue);
        if (get(key).isPresent() && (d.isZero() || d.compareTo(max) > 0)) {
            throw malformed(key, "positive and at most " + max + ": " + d);
        }
        return d;
    }

    private static Duration parseDuration(String s) {
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    return Duration.ofDays(n);
            }
        }
        try {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The keys present, without the channel prefix, sorted.
     *
     * @return an unmodifiable set
     */
    public Set<String> keys() {
        return values.keySet();
    }

    private ChannelConfigurationException malformed(String key, String expected) {
        return new ChannelConfigurationException(qualifiedKey(key),
                "setting " + qualifiedKey(key) + " must be " + expected);
    }

    /**
     * Lists the keys, never the values.
     *
     * @return a string that is safe to log
     */
    @Override
    public String toString() {
        return "ChannelSettings[" + channelId + ": " + values.keySet() + "]";
    }
}
