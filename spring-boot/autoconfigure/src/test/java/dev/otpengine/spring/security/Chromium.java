package dev.otpengine.spring.security;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One headless Chromium for all the browser tests of a run: Debian's {@code chromium} driven through Debian's
 * {@code chromium-driver} (Selenium Manager is never asked: it cannot download anything here, and CI must test the
 * browser it installed). Started on first use, quit when the JVM exits. Without the packages the tests fail, saying
 * how to get them; they are never skipped.
 */
final class Chromium {

    static final String BINARY = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    private static ChromeDriver withScript;
    private static ChromeDriver withoutScript;

    private Chromium() {
    }

    /** The browser with JavaScript on. */
    static synchronized ChromeDriver browser() {
        if (withScript == null) {
            withScript = start(true);
        }
        return withScript;
    }

    /** A second browser with JavaScript off (a Chrome content setting), as some users have it. */
    static synchronized ChromeDriver browserWithoutJavaScript() {
        if (withoutScript == null) {
            withoutScript = start(false);
        }
        return withoutScript;
    }

    private static ChromeDriver start(boolean javaScript) {
        if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + BINARY + ", " + DRIVER + "): run .ci/run, which installs them with apt-get, or "
                    + "apt-get install chromium chromium-driver");
        }
        System.setProperty("webdriver.chrome.driver", DRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("otp-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(BINARY).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=800,700", "--lang=en-US",
                "--user-data-dir=" + profile);
        if (!javaScript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Runtime.getRuntime().addShutdownHook(new Thread(driver::quit));
        return driver;
    }

    /** Saves a screenshot under target/screenshots. */
    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
