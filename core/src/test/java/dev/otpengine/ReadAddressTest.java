package dev.otpengine;

import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.otpengine.Fixtures.WIDGET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channels read addresses before anything is counted ({@link Channel#readAddress}): a third-party channel's canonical
 * form makes every spelling one recipient for limits, the resend index and delivery, and its refusal is the requester's
 * error (400, naming the field), with no limit spent, no code drawn and no pending code withdrawn.
 */
final class ReadAddressTest {

    /** A chat channel whose handles are case-insensitive and which can never reach {@code @nobody}. */
    private static final class ChatChannel implements Channel {
        final List<OtpMessage> sent = new CopyOnWriteArrayList<>();
        volatile boolean broken;

        @Override
        public String id() {
            return "chat";
        }

        @Override
        public boolean canDeliverTo(Recipient recipient) {
            return recipient.address("chat").isPresent();
        }

        @Override
        public AddressReading readAddress(String kind, String address) {
            if (broken) {
                throw new IllegalStateException("reading " + address + " failed");
            }
            if (!"chat".equals(kind)) {
                return AddressReading.noOpinion();
            }
            if (address.equalsIgnoreCase("@nobody")) {
                return AddressReading.refused("is a handle no one can be reached at");
            }
            return AddressReading.as(address.toLowerCase(Locale.ROOT));
        }

        @Override
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
            sent.add(message);
            return CompletableFuture.completedFuture(new DeliveryReceipt("chat", "m" + sent.size(), message.expiresAt()));
        }

        @Override
        public boolean deliversAsynchronously() {
            return true;
        }
    }

    private final TestClock clock = TestClock.atFixedStart();
    private final ChatChannel chat = new ChatChannel();

    private OtpEngine engine(RateLimits limits) {
        return OtpEngine.builder().clock(clock).channel(chat).rateLimits(limits)
                .widget(Widget.builder(WIDGET_ID).name("Acme").channels("chat").build()).build();
    }

    private static SendRequest to(String handle) {
        return SendRequest.builder(WIDGET_ID).address("chat", handle).userIp("198.51.100.3").build();
    }

    @Test
    void everySpellingOfAHandle_isOneRecipient_forDeliveryLimitsAndResends() {
        try (OtpEngine engine = engine(RateLimits.builder().perRecipient(Limit.of(2, Duration.ofHours(1))).build())) {
            SendResult first = engine.send(to("@Ann"));
            engine.send(to("@ANN"));
            assertEquals("@ann", chat.sent.get(0).recipient().address("chat").orElseThrow(), "delivered as read");
            assertEquals("@ann", chat.sent.get(1).recipient().address("chat").orElseThrow());
            assertEquals(VerifyResult.Status.NOT_FOUND,
                    engine.verify(first.requestId(), chat.sent.get(0).code()).status(), "the resend withdrew it");
            RateLimitException e = assertThrows(RateLimitException.class, () -> engine.send(to("@aNN")));
            assertEquals(RateLimitException.Scope.RECIPIENT, e.scope());
        }
    }

    @Test
    void aRefusedAddress_isTheRequestersError_andCostsNothing() {
        try (OtpEngine engine = engine(RateLimits.builder().perIp(Limit.of(1, Duration.ofHours(1))).build())) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> engine.send(to("@Nobody")));
            assertEquals("chat", e.field());
            assertEquals(400, e.httpStatus());
            assertEquals("chat is a handle no one can be reached at", e.getMessage());
            assertTrue(chat.sent.isEmpty(), "no code drawn or delivered");
            engine.send(to("@ann")); // the IP's one send was not spent by the refusal
        }
    }

    @Test
    void aChannelFailingToRead_isSkippedAsHavingNoOpinion() {
        chat.broken = true;
        try (OtpEngine engine = engine(RateLimits.unlimited())) {
            engine.send(to("@Ann"));
            assertEquals("@Ann", chat.sent.get(0).recipient().address("chat").orElseThrow(), "read as the engine did");
        }
    }

    /** A phone channel that reads every number as E.164 with its digits only and takes the numbers a rule allows. */
    private static final class PhoneChannel implements Channel {
        final String id;
        final java.util.function.Predicate<String> takes;
        final List<OtpMessage> sent = new CopyOnWriteArrayList<>();

        PhoneChannel(String id, java.util.function.Predicate<String> takes) {
            this.id = id;
            this.takes = takes;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean canDeliverTo(Recipient recipient) {
            return recipient.phone().isPresent();
        }

        @Override
        public AddressReading readAddress(String kind, String address) {
            if (!Recipient.PHONE.equals(kind)) {
                return AddressReading.noOpinion();
            }
            String e164 = "+" + address.replaceAll("[^0-9]", "");
            return takes.test(e164) ? AddressReading.as(e164) : AddressReading.refused("is a landline, which " + id
                    + " cannot reach");
        }

        @Override
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage message) {
            sent.add(message);
            return CompletableFuture.completedFuture(new DeliveryReceipt(id, id + sent.size(), message.expiresAt()));
        }

        @Override
        public boolean deliversAsynchronously() {
            return true;
        }
    }

    private static final String LANDLINE = "+44 20 7946 0000";
    private static final String MOBILE = "+44 7911 123456";

    @Test
    void aNumberOneChannelRefuses_dropsOnlyThatChannel_whateverTheOrder_andIsA400OnlyWhenNoChannelTakesIt() {
        for (boolean smsFirst : new boolean[] {true, false}) {
            PhoneChannel sms = new PhoneChannel("sms", n -> n.startsWith("+447"));
            PhoneChannel voice = new PhoneChannel("voice", n -> true);
            String[] order = smsFirst ? new String[] {"sms", "voice"} : new String[] {"voice", "sms"};
            try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).channel(voice)
                    .rateLimits(RateLimits.unlimited()).widget(Widget.builder(WIDGET_ID).name("Acme").channels(order)
                            .build()).build()) {
                SendResult landline = engine.send(SendRequest.builder(WIDGET_ID).phone(LANDLINE).build());
                assertEquals(List.of("voice"), landline.deliveries().stream().map(Delivery::channelId).toList());
                assertEquals("+442079460000", voice.sent.get(0).recipient().phone().orElseThrow());
                assertEquals(0, sms.sent.size());

                SendResult mobile = engine.send(SendRequest.builder(WIDGET_ID).phone(MOBILE).build());
                assertEquals(2, mobile.deliveries().size());
                assertEquals("+447911123456", sms.sent.get(0).recipient().phone().orElseThrow());
            }
        }
        PhoneChannel sms = new PhoneChannel("sms", n -> n.startsWith("+447"));
        try (OtpEngine engine = OtpEngine.builder().clock(clock).channel(sms).rateLimits(RateLimits.unlimited())
                .widget(Widget.builder(WIDGET_ID).name("Acme").build()).build()) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> engine.send(SendRequest.builder(WIDGET_ID).phone(LANDLINE).build()));
            assertEquals("phone is a landline, which sms cannot reach", refused.getMessage());
        }
    }
}
