package dev.otpengine.channels.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otpengine.Delivery;
import dev.otpengine.DeliveryMode;
import dev.otpengine.OtpEngine;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.Widget;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real ServiceLoader path: the engine finds this email channel and an SMS-like test channel, and uses both. */
final class EmailDiscoveryTest {

    private final GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private OtpEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        greenMail.stop();
    }

    @Test
    void discoverChannels_emailAndSms_underAll_oneSendOneCodeBothDelivered() throws Exception {
        greenMail.start();
        TestSmsChannelProvider.SMS.clear();
        engine = OtpEngine.builder()
                .discoverChannels(Map.of(
                        "email.smtp.host", greenMail.getSmtp().getBindTo(),
                        "email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()),
                        "email.smtp.security", "none",
                        "email.from", "no-reply@acme.test",
                        "test-sms.enabled", "true")) // a plugin with no settings of its own is used only when asked
                .widget(Widget.builder(EmailChannelTest.WIDGET_ID).name("Acme").delivery(DeliveryMode.ALL).build())
                .build();
        assertEquals(Set.of("email", "test-sms"), engine.channelIds());

        SendResult sent = engine.send(SendRequest.builder(EmailChannelTest.WIDGET_ID).phone("+79991234567")
                .email(EmailChannelTest.TO).build());

        assertEquals(Set.of("email", "test-sms"), sent.deliveries().stream().filter(Delivery::isAccepted)
                .map(Delivery::channelId).collect(Collectors.toSet()));
        assertTrue(greenMail.waitForIncomingEmail(5_000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        String smsCode = TestSmsChannelProvider.SMS.messages().get(0).code();
        assertEquals(smsCode + " is your Acme code", mail.getSubject(), "one code, in both");
        assertEquals(1, TestSmsChannelProvider.SMS.messages().size());
        assertTrue(engine.verify(sent.requestId(), smsCode).isVerified());
    }
}
