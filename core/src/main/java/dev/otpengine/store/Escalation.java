package dev.otpengine.store;

import dev.otpengine.spi.Recipient;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The next step of an escalating send ({@code Widget.Builder.escalateAfter}), as a store keeps it: when it is due, the
 * same code goes out on the first of {@link #channels()} that can reach the recipient, unless the code was verified,
 * replaced or has expired by then. A store keeps at most one per request id and hands each due one to exactly one
 * engine ({@link OtpStore#claimDueEscalations}), so that on a shared store a node that stops loses none and no step
 * runs twice.
 *
 * <p>The code travels sealed: encrypted and authenticated under a key derived from the engine's secret and bound to the
 * request id, so a store (and whoever reads its backups) holds no code it could read, and every engine with the same
 * secret can open it.
 *
 * <p><b>Thread-safety:</b> immutable; {@link #sealedCode()} returns a copy.
 */
public final class Escalation {

    /** The most channels an escalation may still have ahead of it: {@value}. */
    public static final int MAX_CHANNELS = 16;
    /** The most bytes a sealed code may have: {@value}. */
    public static final int MAX_SEALED_BYTES = 256;

    private final UUID requestId;
    private final UUID widgetId;
    private final Recipient recipient;
    private final String locale;
    private final String sentThrough;
    private final List<String> channels;
    private final Instant dueAt;
    private final Instant expiresAt;
    private final byte[] sealedCode;

    /**
     * A step to keep, or one read back from a store.
     *
     * @param requestId the request id of the code
     * @param widgetId the widget it was sent for
     * @param recipient who it was sent to
     * @param locale the language tag of the message ({@code Locale.toLanguageTag()}), or {@code null} for the widget's
     *     default
     * @param sentThrough the channel that accepted the last step (or the first send): a failed delivery report from it
     *     makes this step due at once
     * @param channels the channels still ahead, in the widget's order, 1 to {@value #MAX_CHANNELS}; copied
     * @param dueAt when the step is due, by the engine's clock
     * @param expiresAt when the code expires: the step is dropped after
     * @param sealedCode the code, sealed by the engine, 1 to {@value #MAX_SEALED_BYTES} bytes; copied
     * @throws NullPointerException if an argument other than {@code locale} is null, or a channel is
     * @throws IllegalArgumentException if {@code channels} or {@code sealedCode} is empty or too long
     */
    public Escalation(UUID requestId, UUID widgetId, Recipient recipient, String locale, String sentThrough,
                      List<String> channels, Instant dueAt, Instant expiresAt, byte[] sealedCode) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.widgetId = Objects.requireNonNull(widgetId, "widgetId");
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.locale = locale;
        this.sentThrough = Objects.requireNonNull(sentThrough, "sentThrough");
        this.channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
        if (this.channels.isEmpty() || this.channels.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must hold 1 to " + MAX_CHANNELS + " ids: " + channels.size());
        }
        this.dueAt = Objects.requireNonNull(dueAt, "dueAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(sealedCode, "sealedCode");
        if (sealedCode.length == 0 || sealedCode.length > MAX_SEALED_BYTES) {
            throw new IllegalArgumentException("sealedCode must be 1 to " + MAX_SEALED_BYTES + " bytes: "
                    + sealedCode.length);
        }
        this.sealedCode = sealedCode.clone();
    }

    /** @return the request id of the code */
    public UUID requestId() {
        return requestId;
    }

    /** @return the widget the code was sent for */
    public UUID widgetId() {
        return widgetId;
    }

    /** @return who the code was sent to */
    public Recipient recipient() {
        return recipient;
    }

    /** @return the message's language tag, or {@code null} for the widget's default */
    public String locale() {
        return locale;
    }

    /** @return the channel that accepted the last step */
    public String sentThrough() {
        return sentThrough;
    }

    /** @return the channels still ahead, in order; unmodifiable */
    public List<String> channels() {
        return channels;
    }

    /** @return when the step is due */
    public Instant dueAt() {
        return dueAt;
    }

    /** @return when the code expires */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** @return a copy of the sealed code */
    public byte[] sealedCode() {
        return sealedCode.clone();
    }

    /**
     * The same step, due at another time.
     *
     * @param when the new due time
     * @return the step
     * @throws NullPointerException if {@code when} is null
     */
    public Escalation dueAt(Instant when) {
        return new Escalation(requestId, widgetId, recipient, locale, sentThrough, channels,
                Objects.requireNonNull(when, "when"), expiresAt, sealedCode);
    }

    /** @return whether another step has the same fields and sealed code */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Escalation)) {
            return false;
        }
        Escalation e = (Escalation) o;
        return requestId.equals(e.requestId) && widgetId.equals(e.widgetId) && recipient.equals(e.recipient)
                && Objects.equals(locale, e.locale) && sentThrough.equals(e.sentThrough) && channels.equals(e.channels)
                && dueAt.equals(e.dueAt) && expiresAt.equals(e.expiresAt)
                && java.util.Arrays.equals(sealedCode, e.sealedCode);
    }

    @Override
    public int hashCode() {
        return requestId.hashCode();
    }

    /** @return the ids, the channels and the times; the recipient masked; never the sealed code */
    @Override
    public String toString() {
        return "Escalation[requestId=" + requestId + ", widgetId=" + widgetId + ", recipient=" + recipient
                + ", sentThrough=" + sentThrough + ", channels=" + channels + ", dueAt=" + dueAt + ", expiresAt="
                + expiresAt + "]";
    }
}
