package dev.otpengine.channels.whatsapp;

import dev.otpengine.spi.DeliveryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Map.entry;

/**
 * What a refusal from the WhatsApp Cloud API means. The Cloud API answers an error as the Graph API does
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling):
 * {@code {"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026,
 * "error_data":{"messaging_product":"whatsapp","details":"..."},"fbtrace_id":"..."}}}; Meta asks that handling be
 * built on {@code code}, not on the HTTP status or the title. The codes and their meanings are Meta's
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). The answer's {@code message} and
 * {@code details} are never repeated: they may quote the recipient.
 *
 * <p>Whose fault each is decides what happens: the number's and the configuration's are permanent (no other try of this
 * channel will do better, so FALLBACK moves on at once); the vendor's (throttling, an outage) are retryable. A
 * configuration error fails every send alike, so it is logged at ERROR once per cause, naming the setting to fix.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class GraphErrors {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppChannel.class);

    /** Whose fault a refusal is. */
    enum Fault {
        /** The recipient's number: not on WhatsApp, not allowed, not valid. Permanent. */
        NUMBER(null),
        /** Meta's side or our throughput: throttling, an outage. Retryable. */
        VENDOR(null),
        /** The access token: expired, invalid, without the permission. Permanent, logged once. */
        TOKEN("accessToken"),
        /** The template: missing in that language, not approved, paused, or not an authentication template. */
        TEMPLATE("template"),
        /** The business account or phone number: locked, deleted, unpaid, not registered. Permanent, logged once. */
        ACCOUNT("phoneNumberId");

        /** The setting at fault, without the {@code whatsapp.} prefix; {@code null} for a refusal of one send. */
        final String setting;

        Fault(String setting) {
            this.setting = setting;
        }
    }

    /** A documented code: whose fault, and a few words from Meta's title. */
    record Code(Fault fault, String meaning) {
    }

    /** The Cloud API's documented codes this channel tells apart; others follow the HTTP status (see {@link #of}). */
    static final Map<Integer, Code> CODES = Map.ofEntries(
            // Authorization errors: the token.
            entry(0, new Code(Fault.TOKEN, "the app user could not be authenticated")),
            entry(3, new Code(Fault.TOKEN, "capability or permissions issue")), // answered with HTTP 500
            entry(10, new Code(Fault.TOKEN, "permission denied")),
            entry(190, new Code(Fault.TOKEN, "access token has expired")),
            entry(131005, new Code(Fault.TOKEN, "access denied")),
            // Throttling errors: ours to slow down, worth another try later.
            entry(4, new Code(Fault.VENDOR, "too many calls")),
            entry(80007, new Code(Fault.VENDOR, "rate limit issues")),
            entry(130429, new Code(Fault.VENDOR, "rate limit hit")),
            entry(131048, new Code(Fault.VENDOR, "spam rate limit hit")),
            entry(131056, new Code(Fault.VENDOR, "pair rate limit hit")),
            // Meta's side.
            entry(1, new Code(Fault.VENDOR, "unknown error")),
            entry(2, new Code(Fault.VENDOR, "service temporarily unavailable")),
            entry(131000, new Code(Fault.VENDOR, "something went wrong")),
            entry(131016, new Code(Fault.VENDOR, "service unavailable")),
            entry(131057, new Code(Fault.VENDOR, "account in maintenance mode")),
            entry(133004, new Code(Fault.VENDOR, "server temporarily unavailable")),
            // The business account and its phone number.
            entry(33, new Code(Fault.ACCOUNT, "the business phone number has been deleted")),
            entry(368, new Code(Fault.ACCOUNT, "temporarily blocked for policy violations")),
            entry(131031, new Code(Fault.ACCOUNT, "account has been locked")),
            entry(131037, new Code(Fault.ACCOUNT, "display name needs approval")),
            entry(131042, new Code(Fault.ACCOUNT, "business eligibility payment issue")),
            entry(133010, new Code(Fault.ACCOUNT, "phone number not registered")),
            // The template: missing, unapproved, paused, or not shaped as an authentication template with a code.
            entry(131008, new Code(Fault.TEMPLATE, "required parameter is missing")),
            entry(132000, new Code(Fault.TEMPLATE, "number of parameters does not match the template")),
            entry(132001, new Code(Fault.TEMPLATE, "template does not exist in this language")),
            entry(132005, new Code(Fault.TEMPLATE, "translated text too long")),
            entry(132007, new Code(Fault.TEMPLATE, "template format character policy violated")),
            entry(132012, new Code(Fault.TEMPLATE, "template parameter format mismatch")),
            entry(132015, new Code(Fault.TEMPLATE, "template is paused")),
            entry(132016, new Code(Fault.TEMPLATE, "template is disabled")),
            // The recipient's number, or a value of this one request.
            entry(100, new Code(Fault.NUMBER, "invalid parameter")),
            entry(131009, new Code(Fault.NUMBER, "parameter value is not valid")),
            entry(131021, new Code(Fault.NUMBER, "recipient cannot be the sender")),
            entry(131026, new Code(Fault.NUMBER, "message undeliverable: not a WhatsApp user, or an old app")),
            entry(131030, new Code(Fault.NUMBER, "recipient not in the test number's allowed list")),
            entry(130497, new Code(Fault.NUMBER, "the account may not message users in this country")));

    /** Permissions errors are a range, 200 to 299 ("API Permission"). */
    private static final Code PERMISSION = new Code(Fault.TOKEN, "permission not granted or removed");
    /** {@code 100} with subcode 33: the phone number id names no object ("Unsupported post request"). */
    private static final Code NO_SUCH_PHONE_NUMBER_ID = new Code(Fault.ACCOUNT, "no such phone number id");

    private final String template;
    /** The configuration causes already logged: setting, code and language; finitely many. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    GraphErrors(String template) {
        this.template = template;
    }

    /** The documented meaning of a code, or {@code null}. */
    static Code code(int code, Integer subcode) {
        if (code == 100 && subcode != null && subcode == 33) {
            return NO_SUCH_PHONE_NUMBER_ID;
        }
        if (code >= 200 && code <= 299) {
            return PERMISSION;
        }
        return CODES.get(code);
    }

    /**
     * The failure an error answer means, logging a configuration error once per cause. A documented code decides; an
     * answer without one follows its status: 429 and 5xx retryable, 401 the token's, others permanent.
     *
     * @param status the HTTP status, not 2xx
     * @param body the answer's body, JSON or anything else
     * @param language the template language the message was sent in
     */
    DeliveryException of(int status, String body, String language) {
        Integer code = null;
        Integer subcode = null;
        try {
            Object error = Json.at(Json.parse(body), "error");
            code = integer(Json.at(error, "code"));
            subcode = integer(Json.at(error, "error_subcode"));
        } catch (IllegalArgumentException e) {
            // not JSON (a proxy's page): the status decides
        }
        Code known = code == null ? null : code(code, subcode);
        if (known == null) {
            known = status == 429 || status >= 500 ? new Code(Fault.VENDOR, "no documented code")
                    : status == 401 ? new Code(Fault.TOKEN, "unauthorized") : null;
        }
        String message = "whatsapp answered HTTP " + status + (code == null ? "" : " with error " + code)
                + (known == null ? "" : " (" + known.meaning() + ")");
        if (known == null || known.fault() == Fault.NUMBER) {
            return DeliveryException.permanent(message);
        }
        if (known.fault() == Fault.VENDOR) {
            return DeliveryException.retryable(message);
        }
        String key = "whatsapp." + known.fault().setting;
        String fix = fix(known.fault(), key, language);
        if (logged.add(key + "|" + code + "|" + (known.fault() == Fault.TEMPLATE ? language : ""))) {
            log.error("{}: {}; every whatsapp send fails alike until it is fixed", message, fix);
        }
        return DeliveryException.permanent(message + ": " + fix);
    }

    private String fix(Fault fault, String key, String language) {
        switch (fault) {
            case TOKEN:
                return "check " + key + ": a valid system user token with the whatsapp_business_messaging permission";
            case TEMPLATE:
                return "check " + key + ": template " + template + " must be an approved authentication template with a "
                        + "copy-code button in language " + language + " (or map the locale to another language with "
                        + "whatsapp.language.<tag>)";
            default:
                return "check " + key + " and its WhatsApp Business Account in WhatsApp Manager";
        }
    }

    private static Integer integer(Object value) {
        if (value instanceof Long && (Long) value >= Integer.MIN_VALUE && (Long) value <= Integer.MAX_VALUE) {
            return ((Long) value).intValue();
        }
        return null;
    }
}
