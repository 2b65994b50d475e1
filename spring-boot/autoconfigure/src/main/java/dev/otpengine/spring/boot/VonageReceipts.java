package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a Vonage SMS API delivery receipt says, as a {@link DeliveryReport} of the SMS channel. Vonage's receipt
 * (https://developer.vonage.com/messaging/sms/building-blocks/receive-a-delivery-receipt) carries {@code messageId} (the
 * {@code message-id} the send answered), {@code status} and {@code err-code}: {@code delivered} is
 * {@link DeliveryReport.Status#DELIVERED}; {@code failed}, {@code rejected} and {@code expired} are
 * {@link DeliveryReport.Status#FAILED} with {@code err-code} as the error code; {@code accepted}, {@code buffered}
 * and {@code unknown} say nothing final and are no report.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class VonageReceipts {

    private VonageReceipts() {
    }

    /**
     * The report a receipt makes.
     *
     * @param params the receipt's fields
     * @return the report; empty for a status that is not final, or fields that do not make a report
     */
    static Optional<DeliveryReport> report(Map<String, String> params) {
        String id = TwilioCallbacks.blankToNull(params.get("messageId"));
        String status = params.get("status");
        if (id == null || status == null) {
            return Optional.empty();
        }
        DeliveryReport.Status final_;
        switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "delivered":
                final_ = DeliveryReport.Status.DELIVERED;
                break;
            case "failed":
            case "rejected":
            case "expired":
                final_ = DeliveryReport.Status.FAILED;
                break;
            default:
                return Optional.empty();
        }
        String error = final_ == DeliveryReport.Status.FAILED ? TwilioCallbacks.blankToNull(params.get("err-code"))
                : null;
        try {
            return Optional.of(new DeliveryReport("sms", id, final_, error, "vonage"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
