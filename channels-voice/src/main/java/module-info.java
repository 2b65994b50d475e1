/**
 * The otpengine voice channel: calls the recipient through Twilio Programmable Voice and reads the code out. The
 * engine finds it with {@link java.util.ServiceLoader}; its settings are keyed {@code voice.*}.
 */
module dev.otpengine.channels.voice {
    requires dev.otpengine.spi;
    requires dev.otpengine.phone; // the phone channels' one reading of numbers
    requires java.net.http;
    requires org.slf4j;

    provides dev.otpengine.spi.ChannelProvider with dev.otpengine.channels.voice.VoiceChannelProvider;
}
