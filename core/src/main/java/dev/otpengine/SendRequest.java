package dev.otpengine;

import dev.otpengine.internal.IpAddresses;
import dev.otpengine.internal.RequestFields;
import dev.otpengine.spi.Recipient;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One request to send a code: the widget, the recipient's addresses, and what the engine needs to judge
 * the request (the user's IP, a captcha token). Built with {@link #builder(UUID)}.
 *
 * <p>Every field that comes from an end user is checked as it is set, and a bad value is reported with an
 * {@link InvalidRequestException} naming the field, so an HTTP layer can answer 400 at once.
 * {@link #toString()} masks the addresses, shows of the IP only the network it counts in ({@code 203.0.113.0/24}, an
 * IPv6 address's /48 such as {@code 2001:db8:1::/48}) and leaves out the captcha token.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class SendRequest {

    private final UUID widgetId;
    private final Recipient recipient;
    private final String userIp;
    private final String captchaToken;
    private final Locale locale;

    private SendRequest(Builder b, Recipient recipient) {
        this.widgetId = b.widgetId;
        this.recipient = recipient;
        this.userIp = b.userIp;
        this.captchaToken = b.captchaToken;
        this.locale = b.locale;
    }

    /**
     * Starts a request for a widget.
     *
     * @param widgetId the widget's id
     * @return a new builder
     * @throws InvalidRequestException if {@code widgetId} is null (field {@code widgetId})
     */
    public static Builder builder(UUID widgetId) {
        return new Builder(RequestFields.required("widgetId", widgetId));
    }

    /** @return the widget's id */
    public UUID widgetId() {
        return widgetId;
    }

    /** @return the recipient, with at least one address */
    public Recipient recipient() {
        return recipient;
    }

    /** @return the user's IP address in canonical form, or empty if the request gave none */
    public Optional<String> userIp() {
        return Optional.ofNullable(userIp);
    }

    /** @return the captcha token, or empty if the request gave none */
    public Optional<String> captchaToken() {
        return Optional.ofNullable(captchaToken);
    }

    /** @return the locale the text should be in, or empty for the engine's default */
    public Optional<Locale> locale() {
        return Optional.ofNullable(locale);
    }

    @Override
    public String toString() {
        return "SendRequest[widgetId=" + widgetId + ", recipient=" + recipient + ", userIp="
                + (userIp == null ? null : IpAddresses.masked(userIp))
                + ", captchaToken=" + (captchaToken == null ? "none" : "<redacted>") + ", locale=" + locale + "]";
    }

    /**
     * Builds a {@link SendRequest}. Setters check end-user data at once; passing {@code null} to a setter
     * clears that field, so values read from a form can be passed as they are.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final UUID widgetId;
        private final Map<String, String> addresses = new LinkedHashMap<>();
        private String userIp;
        private String captchaToken;
        private Locale locale;

        private Builder(UUID widgetId) {
            this.widgetId = widgetId;
        }

        /**
         * Sets the phone number.
         *
         * @param phone an E.164 number (spaces, dots, dashes and parentheses are removed), or {@code null}
         * @return this builder
         * @throws InvalidRequestException if the number is not E.164 (field {@code phone})
         */
        public Builder phone(String phone) {
            return address(Recipient.PHONE, phone);
        }

        /**
         * Sets the email address.
         *
         * @param email an address, lowercased by the engine, or {@code null}
         * @return this builder
         * @throws InvalidRequestException if the address is malformed (field {@code email})
         */
        public Builder email(String email) {
            return address(Recipient.EMAIL, email);
        }

        /**
         * Sets a phone or an email typed into one field, by {@link Recipient#kindOf}: an email when it holds an
         * {@code @}, else a phone.
         *
         * @param address the address as typed, or {@code null}
         * @return this builder
         * @throws InvalidRequestException if the address is malformed for its kind (field {@code phone} or
         *     {@code email})
         */
        public Builder recipient(String address) {
            return address == null ? this : address(Recipient.kindOf(address), address);
        }

        /**
         * Sets an address of any kind, for custom channels; {@code phone} and {@code email} work too.
         *
         * @param kind the address kind, such as {@code "telegram"}
         * @param value the address, or {@code null}
         * @return this builder
         * @throws InvalidRequestException if the kind or the value is malformed (field: the kind)
         * @throws NullPointerException if {@code kind} is null
         */
        public Builder address(String kind, String value) {
            Objects.requireNonNull(kind, "kind");
            if (value == null) {
                addresses.remove(kind);
            } else {
                addresses.put(kind, RequestFields.address(kind, value));
            }
            return this;
        }

        /**
         * Sets the user's IP address, which per-IP limits and the captcha check use.
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
         * Sets the captcha token from the user's browser.
         *
         * @param captchaToken the token, or {@code null} or blank for none
         * @return this builder
         * @throws InvalidRequestException if it is longer than 4096 characters (field {@code captchaToken})
         */
        public Builder captchaToken(String captchaToken) {
            this.captchaToken = RequestFields.captchaToken(captchaToken);
            return this;
        }

        /**
         * Sets the locale of the text; the engine's default locale is used when none is set or when no
         * template covers it.
         *
         * @param locale the locale, or {@code null}
         * @return this builder
         */
        public Builder locale(Locale locale) {
            this.locale = locale;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return a new request
         * @throws InvalidRequestException if no address was set (field {@code recipient})
         */
        public SendRequest build() {
            if (addresses.isEmpty()) {
                throw new InvalidRequestException("recipient",
                        "recipient is required: set phone, email or address(kind, value)");
            }
            Recipient.Builder recipient = Recipient.builder();
            addresses.forEach(recipient::address);
            return new SendRequest(this, recipient.build());
        }
    }
}
