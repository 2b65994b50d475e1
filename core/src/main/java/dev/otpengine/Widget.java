package dev.otpengine;

import dev.otpengine.internal.TextTemplates;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.Recipient;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One place codes are sent from, such as a login form: its name, what its codes look like, how long they
 * live, how many guesses they tolerate, and which channels carry them. Built with {@link #builder(UUID)};
 * {@link #toBuilder()} starts a changed copy.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Widget {

    /** Shortest code: {@value}. */
    public static final int MIN_CODE_LENGTH = 4;
    /** Longest code: {@value}. */
    public static final int MAX_CODE_LENGTH = 10;
    /** Code length unless set: {@value}. */
    public static final int DEFAULT_CODE_LENGTH = 6;
    /** Wrong guesses a code tolerates unless set: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Most wrong guesses a widget may allow: {@value}. */
    public static final int MAX_MAX_ATTEMPTS = 10;
    /** Longest widget name: {@value} characters. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Most test recipients a widget may have: {@value}. */
    public static final int MAX_TEST_RECIPIENTS = 100;
    /** Time to live unless set: two minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);
    /** Shortest time to live: one minute. */
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    /** Longest time to live: one hour. */
    public static final Duration MAX_TTL = Duration.ofHours(1);
    /** The shortest {@link Builder#escalateAfter escalation delay}: 10 seconds. */
    public static final Duration MIN_ESCALATE_AFTER = Duration.ofSeconds(10);
    /** The longest {@link Builder#escalateAfter escalation delay}: 30 minutes. */
    public static final Duration MAX_ESCALATE_AFTER = Duration.ofMinutes(30);

    private final UUID id;
    private final String name;
    private final int codeLength;
    private final CodeAlphabet alphabet;
    private final Duration ttl;
    private final int maxAttempts;
    private final List<String> channels;
    private final DeliveryMode delivery;
    private final boolean captchaRequired;
    private final boolean localeByPhoneCountry;
    private final Map<Locale, String> templates;
    private final RateLimits rateLimits;
    private final Set<Integer> allowedCallingCodes;
    private final String[] allowedCallingPrefixes;
    private final Map<String, String> testCodes;
    private final Duration escalateAfter;

    private Widget(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.codeLength = b.codeLength;
        this.alphabet = b.alphabet;
        this.ttl = b.ttl;
        this.maxAttempts = b.maxAttempts;
        this.channels = List.copyOf(b.channels);
        this.delivery = b.delivery;
        this.captchaRequired = b.captchaRequired;
        this.localeByPhoneCountry = b.localeByPhoneCountry;
        this.templates = Map.copyOf(b.templates);
        this.rateLimits = b.rateLimits;
        this.allowedCallingCodes = Collections.unmodifiableSet(new TreeSet<>(b.allowedCallingCodes));
        this.allowedCallingPrefixes = allowedCallingCodes.stream().map(c -> "+" + c).toArray(String[]::new);
        this.testCodes = Collections.unmodifiableMap(new LinkedHashMap<>(b.testCodes));
        this.escalateAfter = b.escalateAfter;
    }

    /**
     * Starts a widget.
     *
     * @param id the widget's id, which requests name it by
     * @return a new builder with every default set
     * @throws NullPointerException if {@code id} is null
     */
    public static Builder builder(UUID id) {
        return new Builder(Objects.requireNonNull(id, "id"));
    }

    /**
     * Starts a changed copy of this widget.
     *
     * @return a builder holding every setting of this widget
     */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.name = name;
        b.codeLength = codeLength;
        b.alphabet = alphabet;
        b.ttl = ttl;
        b.maxAttempts = maxAttempts;
        b.channels.addAll(channels);
        b.delivery = delivery;
        b.captchaRequired = captchaRequired;
        b.localeByPhoneCountry = localeByPhoneCountry;
        b.templates.putAll(templates);
        b.rateLimits = rateLimits;
        b.allowedCallingCodes.addAll(allowedCallingCodes);
        b.testCodes.putAll(testCodes);
        b.escalateAfter = escalateAfter;
        return b;
    }

    /**
     * How long after a channel accepted the code the engine sends the same code on the next channel, if it was not
     * verified by then ({@link Builder#escalateAfter}).
     *
     * @return the delay, or empty if the widget does not escalate
     */
    public Optional<Duration> escalateAfter() {
        return Optional.ofNullable(escalateAfter);
    }

    /**
     * Checks that the widget's ttl leaves time for each escalation step over the channels it will use: with {@code n}
     * channels, the last step starts {@code (n - 1) × escalateAfter} after the first send, and the code must still be
     * good then.
     *
     * The engine runs this when it takes the widget, for the channels it resolves; {@link Builder#build()} runs it for
     * the channels named.
     *
     * @param channelCount how many channels the widget uses
     * @throws IllegalStateException if the ttl is not longer than the steps take; the message names both settings
     */
    public void checkEscalationFits(int channelCount) {
        if (escalateAfter == null || channelCount < 2) {
            return;
        }
        Duration steps = escalateAfter.multipliedBy(channelCount - 1L);
        if (ttl.compareTo(steps) <= 0) {
            throw new IllegalStateException("widget " + id + ": ttl " + ttl + " does not cover escalateAfter "
                    + escalateAfter + " for each of its " + (channelCount - 1) + " escalation step(s) over "
                    + channelCount + " channels (" + steps + " in all): make ttl longer than " + steps
                    + " or escalateAfter shorter");
        }
    }

    /** @return the widget's id */
    public UUID id() {
        return id;
    }

    /** @return the display name, as it appears in the texts */
    public String name() {
        return name;
    }

    /** @return how many characters a code has */
    public int codeLength() {
        return codeLength;
    }

    /** @return the characters codes are drawn from */
    public CodeAlphabet alphabet() {
        return alphabet;
    }

    /** @return how long a code verifies after it was sent */
    public Duration ttl() {
        return ttl;
    }

    /** @return how many wrong guesses a code tolerates before even the right code is refused */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the channel ids in fallback order; empty means every channel of the engine, in its order */
    public List<String> channels() {
        return channels;
    }

    /** @return how the channels are used */
    public DeliveryMode delivery() {
        return delivery;
    }

    /** @return whether a send needs a captcha token confirmed by the engine's {@code CaptchaVerifier} */
    public boolean captchaRequired() {
        return captchaRequired;
    }

    /**
     * @return whether a send that names no locale is written in the language of the phone's country ({@code +49}
     *     German), where one of the shipped languages is that country's; off unless set
     */
    public boolean localeByPhoneCountry() {
        return localeByPhoneCountry;
    }

    /** @return this widget's own text templates by locale, over the engine's; unmodifiable */
    public Map<Locale, String> templates() {
        return templates;
    }

    /** @return this widget's own rate limits, which replace the engine's; empty if it uses the engine's */
    public Optional<RateLimits> rateLimits() {
        return Optional.ofNullable(rateLimits);
    }

    /**
     * @return the country calling codes ({@code 7}, {@code 44}, {@code 1}) whose phones this widget sends to, in
     *     ascending order; empty if it sends to every country; unmodifiable
     */
    public Set<Integer> allowedCallingCodes() {
        return allowedCallingCodes;
    }

    /**
     * Whether this widget sends to a phone number. Country calling codes are a prefix code (no code begins
     * another), so the number's leading digits decide.
     *
     * @param e164 a normalized E.164 number, such as {@code +79991234567}
     * @return {@code true} if no allowlist is set, or the number starts with an allowed calling code
     */
    public boolean allowsPhone(String e164) {
        if (allowedCallingPrefixes.length == 0) {
            return true;
        }
        for (String prefix : allowedCallingPrefixes) {
            if (e164.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the normalized phones and emails, in the order added, that get a fixed code and no delivery (see
     *     {@link Builder#testRecipient(String, String)}); empty unless configured; unmodifiable
     */
    public Set<String> testRecipients() {
        return testCodes.keySet();
    }

    /**
     * The fixed code of a test recipient, as {@link dev.otpengine.spi.OtpMessage#code()} gives a code: for the engine
     * and the application that configured it, never for a log. {@link #toString()} counts test recipients and shows
     * no code.
     *
     * @param address a test recipient as {@link #testRecipients()} lists it
     * @return its code, or empty if the address is not a test recipient
     * @throws NullPointerException if {@code address} is null
     */
    public Optional<String> testCode(String address) {
        return Optional.ofNullable(testCodes.get(Objects.requireNonNull(address, "address")));
    }

    @Override
    public String toString() {
        return "Widget[id=" + id + ", name=" + name + ", codeLength=" + codeLength + ", alphabet=" + alphabet
                + ", ttl=" + ttl + ", maxAttempts=" + maxAttempts + ", channels=" + channels + ", delivery=" + delivery
                + ", captchaRequired=" + captchaRequired + ", localeByPhoneCountry=" + localeByPhoneCountry
                + ", templates=" + templates.keySet()
                + ", rateLimits=" + (rateLimits == null ? "engine's" : rateLimits)
                + ", allowedCallingCodes=" + (allowedCallingCodes.isEmpty() ? "any" : allowedCallingCodes)
                + ", testRecipients=" + testCodes.size() + "]";
    }

    /**
     * Builds a {@link Widget}. Each setter checks its value at once; {@link #build()} checks that a name was
     * given and does not change the builder.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final UUID id;
        private String name;
        private int codeLength = DEFAULT_CODE_LENGTH;
        private CodeAlphabet alphabet = CodeAlphabet.DIGITS;
        private Duration ttl = DEFAULT_TTL;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private final Set<String> channels = new LinkedHashSet<>();
        private DeliveryMode delivery = DeliveryMode.ALL;
        private boolean captchaRequired;
        private boolean localeByPhoneCountry;
        private final Map<Locale, String> templates = new LinkedHashMap<>();
        private RateLimits rateLimits;
        private final Set<Integer> allowedCallingCodes = new TreeSet<>();
        private final Map<String, String> testCodes = new LinkedHashMap<>();
        private Duration escalateAfter;

        private Builder(UUID id) {
            this.id = id;
        }

        /**
         * Sets the display name that texts show ("{@code 123456 is your Acme code}"). Required.
         *
         * @param name 1 to {@value #MAX_NAME_LENGTH} characters after trimming, no control characters
         * @return this builder
         * @throws IllegalArgumentException if the name is blank, too long or has control characters
         * @throws NullPointerException if {@code name} is null
         */
        public Builder name(String name) {
            String n = Objects.requireNonNull(name, "name").strip();
            if (n.isEmpty() || n.length() > MAX_NAME_LENGTH || n.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH
                        + " characters without control characters: \"" + n.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            this.name = n;
            return this;
        }

        /**
         * Sets how many characters a code has; {@value #DEFAULT_CODE_LENGTH} unless set.
         *
         * @param codeLength from {@value #MIN_CODE_LENGTH} to {@value #MAX_CODE_LENGTH}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder codeLength(int codeLength) {
            if (codeLength < MIN_CODE_LENGTH || codeLength > MAX_CODE_LENGTH) {
                throw new IllegalArgumentException("codeLength must be between " + MIN_CODE_LENGTH + " and "
                        + MAX_CODE_LENGTH + ": " + codeLength);
            }
            this.codeLength = codeLength;
            return this;
        }

        /**
         * Sets the characters codes are drawn from; {@link CodeAlphabet#DIGITS} unless set.
         *
         * @param alphabet the alphabet
         * @return this builder
         * @throws NullPointerException if {@code alphabet} is null
         */
        public Builder alphabet(CodeAlphabet alphabet) {
            this.alphabet = Objects.requireNonNull(alphabet, "alphabet");
            return this;
        }

        /**
         * Sets how long a code verifies; {@link #DEFAULT_TTL two minutes} unless set.
         *
         * @param ttl from {@link #MIN_TTL one minute} to {@link #MAX_TTL one hour}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code ttl} is null
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("ttl must be between " + MIN_TTL + " and " + MAX_TTL + ": " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Sets how many wrong guesses a code tolerates; {@value #DEFAULT_MAX_ATTEMPTS} unless set. After that
         * many, even the right code gets {@link VerifyResult.Status#ATTEMPTS_EXCEEDED}.
         *
         * @param maxAttempts from 1 to {@value #MAX_MAX_ATTEMPTS}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_MAX_ATTEMPTS + ": " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets which channels carry this widget's codes, in fallback order. With no ids (the default), every
         * channel of the engine is used, in the order they were registered.
         *
         * @param channelIds channel ids such as {@code "sms"}, {@code "email"}, each once
         * @return this builder
         * @throws IllegalArgumentException if an id is malformed or repeated
         * @throws NullPointerException if the array or an id is null
         */
        public Builder channels(String... channelIds) {
            Objects.requireNonNull(channelIds, "channelIds");
            Set<String> ids = new LinkedHashSet<>();
            for (String channelId : channelIds) {
                Objects.requireNonNull(channelId, "channel id");
                if (!Channel.isValidId(channelId)) {
                    throw new IllegalArgumentException("channel id must be lowercase letters, digits, - or _, at most 32: \""
                            + channelId + "\"");
                }
                if (!ids.add(channelId)) {
                    throw new IllegalArgumentException("channel id is repeated: " + channelId);
                }
            }
            channels.clear();
            channels.addAll(ids);
            return this;
        }

        /**
         * Sets how the channels are used; {@link DeliveryMode#ALL} unless set.
         *
         * @param delivery the mode
         * @return this builder
         * @throws NullPointerException if {@code delivery} is null
         */
        public Builder delivery(DeliveryMode delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /**
         * Makes the widget escalate: when a code is not verified within {@code after} of a channel accepting it, the
         * engine sends the same code (same request id) on the widget's next channel that can reach the recipient
         * (WhatsApp, then SMS, then a call, say), and so on down the list; a failed delivery report of the last
         * channel's message moves it on at once. A verification, a newer send to the address, the code's expiry or the
         * widget's removal ends it. Needs {@link DeliveryMode#FALLBACK}, and a {@link #ttl ttl} longer than
         * {@code after} times the steps (the channels less one), checked by {@link #build()} for the channels named
         * here, and when the engine takes the widget for the channels it resolves. Steps live in the engine's store,
         * so on a shared store any node runs them, exactly once. Not set by default.
         *
         * @param after how long to wait, 10 seconds to 30 minutes
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code after} is null
         */
        public Builder escalateAfter(Duration after) {
            Objects.requireNonNull(after, "after");
            if (after.compareTo(MIN_ESCALATE_AFTER) < 0 || after.compareTo(MAX_ESCALATE_AFTER) > 0) {
                throw new IllegalArgumentException("escalateAfter must be between " + MIN_ESCALATE_AFTER + " and "
                        + MAX_ESCALATE_AFTER + ": " + after);
            }
            this.escalateAfter = after;
            return this;
        }

        /**
         * Sets whether a send needs a captcha token that the engine's {@code CaptchaVerifier} confirms;
         * {@code false} unless set. An engine refuses a widget that requires a captcha when it has no verifier.
         *
         * @param captchaRequired whether a captcha is required
         * @return this builder
         */
        public Builder captchaRequired(boolean captchaRequired) {
            this.captchaRequired = captchaRequired;
            return this;
        }

        /**
         * Writes a send that names no locale in the language of its phone's country ({@code +49} German, {@code +55}
         * Brazilian Portuguese, {@code +7} Russian), where one of the shipped languages is the one most people there
         * read; other countries, {@code +1} among them, and email-only sends get the default locale. Off by default.
         *
         * @param on whether to choose by the phone's country
         * @return this builder
         */
        public Builder localeByPhoneCountry(boolean on) {
            this.localeByPhoneCountry = on;
            return this;
        }

        /**
         * Sets this widget's text for one locale, over every other source of texts: the engine's templates, the class
         * path's files and the built-in texts. A template for {@code ru} serves {@code ru-RU} too; of this widget's
         * templates, an exact match ({@code pt-BR}) wins over the language alone ({@code pt}). Variants and
         * extensions of the locale are dropped.
         *
         * @param locale the locale
         * @param template the text with {@code {code}}, and optionally {@code {name}} and {@code {minutes}}
         * @return this builder
         * @throws IllegalArgumentException if the template lacks {@code {code}}, has an unknown placeholder or a
         *     control character other than a line feed, or is longer than 1000 characters; or the locale names no
         *     language
         * @throws NullPointerException if an argument is null
         */
        public Builder template(Locale locale, String template) {
            Objects.requireNonNull(locale, "locale");
            templates.put(TextTemplates.key(locale), TextTemplates.check(template));
            return this;
        }

        /**
         * Gives this widget its own rate limits, which replace the engine's for its sends and for verifications of
         * its codes. Unless set, the widget uses the engine's ({@link RateLimits#defaults()} unless the engine was
         * given others).
         *
         * @param rateLimits the limits; {@code RateLimits.unlimited()} for none
         * @return this builder
         * @throws NullPointerException if {@code rateLimits} is null
         */
        public Builder rateLimits(RateLimits rateLimits) {
            this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
            return this;
        }

        /**
         * Restricts phone recipients to these country calling codes, against SMS pumping (fraud that sends codes to
         * premium numbers in countries your users are not in). A phone outside the list is left out of the send:
         * the widget's channels see the recipient without it, so an email given with it still gets the code, and
         * a send with nothing left fails with {@link NoAvailableChannelsException}. Unless set, every country is
         * allowed. Calling this again replaces the list; with no codes it allows every country again.
         * Only the {@code phone} address is checked, not a custom address kind.
         *
         * @param callingCodes country calling codes from 1 to 999, such as {@code 7}, {@code 44} or {@code 1} (which
         *     is the whole North American Numbering Plan, Caribbean included)
         * @return this builder
         * @throws IllegalArgumentException if a code is out of range
         * @throws NullPointerException if {@code callingCodes} is null
         */
        public Builder allowedCallingCodes(int... callingCodes) {
            Objects.requireNonNull(callingCodes, "callingCodes");
            for (int code : callingCodes) {
                if (code < 1 || code > 999) {
                    throw new IllegalArgumentException("a country calling code must be from 1 to 999: " + code);
                }
            }
            allowedCallingCodes.clear();
            for (int code : callingCodes) {
                allowedCallingCodes.add(code);
            }
            return this;
        }

        /**
         * Makes one phone or email a test recipient, as hosted OTP services offer for app-store reviewers and
         * end-to-end tests: a send to it stores {@code code} as its pending code and goes through no channel, so
         * nothing is delivered and nothing is billed. Everything else is as for any send: the captcha, the rate
         * limits, the ttl, the attempts and the guess budget all apply, and {@code SendResult.deliveries()} answers
         * as for a real send (each channel that would have been used, accepted, with no provider message id). The
         * fixed code applies only when every address of a request is a test recipient with this code; a request that
         * pairs one with any other address is a real send to all of them, so a real address never silently goes
         * without its code and no one can tell a test recipient by pairing it with their own address. A test phone is
         * exempt from {@link #allowedCallingCodes}. The engine logs every
         * widget with test recipients at WARN when it is built and when the widget is put. Calling this again
         * for the same address replaces its code.
         *
         * <p>Anyone who knows a test recipient and its code can sign in as it: give test recipients only to
         * accounts made for testing, and keep them out of production configuration where you can.
         *
         * @param address an E.164 phone ({@code +12015550123}) or an email address; normalized as requests are, and
         *     read by the engine's channels when the widget is put (one a channel refuses fails {@code build()})
         * @param code the fixed code: {@link #codeLength(int) codeLength} characters of the widget's
         *     {@link #alphabet(CodeAlphabet) alphabet} (checked by {@link #build()}, since either may be set later)
         * @return this builder
         * @throws IllegalArgumentException if the address is not a phone or an email, or more than
         *     {@value #MAX_TEST_RECIPIENTS} test recipients would be set
         * @throws NullPointerException if an argument is null
         */
        public Builder testRecipient(String address, String code) {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(code, "code");
            String normalized = Recipient.kindOf(address).equals(Recipient.EMAIL) ? Recipient.normalizeEmail(address)
                    : Recipient.normalizePhone(address);
            if (!testCodes.containsKey(normalized) && testCodes.size() == MAX_TEST_RECIPIENTS) {
                throw new IllegalArgumentException("a widget may have at most " + MAX_TEST_RECIPIENTS
                        + " test recipients");
            }
            testCodes.put(normalized, code.toUpperCase(Locale.ROOT));
            return this;
        }

        /**
         * Removes every test recipient set with {@link #testRecipient(String, String)}.
         *
         * @return this builder
         */
        public Builder clearTestRecipients() {
            testCodes.clear();
            return this;
        }

        /**
         * Builds the widget.
         *
         * @return a new widget
         * @throws IllegalStateException if no name was set, a test recipient's code does not have the widget's
         *     code length or has a character outside its alphabet, or {@link #escalateAfter} is set without
         *     {@link DeliveryMode#FALLBACK} or with a ttl that does not cover its steps over the channels named
         */
        public Widget build() {
            if (name == null) {
                throw new IllegalStateException("widget " + id + " needs a name: call name(...)");
            }
            testCodes.forEach((address, code) -> {
                boolean fits = code.length() == codeLength
                        && code.chars().allMatch(c -> alphabet.symbols().indexOf(c) >= 0);
                if (!fits) {
                    throw new IllegalStateException("the code of test recipient " + masked(address) + " must be "
                            + codeLength + " characters of " + alphabet + " (" + alphabet.symbols() + ")");
                }
            });
            if (escalateAfter != null && delivery != DeliveryMode.FALLBACK) {
                throw new IllegalStateException("widget " + id + ": escalateAfter needs delivery(DeliveryMode.FALLBACK); "
                        + "with " + delivery + " every channel is sent to at once and there is nothing to escalate to");
            }
            Widget widget = new Widget(this);
            widget.checkEscalationFits(channels.size());
            return widget;
        }

        private static String masked(String address) {
            return Recipient.masked(Recipient.kindOf(address), address);
        }
    }
}
