package dev.otpengine.channels.sms;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the {@code sms} channel, which reads each number with the phone channels' one reading
 * ({@code otpengine-phone}: invalid numbers and numbers that are not mobile, such as landlines, premium rate or shared
 * cost, are refused) and hands the text to the gateways
 * {@code sms.gateway} names, in order. The engine finds this provider with {@link java.util.ServiceLoader} when
 * {@code otpengine-channels-sms} is on the class or module path and {@code discoverChannels(settings)} is called.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code sms.gateway}</td><td>required</td><td>{@code twilio}, {@code vonage}, {@code http}, {@code smpp}
 *       or {@code console}; or several, comma-separated in order of preference ({@code twilio,vonage}), each at
 *       most once</td></tr>
 *   <tr><td>{@code sms.timeout}</td><td>10s with one gateway; 8s divided by their number with several (4s each for
 *       two)</td><td>how long each gateway may take to answer; with several, their sum must fit the engine's
 *       delivery timeout (10s by default) or the engine's {@code build()} refuses them</td></tr>
 *   <tr><td>{@code sms.failover.failureRate}</td><td>50</td><td>percent, 1 to 100: a gateway's circuit opens when
 *       this share of its last {@code minimumCalls} calls failed by the gateway's fault</td></tr>
 *   <tr><td>{@code sms.failover.minimumCalls}</td><td>10</td><td>1 to 10000: how many calls a circuit judges; none
 *       opens before that many were made</td></tr>
 *   <tr><td>{@code sms.failover.openFor}</td><td>30s</td><td>at most 1h: how long an open circuit skips its gateway
 *       without a call before one probe is let through</td></tr>
 *   <tr><td>{@code sms.webotp.domain}</td><td>none</td><td>adds {@code @domain #code} as the last line, for WebOTP
 *       and Android's SMS Retriever</td></tr>
 *   <tr><td>{@code sms.twilio.accountSid}, {@code sms.twilio.authToken}</td><td>required for twilio</td>
 *       <td>the account and its token (basic auth)</td></tr>
 *   <tr><td>{@code sms.twilio.from} or {@code sms.twilio.messagingServiceSid}</td><td>one required for twilio</td>
 *       <td>the sender</td></tr>
 *   <tr><td>{@code sms.twilio.baseUrl}</td><td>{@code https://api.twilio.com}</td><td>the API host</td></tr>
 *   <tr><td>{@code sms.twilio.statusCallbackUrl}</td><td>none</td><td>an http(s) URL sent as {@code StatusCallback}:
 *       where Twilio posts each message's status changes</td></tr>
 *   <tr><td>{@code sms.vonage.apiKey}, {@code sms.vonage.apiSecret}</td><td>required for vonage</td><td>the
 *       account's API key and secret</td></tr>
 *   <tr><td>{@code sms.vonage.from}</td><td>required for vonage</td><td>the sender: an alphanumeric id or a number
 *       (sent without {@code +})</td></tr>
 *   <tr><td>{@code sms.vonage.baseUrl}</td><td>{@code https://rest.nexmo.com}</td><td>the SMS API host</td></tr>
 *   <tr><td>{@code sms.vonage.callbackUrl}</td><td>none</td><td>an http(s) URL sent as {@code callback}: where
 *       Vonage posts this message's delivery receipt, instead of the account's default</td></tr>
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
 * <p>Whose fault a failure is decides what happens next. The gateway's (network errors, timeouts, HTTP 429 and 5xx,
 * throttling, bad credentials, no balance, a sender the account may not use) is retryable: the same text goes to the
 * next gateway, and it counts against the gateway's circuit breaker. The message's (an invalid number, not a mobile,
 * unsubscribed, barred, a text too long) is permanent: no other gateway is paid to try, and no circuit counts it.
 * Twilio's error codes and Vonage's statuses are read for this, as documented by each vendor; an HTTP 4xx without a
 * known code stays permanent, except 401 and 403. When every gateway failed or was skipped (open circuit), the
 * delivery fails retryably at once, and the engine answers 503. The accepted receipt's attributes name the
 * {@code gateway} that took the text.
 *
 * <p>A gateway that timed out may still have delivered the text; the next one then sends it again, so a user can get
 * the same code twice.
 *
 * <p><b>Thread-safety:</b> stateless; the channel it makes is thread-safe.
 */
public final class SmsChannelProvider implements ChannelProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SmsChannelProvider() {
    }

    /** @return {@link #SPI_VERSION} as this plugin was compiled against it */
    @Override
    public String requestedSpiVersion() {
        return SPI_VERSION;
    }

    /** @return {@code "sms"} */
    @Override
    public String id() {
        return SmsChannel.ID;
    }

    /**
     * Makes the channel, with a circuit breaker per gateway that reads {@link ChannelSettings#clock()}.
     *
     * @param settings the channel's settings, without the {@code sms.} prefix
     * @return the channel; the engine closes it
     * @throws ChannelConfigurationException if a required setting is missing or one is malformed; it names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        SmsSettings sms = SmsSettings.from(settings);
        Map<String, SmsGateway> gateways = new LinkedHashMap<>();
        HttpClient http = null; // one client, with its connection pool and selector thread, for every HTTP gateway
        try {
            for (String name : sms.gateways()) {
                if (http == null && !name.equals(SmppGateway.NAME) && !name.equals(ConsoleGateway.NAME)) {
                    http = http(sms.timeout());
                }
                gateways.put(name, gateway(name, settings, http, sms.timeout()));
            }
        } catch (RuntimeException e) {
            gateways.values().forEach(SmsGateway::close); // an SMPP gateway made before a bad twilio setting
            throw e;
        }
        return new SmsChannel(new GatewayChain(gateways, sms.timeout(), sms.failover(), settings.clock()),
                sms.webOtpDomain());
    }

    private static SmsGateway gateway(String name, ChannelSettings s, HttpClient http, Duration timeout) {
        switch (name) {
            case TwilioGateway.NAME:
                return new TwilioGateway(TwilioSettings.from(s), http, timeout);
            case VonageGateway.NAME:
                return new VonageGateway(VonageSettings.from(s), http, timeout);
            case HttpGateway.NAME:
                return new HttpGateway(s, http, timeout);
            case SmppGateway.NAME:
                return new SmppGateway(s, timeout);
            case ConsoleGateway.NAME:
                return new ConsoleGateway(System.out);
            default: // SmsSettings lets only the names above through
                throw new IllegalStateException("no sms gateway is named " + name);
        }
    }

    private static HttpClient http(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
