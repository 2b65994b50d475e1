package dev.otpengine.channels.sms;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;

/**
 * Makes the {@code sms} channel, which checks each number with libphonenumber (invalid numbers and numbers that are
 * not mobile, such as premium rate or shared cost, fail permanently) and hands the text to the gateway
 * {@code sms.gateway} names. The engine finds this provider with {@link java.util.ServiceLoader} when
 * {@code otpengine-channels-sms} is on the class or module path and {@code discoverChannels(settings)} is called.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code sms.gateway}</td><td>required</td><td>{@code twilio}, {@code http}, {@code smpp} or
 *       {@code console}</td></tr>
 *   <tr><td>{@code sms.timeout}</td><td>10s</td><td>how long a gateway may take to answer</td></tr>
 *   <tr><td>{@code sms.webotp.domain}</td><td>none</td><td>adds {@code @domain #code} as the last line, for WebOTP
 *       and Android's SMS Retriever</td></tr>
 *   <tr><td>{@code sms.twilio.accountSid}, {@code sms.twilio.authToken}</td><td>required for twilio</td>
 *       <td>the account and its token (basic auth)</td></tr>
 *   <tr><td>{@code sms.twilio.from} or {@code sms.twilio.messagingServiceSid}</td><td>one required for twilio</td>
 *       <td>the sender</td></tr>
 *   <tr><td>{@code sms.twilio.baseUrl}</td><td>{@code https://api.twilio.com}</td><td>the API host</td></tr>
 *   <tr><td>{@code sms.http.url}, {@code sms.http.body}</td><td>required for http</td><td>where to send, and the
 *       body with {@code {to}} and {@code {text}}</td></tr>
 *   <tr><td>{@code sms.http.method}, {@code sms.http.contentType}</td><td>{@code POST}, {@code application/json}</td>
 *       <td>values are JSON-escaped for JSON, URL-encoded for a form</td></tr>
 *   <tr><td>{@code sms.http.header.<Name>}</td><td>none</td><td>request headers, such as an API key</td></tr>
 *   <tr><td>{@code sms.http.successStatus}</td><td>{@code 200-299}</td><td>a status or a range</td></tr>
 *   <tr><td>{@code sms.smpp.host}, {@code sms.smpp.systemId}, {@code sms.smpp.password},
 *       {@code sms.smpp.sourceAddress}</td><td>required for smpp</td><td>the SMSC, the bind credentials, the
 *       sender</td></tr>
 *   <tr><td>{@code sms.smpp.port}, {@code sms.smpp.systemType}</td><td>2775, empty</td><td></td></tr>
 * </table>
 *
 * <p>HTTP 429, 5xx, timeouts and network errors are retryable failures; other 4xx are permanent.
 *
 * <p><b>Thread-safety:</b> stateless; the channel it makes is thread-safe.
 */
public final class SmsChannelProvider implements ChannelProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SmsChannelProvider() {
    }

    /** @return {@code "sms"} */
    @Override
    public String id() {
        return SmsChannel.ID;
    }

    /**
     * Makes the channel.
     *
     * @param settings the channel's settings, without the {@code sms.} prefix
     * @return the channel; the engine closes it
     * @throws ChannelConfigurationException if a required setting is missing or one is malformed; it names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        Duration timeout = settings.getDuration("timeout", Duration.ofSeconds(10), Duration.ofMinutes(5));
        String domain = settings.get("webotp.domain").map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
        if (domain != null && !domain.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
            throw new ChannelConfigurationException(settings.qualifiedKey("webotp.domain"), "setting "
                    + settings.qualifiedKey("webotp.domain") + " must be a host name such as example.com");
        }
        return new SmsChannel(gateway(settings, timeout), domain);
    }

    private static SmsGateway gateway(ChannelSettings s, Duration timeout) {
        String name = s.require("gateway");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "twilio":
                return new TwilioGateway(s, http(timeout), timeout);
            case "http":
                return new HttpGateway(s, http(timeout), timeout);
            case "smpp":
                return new SmppGateway(s, timeout);
            case "console":
                return new ConsoleGateway(System.out);
            default:
                throw new ChannelConfigurationException(s.qualifiedKey("gateway"), "setting " + s.qualifiedKey("gateway")
                        + " must be twilio, http, smpp or console: " + name);
        }
    }

    private static HttpClient http(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
