package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a verified WhatsApp Cloud API webhook says about messages the business sent, as {@link DeliveryReport}s of the
 * WhatsApp channel. Meta's status messages webhook
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status)
 * carries them in {@code entry[].changes[].value.statuses[]}, each with {@code id} (the {@code wamid.} id the send
 * answered), {@code status} and, when it failed, {@code errors[]} with a numeric {@code code}:
 * {@code delivered} and {@code read} are {@link DeliveryReport.Status#DELIVERED} (Meta may send {@code read} without
 * {@code delivered}: a read message was delivered); {@code failed} is {@link DeliveryReport.Status#FAILED} with the
 * first error's code (131026: the number is not on WhatsApp); {@code sent} and any other status ({@code deleted},
 * {@code warning}, {@code played}, ...) say nothing final and are no report. One webhook may carry several statuses,
 * of several entries and changes: each is a report. The same webhook field ({@code messages}) also carries the
 * messages users send, in {@code value.messages[]}; those are not read.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class WhatsAppStatuses {

    /** The channel the reports are for: {@value}. */
    static final String CHANNEL = "whatsapp";

    private WhatsAppStatuses() {
    }

    /**
     * The reports a webhook makes, in the order of its statuses.
     *
     * @param payload the webhook's body, read by {@link FlatJson#nested}
     * @return the reports; a status that is not final, or whose fields do not make a report (no id, one too long),
     *     is left out, and so is any part of the payload that is not of the documented shape
     */
    static List<DeliveryReport> reports(Map<String, Object> payload) {
        List<DeliveryReport> reports = new ArrayList<>();
        for (Map<?, ?> entry : maps(payload.get("entry"))) {
            for (Map<?, ?> change : maps(entry.get("changes"))) {
                Object value = change.get("value");
                if (!(value instanceof Map)) {
                    continue;
                }
                for (Map<?, ?> status : maps(((Map<?, ?>) value).get("statuses"))) {
                    DeliveryReport report = report(status);
                    if (report != null) {
                        reports.add(report);
                    }
                }
            }
        }
        return reports;
    }

    private static DeliveryReport report(Map<?, ?> status) {
        String id = text(status.get("id"));
        String name = text(status.get("status"));
        if (id == null || name == null) {
            return null;
        }
        DeliveryReport.Status final_;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "delivered":
            case "read":
                final_ = DeliveryReport.Status.DELIVERED;
                break;
            case "failed":
                final_ = DeliveryReport.Status.FAILED;
                break;
            default:
                return null;
        }
        String error = null;
        if (final_ == DeliveryReport.Status.FAILED) {
            List<Map<?, ?>> errors = maps(status.get("errors"));
            error = errors.isEmpty() ? null : text(errors.get(0).get("code"));
        }
        try {
            return new DeliveryReport(CHANNEL, id, final_, error, "meta");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The objects of an array; anything else, and any element that is not an object, is none. */
    private static List<Map<?, ?>> maps(Object array) {
        List<Map<?, ?>> maps = new ArrayList<>();
        if (array instanceof List) {
            for (Object element : (List<?>) array) {
                if (element instanceof Map) {
                    maps.add((Map<?, ?>) element);
                }
            }
        }
        return maps;
    }

    /** A string or number's text, stripped; {@code null} for anything else or a blank one. */
    private static String text(Object value) {
        return value instanceof String ? TwilioCallbacks.blankToNull((String) value) : null;
    }
}
