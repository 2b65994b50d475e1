package dev.otpengine.internal;

import dev.otpengine.OtpListener;
import dev.otpengine.RateLimits;
import dev.otpengine.Widget;
import dev.otpengine.spi.CaptchaVerifier;
import dev.otpengine.spi.Channel;
import dev.otpengine.store.OtpStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What an {@code OtpEngine.Builder} collected, each value already checked by its setter, with the engine's channels
 * resolved: the input of {@link EngineParts#assemble}.
 *
 * @param channels every channel by id, in registration order
 * @param widgets the widgets
 * @param captchaVerifier the captcha verifier, or {@code null}
 * @param clock the clock
 * @param listeners the listeners, in order
 * @param executor the delivery executor, or {@code null} for the engine's own threads
 * @param secret the secret, or {@code null} for a random one
 * @param deliveryTimeout how long any channel may take
 * @param channelTimeouts per channel
 * @param templates the engine's texts per locale
 * @param defaultLocale the default locale
 * @param store the store given, or {@code null} for the in-process one
 * @param maxPendingCodes the in-process store's bound on codes
 * @param rateLimits the engine's limits
 * @param maxRateLimitKeys the in-process store's bound on each scope's buckets
 */
public record EngineSettings(Map<String, Channel> channels, List<Widget> widgets, CaptchaVerifier captchaVerifier,
                             Clock clock, List<OtpListener> listeners, Executor executor, byte[] secret,
                             Duration deliveryTimeout, Map<String, Duration> channelTimeouts,
                             Map<Locale, String> templates, Locale defaultLocale, OtpStore store,
                             long maxPendingCodes, RateLimits rateLimits, long maxRateLimitKeys) {

    /** @return the channels and widgets only: the settings hold the secret */
    @Override
    public String toString() {
        return "EngineSettings[channels=" + channels.keySet() + ", widgets=" + widgets.size() + ", secret=<redacted>]";
    }
}
