/**
 * An example channel plugin: posts codes to a chat bot's webhook. The engine finds it with
 * {@link java.util.ServiceLoader} through the {@code provides} below on the module path, and through
 * {@code META-INF/services/dev.otpengine.spi.ChannelProvider} on the class path.
 */
module com.example.otp.chat {
    requires dev.otpengine.spi;
    requires java.net.http;

    provides dev.otpengine.spi.ChannelProvider with com.example.otp.chat.ChatChannelProvider;
}
