package dev.otpengine;

import dev.otpengine.testkit.CapturingChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.IP;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class CaptchaTest {

    private final CapturingChannel sms = CapturingChannel.sms();
    private final List<String> checked = new CopyOnWriteArrayList<>();
    private OtpEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void engine(dev.otpengine.spi.CaptchaVerifier verifier) {
        engine = OtpEngine.builder().channel(sms).captchaVerifier(verifier)
                .widget(widget().captchaRequired(true).build())
                .widget(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Open").build())
                .build();
    }

    private static SendRequest withToken(String token) {
        return SendRequest.builder(WIDGET_ID).phone(PHONE).userIp(IP).captchaToken(token).build();
    }

    @Test
    void send_confirmedToken_sendsAndPassesTokenIpAndWidgetToVerifier() {
        engine((token, ip, widgetId) -> checked.add(token + "|" + ip + "|" + widgetId));

        engine.send(withToken(" tok-1 "));

        assertEquals(List.of("tok-1|" + IP + "|" + WIDGET_ID), checked);
        assertEquals(1, sms.messages().size());
    }

    @Test
    void send_missingToken_throwsCaptchaNotConfirmedWithoutAskingVerifier() {
        engine((token, ip, widgetId) -> checked.add(token));

        CaptchaNotConfirmedException e = assertThrows(CaptchaNotConfirmedException.class, () -> engine.send(withToken("  ")));

        assertEquals("captcha is not confirmed for widget " + WIDGET_ID + ": no captcha token was given", e.getMessage());
        assertEquals(400, e.httpStatus());
        assertTrue(checked.isEmpty());
        assertTrue(sms.messages().isEmpty());
    }

    @Test
    void send_rejectedToken_throwsCaptchaNotConfirmed() {
        engine((token, ip, widgetId) -> false);

        CaptchaNotConfirmedException e = assertThrows(CaptchaNotConfirmedException.class, () -> engine.send(withToken("bad")));

        assertEquals("captcha is not confirmed for widget " + WIDGET_ID + ": the captcha token was rejected", e.getMessage());
        assertTrue(sms.messages().isEmpty());
    }

    @Test
    void send_verifierThrows_failsClosed() {
        engine((token, ip, widgetId) -> {
            throw new IllegalStateException("captcha provider unreachable");
        });

        CaptchaNotConfirmedException e = assertThrows(CaptchaNotConfirmedException.class, () -> engine.send(withToken("t")));

        assertEquals("captcha is not confirmed for widget " + WIDGET_ID + ": the captcha could not be checked", e.getMessage());
        assertTrue(sms.messages().isEmpty());
    }

    @Test
    void send_widgetWithoutCaptcha_neverAsksVerifier() {
        engine((token, ip, widgetId) -> checked.add(token));

        engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).captchaToken("ignored").build());

        assertTrue(checked.isEmpty());
        assertEquals(1, sms.messages().size());
    }

    @Test
    void captchaToken_tooLong_throwsInvalidRequest() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SendRequest.builder(UUID.randomUUID()).captchaToken("x".repeat(4097)));

        assertEquals("captchaToken", e.field());
        assertEquals("captchaToken must be at most 4096 characters: 4097", e.getMessage());
    }

    @Test
    void captcha_isCheckedOnlyAfterTheRequestersLimits_soAFloodFromOneIpCostsFiveCalls() {
        // the attack: 1,000 sends from one IP, each with a token; the default per-IP limit lets 5 a minute through
        engine((token, ip, widgetId) -> checked.add(token));
        int refusedByIp = 0;
        for (int i = 0; i < 1_000; i++) {
            try {
                engine.send(SendRequest.builder(WIDGET_ID).phone(Fixtures.phone(i)).userIp(IP).captchaToken("t" + i)
                        .build());
            } catch (RateLimitException e) {
                assertEquals(RateLimitException.Scope.IP, e.scope());
                refusedByIp++;
            }
        }

        assertEquals(995, refusedByIp);
        assertEquals(5, checked.size(), "paid calls to the captcha service");
    }

    @Test
    void captcha_rejected_stillSpendsTheRequestersIpBudget() {
        engine((token, ip, widgetId) -> {
            checked.add(token);
            return false;
        });
        for (int i = 0; i < 10; i++) {
            assertThrows(OtpException.class, () -> engine.send(withToken("bad")));
        }

        assertEquals(5, checked.size(), "a rejected captcha gives the IP's call back: a bot could try tokens forever");
        assertEquals(RateLimitException.class, assertThrows(OtpException.class,
                () -> engine.send(withToken("bad"))).getClass());
    }
}
