package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;

import java.util.Locale;
import java.util.Optional;

/**
 * What a verified Twilio status callback says, as a {@link DeliveryReport}: only a final status is one. Twilio's
 * message statuses (https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks and the
 * Message resource's status values, https://www.twilio.com/docs/messaging/api/message-resource):
 * {@code delivered} is {@link DeliveryReport.Status#DELIVERED}; {@code undelivered} and {@code failed} are
 * {@link DeliveryReport.Status#FAILED}, with {@code ErrorCode} as the error code; every other status
 * ({@code queued}, {@code sending}, {@code sent}, {@code accepted}, {@code scheduled}, {@code read},
 * {@code canceled}, {@code partially_delivered}, ...) says nothing final and is no report.
 *
 * <p>A callback names its resource by its sid field: a message by {@code MessageSid}. Calls ({@code CallSid} and
 * {@code CallStatus}, for the voice channel) are one more {@link Resource}, to the same endpoint.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class TwilioCallbacks {

    /** A kind of Twilio resource whose status callbacks are delivery reports. */
    enum Resource {
        /** A message of the SMS channel. */
        MESSAGE("MessageSid", "MessageStatus", "sms") {
            @Override
            DeliveryReport.Status status(String status) {
                switch (status) {
                    case "delivered":
                        return DeliveryReport.Status.DELIVERED;
                    case "undelivered":
                    case "failed":
                        return DeliveryReport.Status.FAILED;
                    default:
                        return null;
                }
            }
        };

        private final String sidField;
        private final String statusField;
        private final String channelId;

        Resource(String sidField, String statusField, String channelId) {
            this.sidField = sidField;
            this.statusField = statusField;
            this.channelId = channelId;
        }

        /**
         * A final status, or {@code null} for one that is not.
         *
         * @param status Twilio's status, lower-case
         * @return the report's status, or {@code null}
         */
        abstract DeliveryReport.Status status(String status);
    }

    private TwilioCallbacks() {
    }

    /**
     * The report a callback makes.
     *
     * @param form the callback's verified fields
     * @return the report; empty for a status that is not final, a resource that is not known, or fields that do not
     *     make a report (a sid or an error code too long)
     */
    static Optional<DeliveryReport> report(FormFields form) {
        for (Resource resource : Resource.values()) {
            String sid = form.first(resource.sidField);
            if (sid == null || sid.isBlank()) {
                continue;
            }
            String status = form.first(resource.statusField);
            DeliveryReport.Status final_ = status == null ? null
                    : resource.status(status.strip().toLowerCase(Locale.ROOT));
            if (final_ == null) {
                return Optional.empty();
            }
            String error = final_ == DeliveryReport.Status.FAILED ? blankToNull(form.first("ErrorCode")) : null;
            try {
                return Optional.of(new DeliveryReport(resource.channelId, sid.strip(), final_, error));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
