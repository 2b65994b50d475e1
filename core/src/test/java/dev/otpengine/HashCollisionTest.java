package dev.otpengine;

import dev.otpengine.RateLimitException.Scope;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The attack that broke the set-associative limit table: recipients whose keys have the victim's
 * {@code String.hashCode()} (trivial to make) used to land in the victim's set of eight counters and push its counter
 * out, resetting its budget. Keys are now hashed with a secret, so colliding keys get no say in what is evicted.
 */
final class HashCollisionTest {

    private static final String VICTIM_DIGITS = "447911123456789";
    private static final int ATTACKERS = 40;

    private final TestClock clock = TestClock.atFixedStart();
    private OtpEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    private OtpEngine engine() {
        engine = OtpEngine.builder().clock(clock).channel(CapturingChannel.sms()).channel(CapturingChannel.email())
                .widget(widget().build())
                .rateLimits(RateLimits.builder().perRecipient(Limit.of(3, Duration.ofDays(1))).build())
                .maxRateLimitKeys(512) // room for every key of this test (128 for buckets holding 2 or 3 calls)
                .build();
        return engine;
    }

    @Test
    void phonesWithTheVictimsHash_doNotResetItsBudget() {
        OtpEngine engine = engine();
        String victim = "+" + VICTIM_DIGITS;
        List<String> attackers = HashCollisions.collidingWith(VICTIM_DIGITS, ATTACKERS).stream().map(d -> "+" + d).toList();
        spendAndAttack(engine, SendRequest.builder(WIDGET_ID).phone(victim).build(),
                attackers.stream().map(p -> SendRequest.builder(WIDGET_ID).phone(p).build()).toList());
    }

    @Test
    void emailsWithTheVictimsHash_doNotResetItsBudget() {
        OtpEngine engine = engine();
        String victim = "u" + VICTIM_DIGITS + "@example.com";
        List<String> attackers = HashCollisions.collidingWith(VICTIM_DIGITS, ATTACKERS).stream()
                .map(d -> "u" + d + "@example.com").toList();
        spendAndAttack(engine, SendRequest.builder(WIDGET_ID).email(victim).build(),
                attackers.stream().map(e -> SendRequest.builder(WIDGET_ID).email(e).build()).toList());
    }

    private void spendAndAttack(OtpEngine engine, SendRequest victim, List<SendRequest> attackers) {
        for (int i = 0; i < 3; i++) {
            engine.send(victim);
        }
        for (SendRequest attacker : attackers) {
            for (int i = 0; i < 5; i++) { // the budget, and then some: more calls on each key than the victim's
                try {
                    engine.send(attacker);
                } catch (RateLimitException e) {
                    assertEquals(Scope.RECIPIENT, e.scope());
                }
            }
        }

        RateLimitException e = assertThrows(RateLimitException.class, () -> engine.send(victim));
        assertEquals(Scope.RECIPIENT, e.scope());
    }
}
