package dev.otpengine.internal;

import dev.otpengine.OtpEvent;
import dev.otpengine.OtpEvent.Operation;
import dev.otpengine.OtpListener;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.StoredCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.Clock;
import java.util.UUID;

/**
 * The verify path: find what the request id is about, pass the verify limits, judge the guess in the store in one
 * atomic step, settle the guess budget, tell the listeners.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class VerifyPath {

    private static final Logger log = LoggerFactory.getLogger(VerifyPath.class);

    private final Clock clock;
    private final WidgetRegistry widgets;
    private final OtpStore store;
    private final RequestGuard guard;
    private final CodeHasher hasher;
    private final OtpListener listener;
    private final Refusals refusals;

    /**
     * The verify path of one engine.
     *
     * @param clock the engine's clock
     * @param widgets the engine's widgets
     * @param store where codes are kept
     * @param guard the rate limits
     * @param hasher makes a guess's tag
     * @param listener the engine's listeners
     * @param refusals reports refusals
     */
    public VerifyPath(Clock clock, WidgetRegistry widgets, OtpStore store, RequestGuard guard, CodeHasher hasher,
                      OtpListener listener, Refusals refusals) {
        this.clock = clock;
        this.widgets = widgets;
        this.store = store;
        this.guard = guard;
        this.hasher = hasher;
        this.listener = listener;
        this.refusals = refusals;
    }

    /**
     * Checks a code; see {@code OtpEngine.verify}.
     *
     * @param request the request
     * @return the outcome
     */
    public VerifyResult verify(VerifyRequest request) {
        UUID requestId = request.requestId();
        Instant now;
        try {
            now = clock.instant();
        } catch (RuntimeException e) {
            throw refusals.refused(null, Operation.VERIFY, e);
        }
        UUID scope = request.widgetId().orElse(null);
        GuessOutcome outcome;
        if (limited(scope)) {
            outcome = judgeCounted(request, now);
        } else {
            // nothing to count for any widget the code could be of: judged by request id alone, in one step
            try {
                outcome = store.judgeGuess(requestId, hasher.tag(requestId, request.code()), now, scope);
            } catch (RuntimeException e) {
                throw refusals.refused(null, Operation.VERIFY, e);
            }
        }
        return judged(requestId, now, outcome);
    }

    /**
     * Finds the code, passes the limits of its widget, judges the guess and settles the limits.
     *
     * @return the outcome; {@code NOT_FOUND} if the code is another widget's than the one asked for, untouched
     * @throws dev.otpengine.OtpException the refusal, reported
     */
    private GuessOutcome judgeCounted(VerifyRequest request, Instant now) {
        UUID requestId = request.requestId();
        GuessOutcome outcome;
        UUID widgetId = null;
        try {
            StoredCode pending = store.findCode(requestId, now).orElse(null);
            if (pending != null && request.widgetId().isPresent() && !request.widgetId().get().equals(pending.widgetId())) {
                // another widget's code: as if none had the id, and untouched (no attempt, no limit spent)
                log.debug("verify of request {}: its code is of another widget than the one asked for", requestId);
                return GuessOutcome.NOT_FOUND; // told to the listeners as any code not found is

            }
            Widget widget = null;
            Recipient recipient = null;
            boolean test = false;
            if (pending != null) {
                widgetId = pending.widgetId();
                recipient = pending.recipient();
                WidgetRegistry.Entry entry = widgets.find(widgetId);
                widget = entry == null ? null : entry.widget();
                test = entry != null && entry.testCode(recipient) != null; // a fixed code, sent nowhere
            }
            RequestGuard.VerifyPermit permit = guard.beforeVerify(widgetId, widget, recipient,
                    request.userIp().orElse(null), test);
            try {
                outcome = store.judgeGuess(requestId, hasher.tag(requestId, request.code()), now);
            } catch (RuntimeException e) {
                try {
                    permit.settle(null);
                } catch (RuntimeException settling) {
                    e.addSuppressed(settling);
                }
                throw e;
            }
            try {
                permit.settle(outcome.result().status());
            } catch (RuntimeException e) {
                // The guess was judged (a right one spent the code), so its answer stands; the budget keeps the call.
                log.warn("verify of request {}: the limits could not be settled (the guess budget given back, or a verified "
                        + "code credited to the toll-fraud guard): {}", requestId, e.toString());
            }
        } catch (RuntimeException e) {
            throw refusals.refused(widgetId, Operation.VERIFY, e);
        }
        return outcome;
    }

    /**
     * Whether a verification may count against a limit: the limits of the widget it is scoped to, or, unscoped, of
     * any widget (the engine's, unless some widget has its own).
     */
    private boolean limited(UUID scope) {
        if (scope != null) {
            WidgetRegistry.Entry entry = widgets.find(scope);
            return guard.limitsVerifies(entry == null ? null : entry.widget());
        }
        return widgets.anyOwnRateLimits() || guard.limitsVerifies(null);
    }

    /** The result of a judged guess, told to the listeners. */
    private VerifyResult judged(UUID requestId, Instant now, GuessOutcome outcome) {
        VerifyResult result = outcome.result().isVerified()
                ? outcome.result().verifying(outcome.widgetId(), outcome.recipient()) : outcome.result();
        log.debug("verify of request {}: {}, {} attempts left", requestId, result.status(), result.attemptsLeft());
        if (result.isVerified()) {
            listener.onVerified(new OtpEvent.Verified(now, outcome.widgetId(), requestId, outcome.recipient()));
        } else {
            listener.onVerifyFailed(new OtpEvent.VerifyFailed(now, outcome.widgetId(), requestId, outcome.recipient(),
                    result));
        }
        return result;
    }
}
