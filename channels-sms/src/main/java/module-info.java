/**
 * The otpengine SMS channel: hands codes to Twilio, any HTTP API, an SMPP SMSC or the console. The engine finds
 * it with {@link java.util.ServiceLoader}; its settings are keyed {@code sms.*}.
 */
module dev.otpengine.channels.sms {
    requires dev.otpengine.spi;
    requires java.net.http;
    requires com.google.i18n.phonenumbers.libphonenumber; // automatic module
    requires jsmpp; // automatic module, named after its jar
    requires org.slf4j;

    provides dev.otpengine.spi.ChannelProvider with dev.otpengine.channels.sms.SmsChannelProvider;
}
