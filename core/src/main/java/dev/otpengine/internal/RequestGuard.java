package dev.otpengine.internal;

import dev.otpengine.RateLimitException;
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
        @Override
        public boolean limitsSends(Widget widget) {
            return false;
        }

        @Override
        public boolean limitsVerifies(Widget widget) {
            return false;
        }
    };

    /**
     * Whether a send of the widget may count against anything here: when not, the send path needs nothing of the guard
     * and asks the store once (block list and code in one step).
     *
     * @param widget the widget
     * @return {@code true} unless the guard is sure a send of the widget counts against nothing
     */
    default boolean limitsSends(Widget widget) {
        return true;
    }

    /**
     * Whether a verification of a code of the widget may count against anything here: when not for any widget the code
     * could be of, the verify path judges the guess by its request id alone, without reading the code first.
     *
     * @param widget the widget, or {@code null} for the limits of a widget without its own
     * @return {@code true} unless the guard is sure such a verification counts against nothing
     */
    default boolean limitsVerifies(Widget widget) {
        return true;
    }

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
     * Before a captcha is checked: the requester's own limits (its IP's and its network's), so that a requester those
     * refuse never costs a call to the captcha service. What this takes is not given back when the captcha is
     * rejected: the attempt was the requester's.
     *
     * @param widget the widget
     * @param userIp the user's canonical IP address, or {@code null}
     * @return what was taken, to hand to {@link #beforeSend(Widget, Recipient, String, boolean, Permit)}
     * @throws dev.otpengine.RateLimitException if a requester limit refuses; nothing of it stays taken
     */
    default Permit beforeCaptcha(Widget widget, String userIp) {
        return Permit.NONE;
    }

    /**
     * Before a send whose requester's limits {@link #beforeCaptcha} already took: the rest, not those again.
     *
     * @param widget the widget
     * @param recipient the recipient, with only the addresses the send may use
     * @param userIp the user's canonical IP address, or {@code null}
     * @param testRecipient whether the recipient is one of the widget's test recipients
     * @param requester what {@link #beforeCaptcha} took
     * @return what to give back if the send is refused after all, the requester's part included
     */
    default Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient,
                              Permit requester) {
        return beforeSend(widget, recipient, userIp, testRecipient);
    }

    /**
     * Before a send, saying whether a channel that costs money per message may carry it: a send only free channels
     * carry counts under the widget's free budget, not the one guarding paid sends.
     *
     * @param widget the widget
     * @param recipient the recipient, with only the addresses the send may use
     * @param userIp the user's canonical IP address, or {@code null}
     * @param testRecipient whether the recipient is one of the widget's test recipients
     * @param paid whether a channel that may carry the send costs money per message
     * @param requester what {@link #beforeCaptcha} took
     * @return what to give back if the send is refused after all, the requester's part included
     */
    default Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient, boolean paid,
                              Permit requester) {
        return beforeSend(widget, recipient, userIp, testRecipient, requester);
    }

    /**
     * Before a send, as {@link #beforeSend(Widget, Recipient, String, boolean, boolean, Permit)}, running a check of the
     * caller's once the requester's own limits (IP, network, widget) are taken and before any of the recipient's is:
     * the send path learns there whether the widget is blocked, asked of the store beside the requester's calls. A
     * failure of the check is a refusal: everything taken is given back and the failure is thrown.
     *
     * @param widget the widget
     * @param recipient the recipient, with only the addresses the send may use
     * @param userIp the user's canonical IP address, or {@code null}
     * @param testRecipient whether the recipient is one of the widget's test recipients
     * @param paid whether a channel that may carry the send costs money per message
     * @param requester what {@link #beforeCaptcha} took
     * @param afterRequester the check
     * @return what to give back if the send is refused after all, the requester's part included
     */
    default Permit beforeSend(Widget widget, Recipient recipient, String userIp, boolean testRecipient, boolean paid,
                              Permit requester, Runnable afterRequester) {
        Permit permit = beforeSend(widget, recipient, userIp, testRecipient, paid, requester);
        try {
            afterRequester.run();
        } catch (RuntimeException e) {
            try {
                permit.release();
            } catch (RuntimeException releasing) {
                e.addSuppressed(releasing);
            }
            throw e;
        }
        return permit;
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

        /**
         * Whether the send is to be withheld: answered as sent, its code stored, but handed to no channel (the
         * toll-fraud guard's cut-off, which must not answer differently for a phone it lets through). What it took
         * stays taken, as a delivered send's does.
         *
         * @return the refusal it stands for, for the listeners; {@code null} (the default) to send
         */
        default RateLimitException withheld() {
            return null;
        }
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
