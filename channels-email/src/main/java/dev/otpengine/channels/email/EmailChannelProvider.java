package dev.otpengine.channels.email;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

/**
 * Makes the {@code email} channel, which sends each code as an email over SMTP (Angus Mail). The engine finds this
 * provider with {@link java.util.ServiceLoader} when {@code otpengine-channels-email} is on the class or module path
 * and {@code discoverChannels(settings)} is called; settings are keyed {@code email.*}:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code email.smtp.host}</td><td>required</td><td>the SMTP server</td></tr>
 *   <tr><td>{@code email.smtp.port}</td><td>587, 465 for smtps, 25 for none</td><td>its port</td></tr>
 *   <tr><td>{@code email.smtp.security}</td><td>{@code starttls}</td><td>{@code starttls} (required, not
 *       opportunistic), {@code smtps} (implicit TLS) or {@code none}</td></tr>
 *   <tr><td>{@code email.smtp.username}, {@code email.smtp.password}</td><td>none</td><td>SMTP AUTH; both or
 *       neither</td></tr>
 *   <tr><td>{@code email.smtp.ssl.trust}</td><td>none</td><td>hosts whose certificate is accepted unchecked
 *       ({@code *} for any): for test servers only</td></tr>
 *   <tr><td>{@code email.smtp.ssl.checkServerIdentity}</td><td>{@code true}</td><td>whether the certificate must
 *       name the host; {@code false} for test servers only</td></tr>
 *   <tr><td>{@code email.smtp.connectTimeout}, {@code email.smtp.readTimeout}, {@code email.smtp.writeTimeout}</td>
 *       <td>10s each</td><td>up to 5 minutes; {@code 500ms}, {@code 10s} or ISO-8601</td></tr>
 *   <tr><td>{@code email.from}</td><td>required</td><td>the sender address</td></tr>
 *   <tr><td>{@code email.from.name}</td><td>none</td><td>the sender's display name</td></tr>
 *   <tr><td>{@code email.pool.size}</td><td>4</td><td>SMTP connections kept open, 1 to 64</td></tr>
 *   <tr><td>{@code email.subject}, {@code email.heading}, {@code email.expiry}</td><td>built in (the 17 locales the engine ships)</td>
 *       <td>texts; add {@code .<language tag>} for one locale, prefix {@code widget.<id>.} for one widget;
 *       placeholders {@code {code}}, {@code {name}}, {@code {minutes}}, {@code {expiresAt}}</td></tr>
 * </table>
 *
 * <p>The email's plain part is the engine's localized text followed by the expiry line; its HTML part shows the
 * heading, the code large and selectable, and the expiry line, every value HTML-escaped.
 *
 * <p><b>Thread-safety:</b> stateless; the channel it makes is thread-safe.
 */
public final class EmailChannelProvider implements ChannelProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public EmailChannelProvider() {
    }

    /** @return {@link #SPI_VERSION} as this plugin was compiled against it */
    @Override
    public String requestedSpiVersion() {
        return SPI_VERSION;
    }

    /** @return {@code "email"} */
    @Override
    public String id() {
        return EmailChannel.ID;
    }

    /**
     * Makes the channel.
     *
     * @param settings the channel's settings, without the {@code email.} prefix
     * @return the channel; the engine closes it
     * @throws ChannelConfigurationException if a required setting is missing or one is malformed; it names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        return new EmailChannel(EmailSettings.from(settings), new EmailTexts(settings));
    }
}
