package dev.otpengine.internal;

import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;

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
     * Before a send, after the widget and captcha checks.
     *
     * @param widget the widget
     * @param recipient the recipient
     * @param userIp the user's canonical IP address, or {@code null}
     */
    default void beforeSend(Widget widget, Recipient recipient, String userIp) {
    }

    /**
     * Before a verification.
     *
     * @param userIp the user's canonical IP address, or {@code null}
     */
    default void beforeVerify(String userIp) {
    }
}
