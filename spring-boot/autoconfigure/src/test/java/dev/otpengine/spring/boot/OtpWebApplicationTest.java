package dev.otpengine.spring.boot;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one real application on a real port that the REST and webhook tests share ({@link OtpRestTest.App}): the
 * same annotation on each test class makes Spring's test context cache start it once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = OtpRestTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"otpengine.web.enabled=true", "otpengine.widgets[0].id=" + OtpRestTest.WIDGET,
                "otpengine.widgets[0].name=Acme", "otpengine.widgets[0].channels=sms",
                "management.endpoint.health.show-components=always",
                // a widget that sends by WhatsApp and calls, each through a capturing channel
                "otpengine.widgets[1].id=" + WhatsAppWebhookTest.WIDGET, "otpengine.widgets[1].name=Acme",
                "otpengine.widgets[1].channels=whatsapp,voice",
                // the webhooks' settings, read from the channel settings as the SMS channel reads them
                "otpengine.channels[sms.twilio.authToken]=" + DeliveryReportWebhookTest.TWILIO_TOKEN,
                "otpengine.channels[sms.twilio.statusCallbackUrl]=" + DeliveryReportWebhookTest.CALLBACK_URL,
                "otpengine.web.public-url=" + DeliveryReportWebhookTest.PUBLIC_URL,
                "otpengine.channels[sms.vonage.apiKey]=vonage-key",
                "otpengine.channels[sms.vonage.signatureSecret]=" + DeliveryReportWebhookTest.VONAGE_SECRET,
                "otpengine.channels[sms.vonage.signatureMethod]=sha256",
                "otpengine.channels[voice.twilio.authToken]=" + DeliveryReportWebhookTest.VOICE_TOKEN,
                "otpengine.channels[voice.twilio.statusCallbackUrl]=" + DeliveryReportWebhookTest.VOICE_CALLBACK_URL,
                "otpengine.channels[whatsapp.appSecret]=" + WhatsAppWebhookTest.APP_SECRET,
                "otpengine.channels[whatsapp.verifyToken]=" + WhatsAppWebhookTest.VERIFY_TOKEN})
@interface OtpWebApplicationTest {
}
