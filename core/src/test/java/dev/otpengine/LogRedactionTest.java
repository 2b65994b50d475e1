package dev.otpengine;

import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.logcapture.CapturedLogs;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What others say passes one redactor before it reaches a log: a captcha verifier's exception, a channel's from
 * {@code canDeliverTo}, and a failure inside the engine, stack traces included, never show a phone or an email (the
 * recipient's or any other), nor the captcha token the verifier was given, nor split a line.
 */
final class LogRedactionTest {

    private static final String TOKEN = "t0k3n-s3cr3t-value";
    private static final String CARELESS = "failed for " + PHONE + " <" + EMAIL + "> with token " + TOKEN + "\r\nX: 1";

    private final TestClock clock = TestClock.atFixedStart();

    /** No phone, no email, no CR; and none of the other secrets the engine knew of. */
    private static void assertClean(List<String> lines, String... known) {
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertFalse(line.contains(PHONE) || line.contains(PHONE.substring(1)), line);
            assertFalse(line.contains(EMAIL), line);
            assertFalse(line.contains("\r"), line);
            for (String secret : known) {
                assertFalse(line.contains(secret), line);
            }
        }
    }

    @Test
    void aCaptchaVerifiersException_isLoggedRedacted() {
        int mark = CapturedLogs.mark();
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms())
                .captchaVerifier((token, ip, widgetId) -> {
                    throw new IllegalStateException(CARELESS);
                })
                .widget(widget().captchaRequired(true).build()).build()) {
            assertThrows(CaptchaNotConfirmedException.class, () -> engine.send(SendRequest.builder(Fixtures.WIDGET_ID)
                    .phone(PHONE).captchaToken(TOKEN).build()));
        }
        List<String> lines = CapturedLogs.since(mark);
        assertTrue(lines.stream().anyMatch(l -> l.contains("captcha verifier failed")
                && l.contains("IllegalStateException")), lines::toString);
        assertClean(lines, TOKEN); // the verifier was given the token: the engine knows to remove it
    }

    @Test
    void aChannelsCanDeliverToException_isLoggedRedacted() {
        int mark = CapturedLogs.mark();
        CapturingChannel broken = CapturingChannel.reaching("chat", r -> {
            throw new IllegalStateException(CARELESS);
        });
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).channel(broken)
                .widget(widget().channels("sms", "chat").build()).build()) {
            engine.send(SendRequest.builder(Fixtures.WIDGET_ID).phone(PHONE).build());
        }
        List<String> lines = CapturedLogs.since(mark);
        assertTrue(lines.stream().anyMatch(l -> l.contains("failed to say whether it can reach")), lines::toString);
        assertClean(lines);
    }

    @Test
    void aFailureInsideTheEngine_isLoggedRedacted_withItsFrames() {
        int mark = CapturedLogs.mark();
        OtpStore failing = new FailingToFind(new InProcessStore(clock, 1_000, 1_000));
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).store(failing)
                .widget(widget().build()).build()) {
            assertThrows(InternalServerErrorException.class, () -> engine.verify(UUID.randomUUID(), "123456"));
        } finally {
            failing.close();
        }
        List<String> lines = CapturedLogs.since(mark);
        assertTrue(lines.stream().anyMatch(l -> l.contains("failed inside the engine")
                && l.contains("FailingToFind.findCode")), lines::toString);
        assertClean(lines);
    }

    /** A store whose lookups fail with a careless message. */
    private static final class FailingToFind extends ForwardingStore {

        FailingToFind(OtpStore codes) {
            super(codes);
        }

        @Override
        public Optional<StoredCode> findCode(UUID requestId, Instant now) {
            throw new IllegalStateException(CARELESS);
        }
    }
}
