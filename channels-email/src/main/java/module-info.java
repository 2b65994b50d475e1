/**
 * The otpengine email channel: sends codes over SMTP with Angus Mail. The engine finds it with
 * {@link java.util.ServiceLoader}; its settings are keyed {@code email.*}.
 */
module dev.otpengine.channels.email {
    requires dev.otpengine.spi;
    requires org.eclipse.angus.mail;
    requires org.slf4j;

    provides dev.otpengine.spi.ChannelProvider with dev.otpengine.channels.email.EmailChannelProvider;
}
