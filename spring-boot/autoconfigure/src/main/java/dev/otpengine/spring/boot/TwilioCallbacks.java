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
 * <p>A callback names its resource by its sid field: a message by {@code MessageSid}, a call of the voice channel by
 * {@code CallSid}. Twilio's call statuses (the Call resource's status values,
 * https://www.twilio.com/docs/voice/api/call-resource#call-status-values, posted as {@code CallStatus} by the call
 * status callback, https://www.twilio.com/docs/usage/webhooks/voice-webhooks#call-status-callbacks; the voice channel
 * asks for the {@code completed} event only): {@code completed} is {@link DeliveryReport.Status#DELIVERED} (the call
 * was answered and the code read out; Twilio says this can also be an answering machine or voicemail, which keeps
 * it); {@code busy}, {@code no-answer}, {@code failed} and {@code canceled} are {@link DeliveryReport.Status#FAILED}
 * (Twilio does not charge for them); {@code queued}, {@code initiated}, {@code ringing} and {@code in-progress} say
 * nothing final and are no report. A failed call's error code is Twilio's {@code ErrorCode} when the callback carries
 * one, and otherwise the status itself ({@code busy}, {@code no-answer}, ...): a listener then tells a busy line from
 * one nobody answered, which is what a support desk asks first.
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
        },

        /** A call of the voice channel. */
        CALL("CallSid", "CallStatus", "voice") {
            @Override
            DeliveryReport.Status status(String status) {
                switch (status) {
                    case "completed":
                        return DeliveryReport.Status.DELIVERED;
                    case "busy":
                    case "no-answer":
                    case "failed":
                    case "canceled":
                        return DeliveryReport.Status.FAILED;
                    default:
                        return null;
                }
            }

            @Override
            String errorCode(String status, String errorCode) {
                return errorCode != null ? errorCode : status;
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

        /**
         * A failure's error code.
         *
         * @param status Twilio's status, lower-case
         * @param errorCode Twilio's {@code ErrorCode}, or {@code null} when the callback has none
         * @return the report's error code, or {@code null}
         */
        String errorCode(String status, String errorCode) {
            return errorCode;
        }
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
            String lower = status == null ? null : status.strip().toLowerCase(Locale.ROOT);
            DeliveryReport.Status final_ = lower == null ? null : resource.status(lower);
            if (final_ == null) {
                return Optional.empty();
            }
            String error = final_ == DeliveryReport.Status.FAILED
                    ? resource.errorCode(lower, blankToNull(form.first("ErrorCode"))) : null;
            try {
                return Optional.of(new DeliveryReport(resource.channelId, sid.strip(), final_, error, "twilio"));
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
