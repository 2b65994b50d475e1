package dev.otpengine;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** A channel for tests: reaches the recipients a predicate allows, records every message, answers as told. */
final class TestChannel implements Channel {

    private final String id;
    private final Predicate<Recipient> reaches;
    private volatile Function<OtpMessage, CompletionStage<DeliveryReceipt>> answer;
    private final List<OtpMessage> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger receipts = new AtomicInteger();
    private final List<Thread> deliveringThreads = new CopyOnWriteArrayList<>();
    private volatile boolean asynchronous;

    TestChannel(String id, Predicate<Recipient> reaches) {
        this.id = id;
        this.reaches = reaches;
        accepting();
    }

    /** An SMS-like channel: reaches phones. */
    static TestChannel sms() {
        return new TestChannel("sms", r -> r.phone().isPresent());
    }

    /** An email-like channel: reaches email addresses. */
    static TestChannel email() {
        return new TestChannel("email", r -> r.email().isPresent());
    }

    TestChannel accepting() {
        answer = m -> CompletableFuture.completedFuture(
                new DeliveryReceipt(id, id + "-" + receipts.incrementAndGet(), Instant.EPOCH));
        return this;
    }

    TestChannel answering(Function<OtpMessage, CompletionStage<DeliveryReceipt>> answer) {
        this.answer = answer;
        return this;
    }

    TestChannel failingWith(RuntimeException e) {
        answer = m -> CompletableFuture.failedFuture(e);
        return this;
    }

    TestChannel throwing(RuntimeException e) {
        answer = m -> {
            throw e;
        };
        return this;
    }

    /** Never completes: only the engine's timeout ends the delivery. */
    TestChannel hanging() {
        answer = m -> new CompletableFuture<>();
        return this;
    }

    /** Says it delivers asynchronously, so the engine calls it on the sending thread. */
    TestChannel asynchronous() {
        asynchronous = true;
        return this;
    }

    /** The threads {@link #deliver} ran on, in order. */
    List<Thread> deliveringThreads() {
        return deliveringThreads;
    }

    @Override
    public boolean deliversAsynchronously() {
        return asynchronous;
    }

    List<OtpMessage> messages() {
        return messages;
    }

    OtpMessage lastMessage() {
        if (messages.isEmpty()) {
            throw new AssertionError("channel " + id + " got no message");
        }
        return messages.get(messages.size() - 1);
    }

    String lastCode() {
        return lastMessage().code();
    }

    int closes() {
        return closes.get();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean canDeliverTo(Recipient recipient) {
        return reaches.test(recipient);
    }

    @Override
    public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
        deliveringThreads.add(Thread.currentThread());
        messages.add(message);
        return answer.apply(message);
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
