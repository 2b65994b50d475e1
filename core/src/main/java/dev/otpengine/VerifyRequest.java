package dev.otpengine;

import dev.otpengine.internal.IpAddresses;
import dev.otpengine.internal.RequestFields;

import java.util.Optional;
import java.util.UUID;

/**
 * One guess at a code: the request id from the send, the code the user typed, and the user's IP address.
 * Built with {@link #builder(UUID, String)}. {@link #toString()} leaves out the code and shows of the IP only the
 * network it counts in ({@code 203.0.113.0/24}, an IPv6 address's /48 such as {@code 2001:db8:1::/48}).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class VerifyRequest {

    private final UUID requestId;
    private final String code;
    private final String userIp;
    private final UUID widgetId;

    private VerifyRequest(Builder b) {
        this.requestId = b.requestId;
        this.code = b.code;
        this.userIp = b.userIp;
        this.widgetId = b.widgetId;
    }

    /**
     * Starts a verification.
     *
     * @param requestId the id {@link SendResult#requestId()} gave
     * @param code the code as the user typed it; spaces and dashes are ignored, and so is case
     * @return a new builder
     * @throws InvalidRequestException if {@code requestId} is null (field {@code requestId}), or the code is
     *     null or not 4 to 10 letters or digits (field {@code code})
     */
    public static Builder builder(UUID requestId, String code) {
        return new Builder(RequestFields.required("requestId", requestId), RequestFields.code(code));
    }

    /** @return the request id */
    public UUID requestId() {
        return requestId;
    }

    /** @return the code, normalized: without spaces or dashes, uppercase */
    public String code() {
        return code;
    }

    /** @return the user's IP address in canonical form, or empty if none was given */
    public Optional<String> userIp() {
        return Optional.ofNullable(userIp);
    }

    /** @return the only widget whose code this guess may judge, or empty for any ({@link Builder#widgetId}) */
    public Optional<UUID> widgetId() {
        return Optional.ofNullable(widgetId);
    }

    @Override
    public String toString() {
        return "VerifyRequest[requestId=" + requestId + ", code=<redacted>, userIp="
                + (userIp == null ? null : IpAddresses.masked(userIp)) + "]";
    }

    /**
     * Builds a {@link VerifyRequest}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final UUID requestId;
        private final String code;
        private String userIp;
        private UUID widgetId;

        private Builder(UUID requestId, String code) {
            this.requestId = requestId;
            this.code = code;
        }

        /**
         * Sets the user's IP address, which the per-IP verification limit uses.
         *
         * @param userIp an IPv4 or IPv6 literal, or {@code null}
         * @return this builder
         * @throws InvalidRequestException if it is not an IP literal (field {@code userIp})
         */
        public Builder userIp(String userIp) {
            this.userIp = RequestFields.userIp(userIp);
            return this;
        }

        /**
         * Limits the guess to codes of one widget: a request id of another widget's code is answered
         * {@link VerifyResult.Status#NOT_FOUND} and left untouched, no attempt counted and nothing spent, as if no
         * code had it. A login for one widget uses this, so that it can never spend or guess at codes another widget
         * sent for another purpose (confirming a payment, say).
         *
         * @param widgetId the widget, or {@code null} for any
         * @return this builder
         */
        public Builder widgetId(UUID widgetId) {
            this.widgetId = widgetId;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return a new request
         */
        public VerifyRequest build() {
            return new VerifyRequest(this);
        }
    }
}
