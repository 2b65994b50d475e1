package dev.otpengine.internal;

import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;

import java.util.UUID;

/**
 * The checks a request passes before the engine does any work for it: the seam where rate limits, resend
 * cooldowns and guess budgets plug into the send and verify paths. A guard refuses by throwing
 * {@code RateLimitException}; it runs before a code is generated, so a refused send costs no SMS.
 */
public interface RequestGuard {

    /** Lets everything through. */
    RequestGuard NONE = new RequestGuard() {
    };

    /**
     * Before a send, after the widget, captcha and country checks.
     *
     * @param widget the widget
     * @param recipient the recipient, with only the addresses the send may use
     * @param userIp the user's canonical IP address, or {@code null}
     * @param testRecipient whether the recipient is one of the widget's test recipients, whose fixed code no channel
     *     delivers
     * @return what to give back if the send is refused after all (its code could not be stored)
     */
    default Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient) {
        return Permit.NONE;
    }

    /**
     * Before an escalation step sends a code again on a channel that reaches the phone: the toll-fraud guard counts it
     * as a send (a step is paid for as any SMS or call is), but no limit of the requester's (IP, widget, recipient,
     * cooldown) does: the requester asked once.
     *
     * @param widget the widget
     * @param phone the phone the step goes to, E.164
     * @throws dev.otpengine.RateLimitException if the guard cuts the phone's country off; the step is not sent
     */
    default void beforeEscalation(Widget widget, String phone) {
    }

    /**
     * Before a verification, before the guess is hashed.
     *
     * @param widgetId the widget of the code guessed at, or {@code null} if no code has the request id
     * @param widget that widget, or {@code null} if unknown or since removed
     * @param recipient who the code was sent to, or {@code null} if no code has the request id
     * @param userIp the user's canonical IP address, or {@code null}
     * @param testRecipient whether the code guessed at is a test recipient's fixed code
     * @return what to settle once the outcome is known
     */
    default VerifyPermit beforeVerify(UUID widgetId, Widget widget, Recipient recipient, String userIp,
                                      boolean testRecipient) {
        return VerifyPermit.NONE;
    }

    /** A send let through. */
    interface Permit {

        /** Nothing to give back. */
        Permit NONE = () -> {
        };

        /** Gives back every call the send took: it was refused after all and must count against nothing. */
        void release();
    }

    /** A verification let through, waiting for its outcome. */
    interface VerifyPermit {

        /** Nothing to settle. */
        VerifyPermit NONE = status -> {
        };

        /**
         * Settles the permit once the guess was checked.
         *
         * @param status the outcome, or {@code null} if the check failed inside the engine
         */
        void settle(VerifyResult.Status status);
    }
}
