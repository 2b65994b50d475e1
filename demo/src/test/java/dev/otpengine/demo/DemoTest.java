package dev.otpengine.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as the README's run command starts it, in its own JVM with no terminal and nothing piped in: it must
 * carry on by itself to a verified code, and show what the README promises.
 */
final class DemoTest {

    @Test
    void demo_withoutATerminal_completesWithAVerifiedCode_andShowsEachStep() throws Exception {
        Run run = runDemo();
        String out = run.output;

        assertEquals(0, run.exitCode, out);
        assertTrue(out.contains("channels found by ServiceLoader: [email, sms]"), out);
        assertTrue(out.contains("Standard input is not a terminal, so the demo types the code from the email itself."), out);
        assertTrue(out.contains("verify -> VERIFIED: signed in"), out);
        assertTrue(out.contains("verify the same code again -> NOT_FOUND: a code works once"), out);
        assertTrue(out.contains(" -> INVALID_CODE, 4 attempts left"), out);
        assertTrue(out.contains("RateLimitException, scope RESEND_COOLDOWN, Retry-After: 30"), out);
        assertTrue(out.contains("{\"type\":\"RateLimitException\",\"message\":\"too many requests (resend cooldown limit); "
                + "retry after 30 s\",\"httpStatus\":429}"), out);
        assertTrue(out.contains("  From: Acme <no-reply@acme.test>"), out);
        assertTrue(out.contains("  To: demo@example.com"), out);

        String emailed = group(out, "  Subject: ([0-9]{6}) is your Acme code");
        String texted = group(out, "\\[otpengine SMS to \\+12025550162, 1 segment\\(s\\), GSM7]\\R([0-9]{6}) is your Acme code");
        assertEquals(emailed, texted, "one code for both channels");
        assertTrue(java.util.regex.Pattern.compile("  sms: ACCEPTED, provider id console-[0-9a-f-]{36}, "
                + "\\{country=US, encoding=GSM7, gateway=console, segments=1}").matcher(out).find(), out);
        assertTrue(out.contains("  email: ACCEPTED, provider id <"), out);
    }

    @Test
    void demo_logLines_maskTheRecipient_andHoldNoCode() throws Exception {
        Run run = runDemo();
        String code = group(run.output, "  Subject: ([0-9]{6}) is your Acme code");
        List<String> logLines = run.output.lines().filter(l -> l.matches("\\[(TRACE|DEBUG|INFO|WARN|ERROR)] .*")).toList();

        assertTrue(logLines.stream().anyMatch(l -> l.contains("Recipient[phone=+1******0162, email=d***@example.com]")),
                logLines::toString);
        assertTrue(logLines.stream().anyMatch(l -> l.startsWith("[WARN] ConsoleGateway - sms.gateway=console")),
                logLines::toString);
        for (String line : logLines) {
            assertFalse(line.contains(code), line);
            assertFalse(line.contains("12025550162"), line);
            assertFalse(line.contains("demo@example.com"), line);
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs {@code Demo.main} in a new JVM on this test's class path, standard input closed at once. */
    private static Run runDemo() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Demo.class.getName())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // A guard against a hung demo, not a timing assertion: the demo takes seconds.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the demo did not end:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no match for " + regex + " in:\n" + text);
        return m.group(1);
    }
}
