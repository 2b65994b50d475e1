package dev.otpengine.internal.store;

import dev.otpengine.RateLimitException;
import dev.otpengine.store.Escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The in-process store's escalation steps: one per request id, in the order they fall due. Under one lock: a step is
 * scheduled once per accepted send of an escalating widget and claimed once, far fewer calls than sends, so a lock is
 * simpler than a lock-free queue and costs nothing a login feels. At most as many steps as the store may hold codes.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
final class InProcessEscalations {

    private static final Comparator<Escalation> BY_DUE = Comparator.comparing((Escalation e) -> e.dueAt())
            .thenComparing(Escalation::requestId);

    private final long max;
    private final Map<UUID, Escalation> byRequest = new HashMap<>();
    private final TreeSet<Escalation> byDue = new TreeSet<>(BY_DUE);

    InProcessEscalations(long max) {
        this.max = max;
    }

    synchronized void schedule(Escalation escalation) {
        Escalation old = byRequest.get(escalation.requestId());
        if (old == null && byRequest.size() >= max) {
            dropExpired(escalation.dueAt());
            if (byRequest.size() >= max) {
                throw new RateLimitException(RateLimitException.Scope.PENDING_CODES,
                        Duration.ofSeconds(1));
            }
        }
        if (old != null) {
            byDue.remove(old);
        }
        byRequest.put(escalation.requestId(), escalation);
        byDue.add(escalation);
    }

    synchronized List<Escalation> claim(Instant now, int most) {
        List<Escalation> due = new ArrayList<>();
        while (due.size() < most && !byDue.isEmpty() && !byDue.first().dueAt().isAfter(now)) {
            Escalation next = byDue.pollFirst();
            byRequest.remove(next.requestId());
            if (now.isBefore(next.expiresAt())) {
                due.add(next);
            }
        }
        return due;
    }

    synchronized boolean expedite(UUID requestId, String sentThrough, Instant now) {
        Escalation kept = byRequest.get(requestId);
        if (kept == null || !kept.sentThrough().equals(sentThrough) || !kept.dueAt().isAfter(now)) {
            return false;
        }
        byDue.remove(kept);
        Escalation due = kept.dueAt(now);
        byRequest.put(requestId, due);
        byDue.add(due);
        return true;
    }

    synchronized int size() {
        return byRequest.size();
    }

    /** Drops steps whose code has expired, so that they hold no room; the rest keep their place. */
    private void dropExpired(Instant now) {
        byRequest.values().removeIf(e -> {
            if (now.isBefore(e.expiresAt())) {
                return false;
            }
            byDue.remove(e);
            return true;
        });
    }
}
