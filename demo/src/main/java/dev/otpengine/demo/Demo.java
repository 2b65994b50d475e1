package dev.otpengine.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otpengine.Delivery;
import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One send and one verification end to end, with nothing to install: an SMTP server (GreenMail) runs in this
 * process, the engine finds the email and SMS channels with {@link java.util.ServiceLoader} as an application's
 * would, and the SMS channel's {@code console} gateway prints texts instead of sending them.
 *
 * <p>The demo sends one code to a phone and an email at once, shows both deliveries, tries a wrong code and a resend
 * that comes too early, then asks for the code on the terminal. When standard input is not a terminal (CI, a pipe)
 * it types the code from the email itself.
 *
 * <p><b>Thread-safety:</b> a program; {@link #main} runs it once.
 */
public final class Demo {

    private static final UUID LOGIN = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    private static final String PHONE = "+1 202 555 0162";
    private static final String EMAIL = "demo@example.com";
    private static final String USER_IP = "203.0.113.7";
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");

    private final PrintStream out;
    private final Console console;

    private Demo(PrintStream out, Console console) {
        this.out = out;
        this.console = console;
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws Exception if the demo cannot complete; the message says which step failed
     */
    public static void main(String[] args) throws Exception {
        new Demo(System.out, System.console()).run();
    }

    private void run() throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try {
            step("1. An SMTP server in this process, and an engine that discovers its channels");
            Map<String, String> settings = Map.of(
                    "sms.gateway", "console",
                    "email.smtp.host", smtp.getSmtp().getBindTo(),
                    "email.smtp.port", Integer.toString(smtp.getSmtp().getPort()),
                    "email.smtp.security", "none",
                    "email.from", "no-reply@acme.test",
                    "email.from.name", "Acme");
            try (OtpEngine engine = OtpEngine.builder()
                    .widget(Widget.builder(LOGIN).name("Acme").build())
                    .discoverChannels(settings)
                    .build()) {
                say("SMTP server: " + smtp.getSmtp().getBindTo() + ":" + smtp.getSmtp().getPort()
                        + "; channels found by ServiceLoader: " + engine.channelIds());
                play(engine, smtp);
            }
        } finally {
            smtp.stop();
        }
    }

    private void play(OtpEngine engine, GreenMail smtp) throws Exception {
        step("2. One code, sent to a phone and an email at once (delivery ALL)");
        SendRequest request = SendRequest.builder(LOGIN).phone(PHONE).email(EMAIL).userIp(USER_IP).build();
        SendResult sent = engine.send(request);
        say("requestId " + sent.requestId() + ", expires at " + sent.expiresAt());
        for (Delivery d : sent.deliveries()) {
            say("  " + d.channelId() + ": " + d.status() + ", provider id " + d.providerMessageId()
                    + (d.attributes().isEmpty() ? "" : ", " + new TreeMap<>(d.attributes())));
        }
        String emailedCode = readEmail(smtp);

        step("3. A wrong code");
        String wrong = emailedCode.equals("000000") ? "111111" : "000000";
        VerifyResult miss = engine.verify(sent.requestId(), wrong);
        say("verify(" + wrong + ") -> " + miss.status() + ", " + miss.attemptsLeft() + " attempts left");

        step("4. A resend before the cooldown is over");
        try {
            engine.send(request);
            throw new IllegalStateException("the resend was not refused");
        } catch (RateLimitException e) {
            say("RateLimitException, scope " + e.scope() + ", Retry-After: " + e.retryAfterSeconds() + " (exactly "
                    + e.retryAfter() + ")");
            say("as JSON for your HTTP layer (status " + e.httpStatus() + "): " + e.toJson());
        }

        step("5. The code, as the user types it");
        VerifyResult result = typeCode(engine, sent, emailedCode);
        if (!result.isVerified()) {
            throw new IllegalStateException("the demo ended without a verified code: " + result.status());
        }
        say("verify -> " + result.status() + ": signed in");
        say("verify the same code again -> " + engine.verify(sent.requestId(), emailedCode).status()
                + ": a code works once");

        step("6. The log lines");
        say("The [INFO], [DEBUG] and [WARN] lines above are the engine's and the channels' own. They show the");
        say("recipient as +1******0162 and d***@example.com, and none of them holds the code.");
    }

    /** Reads the email back from the SMTP server's mailbox, prints it, and returns its code. */
    private String readEmail(GreenMail smtp) throws MessagingException, IOException {
        if (!smtp.waitForIncomingEmail(10_000, 1)) {
            throw new IllegalStateException("the SMTP server received no email");
        }
        MimeMessage mail = smtp.getReceivedMessages()[0];
        say("The email, as the SMTP server received it:");
        say("  From: " + mail.getHeader("From", ", "));
        say("  To: " + mail.getHeader("To", ", "));
        say("  Subject: " + mail.getSubject());
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("text/plain")) {
                for (String line : part.getContent().toString().strip().split("\\R")) {
                    say("  | " + line);
                }
            } else {
                say("  (and a " + part.getContentType().split(";")[0] + " part)");
            }
        }
        Matcher code = CODE.matcher(mail.getSubject());
        if (!code.find()) {
            throw new IllegalStateException("the email's subject holds no code");
        }
        return code.group();
    }

    private VerifyResult typeCode(OtpEngine engine, SendResult sent, String emailedCode) {
        if (console == null) {
            say("Standard input is not a terminal, so the demo types the code from the email itself.");
            return engine.verify(sent.requestId(), emailedCode);
        }
        while (true) {
            String typed = console.readLine("Type the code from the SMS or the email above (Enter uses the email's): ");
            if (typed == null || typed.isBlank()) {
                typed = emailedCode;
            }
            VerifyResult result;
            try {
                result = engine.verify(sent.requestId(), typed);
            } catch (InvalidRequestException e) {
                say(e.getMessage());
                continue;
            }
            if (result.status() != VerifyResult.Status.INVALID_CODE) {
                return result;
            }
            say("verify -> INVALID_CODE, " + result.attemptsLeft() + " attempts left; try again");
        }
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
        out.flush();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
