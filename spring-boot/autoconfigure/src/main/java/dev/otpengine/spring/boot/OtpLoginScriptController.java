package dev.otpengine.spring.boot;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Serves the {@code <otp-login>} web component, one dependency-free ES module, at
 * {@code GET {otpengine.web.path}/otp-login.js} (default {@code /otp/otp-login.js}) as {@code text/javascript}, when
 * {@code otpengine.web.enabled=true}. A page loads it with
 * {@code <script type="module" src="/otp/otp-login.js"></script>}.
 *
 * <p><b>Thread-safety:</b> thread-safe: the module is read once.
 */
@RestController
public class OtpLoginScriptController {

    /** The module's content type: {@value}. */
    public static final String CONTENT_TYPE = "text/javascript;charset=UTF-8";

    private final byte[] module;

    /** Reads the module from the class path. */
    public OtpLoginScriptController() {
        try (InputStream in = OtpLoginScriptController.class.getResourceAsStream("otp-login.js")) {
            if (in == null) {
                throw new IllegalStateException("otp-login.js is missing from otpengine-spring-boot-autoconfigure");
            }
            this.module = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The module.
     *
     * @return 200 with the module, cacheable for an hour
     */
    @GetMapping(path = "${otpengine.web.path:/otp}/otp-login.js")
    public ResponseEntity<byte[]> module() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(CONTENT_TYPE))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic()).body(module);
    }
}
