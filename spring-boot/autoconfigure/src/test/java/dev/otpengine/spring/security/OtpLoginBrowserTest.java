package dev.otpengine.spring.security;

import dev.otpengine.spi.Channel;
import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The login in a real headless Chromium ({@link Chromium}): keyboard only (keys typed into whatever has the focus,
 * Tab and Enter), with JavaScript off, a wrong code, the resend button during the cooldown, and the
 * {@code <otp-login>} component on a static page. Screenshots go to target/screenshots.
 */
@OtpLoginApplicationTest
final class OtpLoginBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Channel sms;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String code(String recipient) {
        return ((CapturingChannel) sms).lastCode(recipient).orElseThrow();
    }

    private static void type(ChromeDriver driver, CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    private static String focused(ChromeDriver driver) {
        return driver.switchTo().activeElement().getAttribute("id");
    }

    /**
     * Waits, at most 10 s, until the element with this id has the focus: a key that submits a form returns before the
     * next page is there, and an element read while the page is replaced is stale.
     */
    private static void assertFocused(ChromeDriver driver, String id) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                    .until(d -> id.equals(focused(driver)));
        } catch (TimeoutException e) {
            assertEquals(id, focused(driver), driver.getPageSource());
        }
    }

    /** Waits, at most 10 s, for the element with this id: the page a key submitted may not be there yet. */
    private static WebElement awaitElement(ChromeDriver driver, String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id(id)));
    }

    /** Waits, at most 10 s, until the browser is at this URL. */
    private static void assertAt(ChromeDriver driver, String url) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> url.equals(d.getCurrentUrl()));
        } catch (TimeoutException e) {
            assertEquals(url, driver.getCurrentUrl());
        }
    }

    private static void signOut(ChromeDriver driver) {
        driver.manage().deleteAllCookies();
    }

    @Test
    void keyboardOnly_signsIn_andLandsOnTheProtectedPage() {
        ChromeDriver driver = Chromium.browser();
        signOut(driver);
        driver.get(url("/account"));
        assertEquals(url("/login/otp"), driver.getCurrentUrl());
        assertFocused(driver, "recipient");
        type(driver, "+12025550131");
        Chromium.screenshot(driver, "login-recipient");
        type(driver, Keys.TAB, Keys.ENTER); // the Send button, by keyboard
        assertFocused(driver, "code");
        WebElement input = driver.findElement(By.id("code"));
        assertEquals("one-time-code", input.getAttribute("autocomplete"));
        assertEquals("numeric", input.getAttribute("inputmode"));
        Chromium.screenshot(driver, "login-code");
        type(driver, code("+12025550131"), Keys.ENTER);
        assertAt(driver, url("/account?continue"));
        assertEquals("Signed in", driver.findElement(By.id("who")).getText());
        assertFalse(driver.getPageSource().contains("2025550131"));
    }

    @Test
    void withJavaScriptOff_theSameSignInWorks() {
        ChromeDriver driver = Chromium.browserWithoutJavaScript();
        signOut(driver);
        driver.get(url("/account"));
        assertFocused(driver, "recipient");
        type(driver, "+12025550132", Keys.ENTER);
        assertTrue(awaitElement(driver, "otp-resend").getAttribute("disabled") != null);
        type(driver, code("+12025550132"), Keys.ENTER);
        assertAt(driver, url("/account?continue"));
        assertEquals("Signed in", driver.findElement(By.id("who")).getText());
    }

    @Test
    void aWrongCode_showsTheTriesLeft_inTheLiveRegion() {
        ChromeDriver driver = Chromium.browser();
        signOut(driver);
        driver.get(url("/login/otp"));
        assertFocused(driver, "recipient");
        type(driver, "+12025550133", Keys.ENTER);
        assertFocused(driver, "code");
        String code = code("+12025550133");
        type(driver, code.equals("000000") ? "111111" : "000000", Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> "That code is not right. Tries left: 4.".equals(d.findElement(By.id("otp-message"))
                        .getText()));
        WebElement message = driver.findElement(By.id("otp-message"));
        assertEquals("polite", message.getAttribute("aria-live"));
        assertEquals("That code is not right. Tries left: 4.", message.getText());
        assertFocused(driver, "code");
        Chromium.screenshot(driver, "login-wrong-code");
    }

    @Test
    void theResendButton_isDisabledDuringTheCooldown_withACountdown() {
        ChromeDriver driver = Chromium.browser();
        signOut(driver);
        driver.get(url("/login/otp"));
        type(driver, "+12025550134", Keys.ENTER);
        WebElement resend = awaitElement(driver, "otp-resend");
        assertFalse(resend.isEnabled());
        WebElement wait = driver.findElement(By.id("otp-resend-wait"));
        String first = wait.getText();
        assertTrue(first.matches("You can ask for a new code in (30|29) s\\."), first);
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !wait.getText().equals(first));
        assertTrue(wait.getText().matches("You can ask for a new code in 2[0-9] s\\."), wait.getText());
        assertFalse(resend.isEnabled());
    }

    @Test
    void theWebComponent_onAStaticPage_sendsAndSignsInThroughTheLogin() {
        ChromeDriver driver = Chromium.browser();
        signOut(driver);
        driver.get(url("/component.html"));
        WebElement recipient = new WebDriverWait(driver, Duration.ofSeconds(5))
                .until(d -> d.findElement(By.id("otp-login-recipient")));
        recipient.sendKeys("+12025550135", Keys.ENTER);
        WebElement code = new WebDriverWait(driver, Duration.ofSeconds(5))
                .until(d -> d.findElement(By.id("otp-login-code")));
        assertEquals("one-time-code", code.getAttribute("autocomplete"));
        code.sendKeys("000000".equals(code("+12025550135")) ? "111111" : "000000", Keys.ENTER);
        WebElement message = driver.findElement(By.cssSelector("otp-login .otp-login__message"));
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !message.getText().isEmpty());
        assertEquals("That code is not right. Tries left: 4.", message.getText());
        assertNull(driver.findElement(By.cssSelector("otp-login button[type=button]")).getDomAttribute("enabled"));
        code.clear();
        code.sendKeys(code("+12025550135"), Keys.ENTER);
        WebElement event = driver.findElement(By.id("event"));
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !event.getText().isEmpty());
        assertEquals("signed-in /", event.getText());
        Chromium.screenshot(driver, "component");
        driver.get(url("/whoami"));
        assertTrue(driver.getPageSource().contains("+12025550135"));
    }
}
