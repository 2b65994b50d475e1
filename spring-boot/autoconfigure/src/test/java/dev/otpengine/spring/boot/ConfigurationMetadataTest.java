package dev.otpengine.spring.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated configuration metadata, which IDEs complete keys from, lists the engine's rate-limit keys (a newcomer
 * found none of them: the nested properties were not marked nested).
 */
final class ConfigurationMetadataTest {

    @Test
    void metadata_listsEveryRateLimitKey_theReadmeUses() throws IOException {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertTrue(in != null, "no generated metadata on the class path");
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String key : List.of("otpengine.rate-limits.base", "otpengine.rate-limits.per-widget",
                "otpengine.rate-limits.per-widget-free", "otpengine.rate-limits.per-ip",
                "otpengine.rate-limits.per-ip-network", "otpengine.rate-limits.per-recipient",
                "otpengine.rate-limits.resend-cooldown", "otpengine.rate-limits.verify-per-ip",
                "otpengine.rate-limits.verify-failures-per-recipient", "otpengine.secret", "otpengine.store",
                "otpengine.web.enabled", "otpengine.web.public-url", "otpengine.widgets")) {
            Matcher named = Pattern.compile("\"name\"\\s*:\\s*\"" + Pattern.quote(key) + "\"").matcher(metadata);
            assertTrue(named.find(), key + " is not in the configuration metadata");
        }
    }
}
