/**
 * The otpengine SMS channel: hands codes to Twilio, Vonage, any HTTP API, an SMPP SMSC or the console, one gateway or
 * several in order with a circuit breaker each. The engine finds it with {@link java.util.ServiceLoader}; its
 * settings are keyed {@code sms.*}.
 */
module dev.otpengine.channels.sms {
    requires dev.otpengine.spi;
    requires java.net.http;
    requires dev.otpengine.phone; // the phone channels' one reading of numbers
    requires jsmpp; // automatic module, named after its jar
    requires org.slf4j;
    requires io.github.resilience4j.circuitbreaker; // automatic module: Automatic-Module-Name of its jar
    requires io.github.resilience4j.core; // automatic module: the breakers' event consumer type

    provides dev.otpengine.spi.ChannelProvider with dev.otpengine.channels.sms.SmsChannelProvider;
}
