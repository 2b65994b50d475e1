package dev.otpengine.channels.voice;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

import java.net.http.HttpClient;

/**
 * Makes the {@code voice} channel, which calls the recipient through Twilio Programmable Voice and reads the code out,
 * character by character, in the message's language, {@code voice.repeat} times. The engine finds this provider with
 * {@link java.util.ServiceLoader} when {@code otpengine-channels-voice} is on the class or module path and
 * {@code discoverChannels(settings)} is called; settings are keyed {@code voice.*}:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code voice.twilio.accountSid}</td><td>required</td><td>the account, {@code AC} and 32 hex digits</td></tr>
 *   <tr><td>{@code voice.twilio.authToken}</td><td>required</td><td>its auth token</td></tr>
 *   <tr><td>{@code voice.twilio.from}</td><td>required</td><td>the caller id, E.164: a voice-capable number of the
 *       account or a verified caller id</td></tr>
 *   <tr><td>{@code voice.twilio.baseUrl}</td><td>{@value VoiceSettings#DEFAULT_BASE_URL}</td><td>Twilio's REST
 *       host</td></tr>
 *   <tr><td>{@code voice.twilio.statusCallbackUrl}</td><td>none</td><td>where Twilio posts each call's final status
 *       ({@code StatusCallback}, event {@code completed}), for delivery reports</td></tr>
 *   <tr><td>{@code voice.repeat}</td><td>{@value VoiceSettings#DEFAULT_REPEAT}</td><td>how many times the code is
 *       read, 1 to {@value VoiceSettings#MAX_REPEAT}</td></tr>
 *   <tr><td>{@code voice.timeout}</td><td>10s</td><td>how long the request creating the call may take, up to a minute
 *       and at most the engine's delivery timeout</td></tr>
 *   <tr><td>{@code voice.language.<BCP 47 tag>}</td><td>the table below</td><td>the {@code <Say>} language of a
 *       locale; without {@code voice.ttsVoice.<tag>} the account's default voice reads it</td></tr>
 *   <tr><td>{@code voice.ttsVoice.<BCP 47 tag>}</td><td>the table below</td><td>the {@code <Say>} voice of a locale,
 *       such as {@code Polly.Joanna}</td></tr>
 * </table>
 *
 * <p>The call says this channel's own text in the message's locale (not the SMS text): "Your Acme verification code
 * is: 1, 2, 3, 4, 5, 6." then, after a pause, "Again: 1, 2, 3, 4, 5, 6.", each character on its own, letters of an
 * alphanumeric code spelled. Every text, the widget's name included, is XML-escaped in the TwiML. Languages and
 * voices:
 *
 * <table>
 *   <caption>Locales and Twilio voices</caption>
 *   <tr><th>locale</th><th>language</th><th>voice</th></tr>
 *   <tr><td>{@code en}</td><td>{@code en-US}</td><td>{@code Google.en-US-Standard-C}</td></tr>
 *   <tr><td>{@code es}</td><td>{@code es-ES}</td><td>{@code Google.es-ES-Standard-A}</td></tr>
 *   <tr><td>{@code pt-BR}</td><td>{@code pt-BR}</td><td>{@code Google.pt-BR-Standard-A}</td></tr>
 *   <tr><td>{@code fr}</td><td>{@code fr-FR}</td><td>{@code Google.fr-FR-Standard-A}</td></tr>
 *   <tr><td>{@code it}</td><td>{@code it-IT}</td><td>{@code Google.it-IT-Standard-A}</td></tr>
 *   <tr><td>{@code de-DE}</td><td>{@code de-DE}</td><td>{@code Google.de-DE-Standard-A}</td></tr>
 *   <tr><td>{@code zh-Hans}</td><td>{@code cmn-CN}</td><td>{@code Google.cmn-CN-Standard-A}</td></tr>
 *   <tr><td>{@code zh-Hant}</td><td>{@code cmn-TW}</td><td>{@code Google.cmn-TW-Standard-A}</td></tr>
 *   <tr><td>{@code ca-ES}</td><td>{@code ca-ES}</td><td>{@code Google.ca-ES-Standard-A}</td></tr>
 *   <tr><td>{@code ja}</td><td>{@code ja-JP}</td><td>{@code Google.ja-JP-Standard-A}</td></tr>
 *   <tr><td>{@code ru}</td><td>{@code ru-RU}</td><td>{@code Google.ru-RU-Standard-A}</td></tr>
 *   <tr><td>{@code nl}</td><td>{@code nl-NL}</td><td>{@code Google.nl-NL-Standard-A}</td></tr>
 *   <tr><td>{@code pl}</td><td>{@code pl-PL}</td><td>{@code Google.pl-PL-Standard-A}</td></tr>
 *   <tr><td>{@code tr}</td><td>{@code tr-TR}</td><td>{@code Google.tr-TR-Standard-A}</td></tr>
 *   <tr><td>{@code fa}</td><td colspan="2">no voice at Twilio (neither Google nor Amazon Polly speaks Persian): the
 *       call is in English, unless {@code voice.language.fa} (and {@code voice.ttsVoice.fa}) name one, when the
 *       shipped Persian text is read</td></tr>
 *   <tr><td>{@code vi}</td><td>{@code vi-VN}</td><td>{@code Google.vi-VN-Standard-A}</td></tr>
 *   <tr><td>{@code cs}</td><td>{@code cs-CZ}</td><td>{@code Google.cs-CZ-Standard-A}</td></tr>
 * </table>
 *
 * <p>Each also covers its bare language ({@code de}, {@code pt}, {@code ca}); any other locale is read in English.
 * Google's Standard voices are used because Twilio offers one for every language here but Persian, and a voice is
 * named for every locale because the account's default voice may not speak the language, which fails the call.
 *
 * <p><b>Failures.</b> A number Twilio cannot call (invalid, unreachable, blocked as high-risk) is a permanent failure;
 * Twilio's and the account's (credentials, caller id, Geo Permissions, throttling, outages) are retryable, and the
 * account's configuration is logged at ERROR once per error code, naming what to fix. A call that is accepted but not
 * answered is not a failure here: it comes later as the status callback's {@code busy}, {@code no-answer} or
 * {@code failed}.
 *
 * <p><b>Thread-safety:</b> stateless; the channel it makes is thread-safe.
 */
public final class VoiceChannelProvider implements ChannelProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public VoiceChannelProvider() {
    }

    /** @return {@link #SPI_VERSION} as this plugin was compiled against it */
    @Override
    public String requestedSpiVersion() {
        return SPI_VERSION;
    }

    /** @return {@code "voice"} */
    @Override
    public String id() {
        return VoiceChannel.ID;
    }

    /**
     * Makes the channel, with its own HTTP client; receipts are stamped with {@link ChannelSettings#clock()}.
     *
     * @param settings the channel's settings, without the {@code voice.} prefix
     * @return the channel; the engine closes it
     * @throws ChannelConfigurationException if a required setting is missing or one is malformed; it names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        VoiceSettings voice = VoiceSettings.from(settings);
        HttpClient http = HttpClient.newBuilder().connectTimeout(voice.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new VoiceChannel(voice, http, settings.clock());
    }
}
