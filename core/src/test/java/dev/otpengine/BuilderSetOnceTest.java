package dev.otpengine;

import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each setting of {@link OtpEngine.Builder} takes one value: a second call is an {@link IllegalStateException} naming
 * the setting, as Caffeine's builders answer, never a silent replacement (two configuration sources disagreeing).
 */
final class BuilderSetOnceTest {

    private static final byte[] SECRET = new byte[32];

    @Test
    void everySetter_calledTwice_failsNamingItsSetting() {
        Executor direct = Runnable::run;
        Clock clock = TestClock.atFixedStart();
        Map<String, Consumer<OtpEngine.Builder>> setters = new LinkedHashMap<>();
        setters.put("clock", b -> b.clock(clock));
        setters.put("executor", b -> b.executor(direct));
        setters.put("secret", b -> b.secret(SECRET));
        setters.put("rateLimits", b -> b.rateLimits(RateLimits.unlimited()));
        setters.put("captchaVerifier", b -> b.captchaVerifier((token, ip, widget) -> true));
        setters.put("deliveryTimeout", b -> b.deliveryTimeout(Duration.ofSeconds(3)));
        setters.put("deliveryTimeout of channel sms", b -> b.deliveryTimeout("sms", Duration.ofSeconds(3)));
        setters.put("template of locale de", b -> b.template(Locale.GERMAN, "Code {code}"));
        setters.put("defaultLocale", b -> b.defaultLocale(Locale.GERMAN));
        setters.put("maxPendingCodes", b -> b.maxPendingCodes(10));
        setters.put("maxRateLimitKeys", b -> b.maxRateLimitKeys(10));
        setters.put("discoverChannels", b -> b.discoverChannels(Map.of()));
        setters.forEach((setting, set) -> {
            OtpEngine.Builder b = OtpEngine.builder();
            set.accept(b);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.accept(b), setting);
            assertEquals(setting + " was already set", e.getMessage());
        });
    }

    @Test
    void keyedSetters_takeOneValuePerKey() {
        OtpEngine.Builder b = OtpEngine.builder()
                .deliveryTimeout("sms", Duration.ofSeconds(3)).deliveryTimeout("email", Duration.ofSeconds(5))
                .template(Locale.GERMAN, "Code {code}").template(Locale.FRENCH, "Code {code}");
        assertThrows(IllegalStateException.class, () -> b.template(Locale.FRENCH, "Le code {code}"));
    }

    @Test
    void aRefusedValue_leavesTheSettingFree() {
        OtpEngine.Builder b = OtpEngine.builder();
        assertThrows(IllegalArgumentException.class, () -> b.secret(new byte[3]));
        b.secret(SECRET); // the short secret was refused, not taken
        assertThrows(IllegalArgumentException.class, () -> b.deliveryTimeout(Duration.ZERO));
        b.deliveryTimeout(Duration.ofSeconds(1));
    }
}
