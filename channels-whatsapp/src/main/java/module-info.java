/**
 * The otpengine WhatsApp channel: sends codes in an authentication template through Meta's WhatsApp Cloud API. The
 * engine finds it with {@link java.util.ServiceLoader}; its settings are keyed {@code whatsapp.*}.
 */
module dev.otpengine.channels.whatsapp {
    requires dev.otpengine.spi;
    requires dev.otpengine.phone; // the phone channels' one reading of numbers
    requires java.net.http;
    requires org.slf4j;

    provides dev.otpengine.spi.ChannelProvider with dev.otpengine.channels.whatsapp.WhatsAppChannelProvider;
}
