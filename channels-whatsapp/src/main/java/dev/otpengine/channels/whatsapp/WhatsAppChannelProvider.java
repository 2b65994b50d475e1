package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelConfigurationException;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;

import java.net.http.HttpClient;

/**
 * Makes the {@code whatsapp} channel, which sends each code in an approved WhatsApp authentication template with a
 * copy-code button through Meta's WhatsApp Cloud API. The engine finds this provider with
 * {@link java.util.ServiceLoader} when {@code otpengine-channels-whatsapp} is on the class or module path and
 * {@code discoverChannels(settings)} is called; settings are keyed {@code whatsapp.*}:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code whatsapp.accessToken}</td><td>required</td><td>a system user's token with the
 *       {@code whatsapp_business_messaging} permission, sent as {@code Authorization: Bearer}</td></tr>
 *   <tr><td>{@code whatsapp.phoneNumberId}</td><td>required</td><td>the id of the business phone number that sends
 *       (WhatsApp Manager, API Setup), digits</td></tr>
 *   <tr><td>{@code whatsapp.template}</td><td>required</td><td>the name of an approved template of category
 *       {@code AUTHENTICATION} with a copy-code button, in every language the table below sends</td></tr>
 *   <tr><td>{@code whatsapp.baseUrl}</td><td>{@value WhatsAppSettings#DEFAULT_BASE_URL}</td><td>the Graph API's
 *       host</td></tr>
 *   <tr><td>{@code whatsapp.apiVersion}</td><td>{@value WhatsAppSettings#DEFAULT_API_VERSION}</td><td>the Graph API
 *       version, {@code vNN.N}</td></tr>
 *   <tr><td>{@code whatsapp.timeout}</td><td>10s</td><td>how long one request may take, up to a minute and at most
 *       the engine's delivery timeout</td></tr>
 *   <tr><td>{@code whatsapp.language.<BCP 47 tag>}</td><td>the table below</td><td>the template language for a
 *       locale, as Meta writes it ({@code whatsapp.language.en=en_GB})</td></tr>
 * </table>
 *
 * <p>The template's language follows the message's locale (the locale of the engine's text):
 *
 * <table>
 *   <caption>Locales and WhatsApp template languages</caption>
 *   <tr><th>locale</th><th>language</th><th>locale</th><th>language</th></tr>
 *   <tr><td>{@code en}</td><td>{@code en_US}</td><td>{@code ca-ES}</td><td>{@code ca}</td></tr>
 *   <tr><td>{@code es}</td><td>{@code es}</td><td>{@code ja}</td><td>{@code ja}</td></tr>
 *   <tr><td>{@code pt-BR}</td><td>{@code pt_BR}</td><td>{@code ru}</td><td>{@code ru}</td></tr>
 *   <tr><td>{@code fr}</td><td>{@code fr}</td><td>{@code nl}</td><td>{@code nl}</td></tr>
 *   <tr><td>{@code it}</td><td>{@code it}</td><td>{@code pl}</td><td>{@code pl}</td></tr>
 *   <tr><td>{@code de-DE}</td><td>{@code de}</td><td>{@code tr}</td><td>{@code tr}</td></tr>
 *   <tr><td>{@code zh-Hans}</td><td>{@code zh_CN}</td><td>{@code fa}</td><td>{@code fa}</td></tr>
 *   <tr><td>{@code zh-Hant}</td><td>{@code zh_TW} ({@code zh_HK} for {@code zh-Hant-HK}, {@code -MO})</td>
 *       <td>{@code vi}</td><td>{@code vi}</td></tr>
 *   <tr><td>{@code cs}</td><td>{@code cs}</td><td></td><td></td></tr>
 * </table>
 *
 * <p>Each also covers its bare language ({@code de}, {@code pt}, {@code ca}). English is {@code en_US}, the language
 * Meta's own examples create authentication templates in; a template created as plain {@code en} needs
 * {@code whatsapp.language.en=en}. Another locale is sent in Meta's code for it when Meta supports its language
 * ({@code sv}, {@code es_MX}), else in English. Meta's supported languages:
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/supported-languages.
 *
 * <p><b>Codes.</b> An authentication template takes codes of up to 15 characters; the engine's are at most
 * {@code Widget.MAX_CODE_LENGTH} (10), so every widget fits, and no widget needs refusing when it is built (the SPI
 * has no hook for that).
 *
 * <p><b>Failures.</b> A number that is not on WhatsApp (error 131026) or that the account may not message is a
 * permanent failure, so a FALLBACK widget moves on to its next channel; Meta often reports it later, in a
 * {@code failed} status webhook, rather than in the answer. Throttling and Meta's outages are retryable. A refused
 * token, a missing or unapproved template and a locked or unpaid account are permanent and logged at ERROR once per
 * cause, naming the setting to fix.
 *
 * <p><b>Thread-safety:</b> stateless; the channel it makes is thread-safe.
 */
public final class WhatsAppChannelProvider implements ChannelProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public WhatsAppChannelProvider() {
    }

    /** @return {@link #SPI_VERSION} as this plugin was compiled against it */
    @Override
    public String requestedSpiVersion() {
        return SPI_VERSION;
    }

    /** @return {@code "whatsapp"} */
    @Override
    public String id() {
        return WhatsAppChannel.ID;
    }

    /**
     * Makes the channel, with its own HTTP client; receipts are stamped with {@link ChannelSettings#clock()}.
     *
     * @param settings the channel's settings, without the {@code whatsapp.} prefix
     * @return the channel; the engine closes it
     * @throws ChannelConfigurationException if a required setting is missing or one is malformed; it names the key
     */
    @Override
    public Channel create(ChannelSettings settings) {
        WhatsAppSettings whatsapp = WhatsAppSettings.from(settings);
        HttpClient http = HttpClient.newBuilder().connectTimeout(whatsapp.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new WhatsAppChannel(whatsapp, http, settings.clock());
    }
}
