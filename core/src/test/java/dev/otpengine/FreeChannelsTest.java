package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Free channels cannot lock the widget (issue 29, item 3): sends only email carries spend the widget's free budget
 * ({@code perWidgetFree}), never the one guarding paid sends ({@code perWidget}).
 */
final class FreeChannelsTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private final OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(email)
            .widget(Fixtures.widget().build()).build(); // RateLimits.defaults()

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aThousandFreeEmailsFrom34Ips_inHalfAnHour_leaveThePaidWidgetBudgetWhole() {
        // the attack: 1,000 email sends from 34 IPv4 addresses in 29 minutes spent the widget's 1,000 an hour, and
        // every user of the widget got 429 for half an hour
        for (int i = 0; i < 1_000; i++) {
            clock.advance(Duration.ofMillis(1_740));
            engine.send(SendRequest.builder(WIDGET_ID).email(String.format(Locale.ROOT, "u%04d@example.org", i))
                    .userIp("198.51.100." + (i % 34)).build());
        }
        assertEquals(1_000, email.messages().size());

        engine.send(SendRequest.builder(WIDGET_ID).phone("+12025550100").userIp("203.0.113.9").build());
        assertEquals(1, sms.messages().size(), "a genuine SMS user after the flood");
    }

    @Test
    void freeSends_haveABudgetOfTheirOwn_andAPhoneAndEmailSendIsPaid() {
        try (OtpEngine tight = OtpEngine.builder().clock(clock).channel(sms).channel(email)
                .rateLimits(RateLimits.builder().perWidget(Limit.of(2, Duration.ofHours(1)))
                        .perWidgetFree(Limit.of(3, Duration.ofHours(1))).build())
                .widget(Fixtures.widget().build()).build()) {
            for (int i = 0; i < 3; i++) {
                tight.send(SendRequest.builder(WIDGET_ID).email("u" + i + "@example.org").build());
            }
            assertEquals(RateLimitException.Scope.WIDGET, assertThrows(RateLimitException.class,
                    () -> tight.send(SendRequest.builder(WIDGET_ID).email("u9@example.org").build())).scope());

            tight.send(SendRequest.builder(WIDGET_ID).phone("+12025550101").build());
            tight.send(SendRequest.builder(WIDGET_ID).phone("+12025550102").email("both@example.org").build());
            assertEquals(RateLimitException.Scope.WIDGET, assertThrows(RateLimitException.class,
                    () -> tight.send(SendRequest.builder(WIDGET_ID).phone("+12025550103").build())).scope());
        }
        assertEquals(RateLimits.builder().perWidgetFree(Limit.of(1_000, Duration.ofMinutes(1)),
                Limit.of(10_000, Duration.ofHours(1))).build().perWidgetFree(), RateLimits.defaults().perWidgetFree());
        assertEquals(RateLimits.defaults().perWidgetFree(), RateLimits.defaults().toBuilder().build().perWidgetFree());
        assertEquals(java.util.List.of(), RateLimits.builder().build().perWidgetFree());
    }

    /** The review's finding: limits built from scratch with only perWidget must not leave free sends unbounded. */
    @Test
    void perWidgetFree_unlessSetOrRemoved_isDerived_tenTimesPerWidget_andFollowsItInACopy() {
        RateLimits scratch = RateLimits.builder().perWidget(Limit.of(20, Duration.ofMinutes(1))).build();
        assertEquals(java.util.List.of(Limit.of(200, Duration.ofMinutes(1))), scratch.perWidgetFree());
        assertEquals(java.util.List.of(Limit.of(500, Duration.ofMinutes(1))), scratch.toBuilder()
                .perWidget(Limit.of(50, Duration.ofMinutes(1))).build().perWidgetFree(), "a derived budget follows");
        assertEquals(java.util.List.of(), scratch.toBuilder().perWidgetFree().build().perWidgetFree(), "removed");
        assertEquals(java.util.List.of(Limit.of(7, Duration.ofHours(1))), RateLimits.defaults().toBuilder()
                .perWidgetFree(Limit.of(7, Duration.ofHours(1))).perWidget(Limit.of(1, Duration.ofHours(1))).build()
                .perWidgetFree(), "a set budget stays");
        try (OtpEngine engine = OtpEngine.builder().channel(CapturingChannel.email())
                .rateLimits(RateLimits.builder().perWidget(Limit.of(1, Duration.ofHours(1))).build())
                .widget(Widget.builder(WIDGET_ID).name("Acme").build()).build()) {
            for (int i = 0; i < 10; i++) {
                engine.send(SendRequest.builder(WIDGET_ID).email("user" + i + "@example.org").build());
            }
            assertEquals(RateLimitException.Scope.WIDGET, assertThrows(RateLimitException.class,
                    () -> engine.send(SendRequest.builder(WIDGET_ID).email("user10@example.org").build())).scope(),
                    "the eleventh email an hour: the derived free budget of 10");
        }
    }
}
