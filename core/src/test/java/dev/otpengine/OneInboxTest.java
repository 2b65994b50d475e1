package dev.otpengine;

import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One inbox, one key (issue 29, item 4): plus-addresses and Gmail's dots and domain alias count as one recipient for
 * the limits, the cooldown and the guess budget, while each message still goes to the address as given.
 */
final class OneInboxTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel email = CapturingChannel.email();
    private final OtpEngine engine = OtpEngine.builder().clock(clock).channel(email)
            .rateLimits(RateLimits.builder().perRecipient(Limit.of(5, Duration.ofHours(1)))
                    .resendCooldown(Duration.ofSeconds(30)).build())
            .widget(Fixtures.widget().build()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void plusAddresses_ofOneInbox_shareItsLimit_sixtyAMinuteBecomeFiveAnHour() {
        // the attack: victim+1@ … victim+60@ reach one inbox 60 times in a minute
        int delivered = 0;
        for (int i = 1; i <= 60; i++) {
            clock.advance(Duration.ofSeconds(31)); // past the cooldown each time: only the hourly limit is left
            try {
                engine.send(SendRequest.builder(WIDGET_ID).email("victim+" + i + "@example.org").build());
                delivered++;
            } catch (RateLimitException e) {
                assertEquals(RateLimitException.Scope.RECIPIENT, e.scope());
            }
        }
        assertEquals(5, delivered);
        assertEquals("victim+1@example.org", email.messages().get(0).recipient().email().orElseThrow(),
                "the message goes to the address as given");
    }

    @Test
    void gmailDotsAndItsDomainAlias_areOneInbox_forTheCooldown() {
        engine.send(SendRequest.builder(WIDGET_ID).email("victim.person@gmail.com").build());

        RateLimitException refused = assertThrows(RateLimitException.class, () -> engine.send(
                SendRequest.builder(WIDGET_ID).email("V.i.c.t.i.m.Person+x@googlemail.com").build()));
        assertEquals(RateLimitException.Scope.RESEND_COOLDOWN, refused.scope());
        // another provider's dots are its own business: a different mailbox
        engine.send(SendRequest.builder(WIDGET_ID).email("victim.person@example.org").build());
        engine.send(SendRequest.builder(WIDGET_ID).email("victimperson@example.org").build());
    }

    @Test
    void inbox_dropsTheTag_andGmailsDots_andNothingElse() {
        assertEquals("ann@example.com", Recipient.inbox("ann+promo@example.com"));
        assertEquals("ann@gmail.com", Recipient.inbox("a.n.n+x@googlemail.com"));
        assertEquals("a.n.n@example.com", Recipient.inbox("a.n.n@example.com"));
        assertEquals("+tag@example.com", Recipient.inbox("+tag@example.com"), "nothing before the tag: kept");
    }
}
