package dev.otpengine.testkit;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A channel for tests that delivers nothing: it records every message the engine hands it and gives a test the
 * last code sent to an address, so a test can type the code the way a user would.
 *
 * <pre>{@code
 * CapturingChannel sms = CapturingChannel.sms();
 * OtpEngine engine = OtpEngine.builder().channel(sms).widget(widget).build();
 * SendResult sent = engine.send(widget.id().toString(), "+12025550162", "203.0.113.7");
 * String code = sms.lastCode("+1 202 555 0162").orElseThrow();
 * }</pre>
 *
 * <p>It accepts each message at once with a receipt naming it, until {@link #failWith(DeliveryException)} makes
 * it fail or {@link #answerWith(Function)} makes it answer any other way (late, never, by throwing), so a test can
 * also drive the engine's failure paths. It never prints or logs a code.
 *
 * <p><b>Thread-safety:</b> thread-safe; the engine may deliver from many threads while a test reads.
 */
public final class CapturingChannel implements Channel {


    private final String id;
    private final Predicate<Recipient> reaches;
    private final Clock clock;
    private final ConcurrentLinkedDeque<OtpMessage> messages = new ConcurrentLinkedDeque<>();
    private final AtomicReference<Function<OtpMessage, CompletionStage<DeliveryReceipt>>> answer = new AtomicReference<>();
    private final AtomicLong receipts = new AtomicLong();
    private final AtomicInteger closes = new AtomicInteger();
    private final List<Thread> deliveringThreads = new CopyOnWriteArrayList<>();
    private volatile boolean onDeliveryThreads;
    /** Whether messages cost nothing, as email's do: {@link #email()}'s. */
    private volatile boolean free;

    private CapturingChannel(String id, Predicate<Recipient> reaches) {
        Objects.requireNonNull(id, "id");
        if (!Channel.isValidId(id)) {
            throw new IllegalArgumentException("id must be 1 to 32 lowercase letters, digits, - or _, starting with a "
                    + "letter or digit: \"" + id + "\"");
        }
        this.id = id;
        this.reaches = Objects.requireNonNull(reaches, "reaches");
        this.clock = Clock.systemUTC();
    }

    /**
     * A channel with id {@code sms} that reaches every recipient with a phone, standing in for
     * {@code otpengine-channels-sms}.
     *
     * @return a new channel
     */
    public static CapturingChannel sms() {
        return new CapturingChannel("sms", r -> r.phone().isPresent());
    }

    /**
     * A channel with id {@code email} that reaches every recipient with an email, standing in for
     * {@code otpengine-channels-email}: its messages cost nothing ({@link #costsPerMessage()} is {@code false}).
     *
     * @return a new channel
     */
    public static CapturingChannel email() {
        CapturingChannel email = new CapturingChannel("email", r -> r.email().isPresent());
        email.free = true;
        return email;
    }

    /**
     * A channel with any id, reaching the recipients a predicate accepts.
     *
     * @param id the channel id: 1 to 32 lowercase letters, digits, {@code -} or {@code _}
     * @param reaches which recipients it can deliver to
     * @return a new channel
     * @throws IllegalArgumentException if the id is malformed
     * @throws NullPointerException if an argument is null
     */
    public static CapturingChannel reaching(String id, Predicate<Recipient> reaches) {
        return new CapturingChannel(id, reaches);
    }

    /**
     * The code of the last message sent to an address.
     *
     * @param address a phone (any form the engine accepts, such as {@code +1 202 555 0162}), an email (any case),
     *     or the value of a custom address kind
     * @return the code, or empty if no message went to that address
     * @throws NullPointerException if {@code address} is null
     */
    public Optional<String> lastCode(String address) {
        return lastMessage(address).map(OtpMessage::code);
    }

    /**
     * The last message sent to an address.
     *
     * @param address as for {@link #lastCode(String)}
     * @return the message, or empty if none went to that address
     * @throws NullPointerException if {@code address} is null
     */
    public Optional<OtpMessage> lastMessage(String address) {
        Objects.requireNonNull(address, "address");
        String wanted = normalized(address);
        var newestFirst = messages.descendingIterator();
        while (newestFirst.hasNext()) {
            OtpMessage m = newestFirst.next();
            if (m.recipient().addresses().containsValue(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Every message handed to this channel, oldest first, failed ones included.
     *
     * @return a snapshot
     */
    public List<OtpMessage> messages() {
        return List.copyOf(new ArrayList<>(messages));
    }

    /** Forgets every recorded message. */
    public void clear() {
        messages.clear();
    }

    /**
     * Makes every later delivery fail with this exception, in the returned stage (as a real channel does), until
     * {@link #accept()}. The message is still recorded.
     *
     * @param failure {@code DeliveryException.retryable(...)} or {@code DeliveryException.permanent(...)}
     * @return this channel
     * @throws NullPointerException if {@code failure} is null
     */
    public CapturingChannel failWith(DeliveryException failure) {
        Objects.requireNonNull(failure, "failure");
        answer.set(m -> CompletableFuture.failedFuture(failure));
        return this;
    }

    /**
     * Makes every later delivery answer as the function says, until {@link #accept()}: a stage completed later (or
     * never, to test the engine's delivery timeout), a stage failed with any exception, a {@code null}, or a throw
     * from {@link #deliver} itself, as a broken channel would. The message is still recorded first.
     *
     * @param answer gives the stage {@link #deliver} returns for a message
     * @return this channel
     * @throws NullPointerException if {@code answer} is null
     */
    public CapturingChannel answerWith(Function<OtpMessage, CompletionStage<DeliveryReceipt>> answer) {
        this.answer.set(Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /**
     * Makes later deliveries succeed again (the default).
     *
     * @return this channel
     */
    public CapturingChannel accept() {
        answer.set(null);
        return this;
    }

    /**
     * Makes the channel say it may block, so the engine calls it on its delivery threads rather than on the sending
     * thread, as it calls an SMTP or SMPP channel.
     *
     * @return this channel
     */
    public CapturingChannel onDeliveryThreads() {
        onDeliveryThreads = true;
        return this;
    }

    /**
     * The threads {@link #deliver} was called on, oldest first: the sending thread, or the engine's delivery threads
     * after {@link #onDeliveryThreads()}.
     *
     * @return a snapshot
     */
    public List<Thread> deliveringThreads() {
        return List.copyOf(deliveringThreads);
    }

    /**
     * The code of the last message sent to any address.
     *
     * @return the code, or empty if no message was sent
     */
    public Optional<String> lastCode() {
        return lastMessage().map(OtpMessage::code);
    }

    /**
     * The last message sent to any address.
     *
     * @return the message, or empty if no message was sent
     */
    public Optional<OtpMessage> lastMessage() {
        return Optional.ofNullable(messages.peekLast());
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closes.get() > 0;
    }

    /** @return how many times {@link #close()} was called */
    public int closeCount() {
        return closes.get();
    }

    /** @return the id given when it was made */
    @Override
    public String id() {
        return id;
    }

    /**
     * Whether the predicate accepts the recipient.
     *
     * @param recipient who the code would be for
     * @return the predicate's answer
     */
    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return reaches.test(recipient);
    }

    /**
     * {@code true} unless {@link #onDeliveryThreads()} was called: {@link #deliver} answers at once, so the engine
     * calls it on the sending thread.
     *
     * @return whether the engine may call {@link #deliver} on the sending thread
     */
    @Override
    public boolean deliversAsynchronously() {
        return !onDeliveryThreads;
    }

    /**
     * Records the message, then accepts it with a receipt {@code <id>-<n>}, or answers as {@link #failWith} or
     * {@link #answerWith} said.
     *
     * @param message what to deliver
     * @return a completed stage, or what {@link #answerWith}'s function gave
     */
    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        deliveringThreads.add(Thread.currentThread());
        messages.add(Objects.requireNonNull(message, "message"));
        Function<OtpMessage, CompletionStage<DeliveryReceipt>> a = answer.get();
        if (a != null) {
            return a.apply(message);
        }
        return CompletableFuture.completedFuture(
                new DeliveryReceipt(id, id + "-" + receipts.incrementAndGet(), clock.instant()));
    }

    /**
     * {@code false} for {@link #email()}, which stands in for the email channel, whose messages cost nothing; {@code true}
     * for the others.
     *
     * @return whether each message costs money
     */
    @Override
    public boolean costsPerMessage() {
        return !free;
    }

    /** Marks the channel closed and counts the call; the recorded messages stay readable. */
    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public String toString() {
        return "CapturingChannel[id=" + id + ", messages=" + messages.size() + "]";
    }

    private static String normalized(String address) {
        try {
            if (Recipient.kindOf(address).equals(Recipient.EMAIL)) {
                return Recipient.normalizeEmail(address);
            }
            if (address.strip().startsWith("+")) {
                return Recipient.normalizePhone(address);
            }
        } catch (IllegalArgumentException e) {
            // not a phone or an email after all: compare it as a custom address
        }
        return address;
    }
}
