package dev.otpengine;

import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.testkit.CapturingChannel;
import dev.otpengine.testkit.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.otpengine.Fixtures.EMAIL;
import static dev.otpengine.Fixtures.IP;
import static dev.otpengine.Fixtures.PHONE;
import static dev.otpengine.Fixtures.WIDGET_ID;
import static dev.otpengine.Fixtures.toPhone;
import static dev.otpengine.Fixtures.toPhoneAndEmail;
import static dev.otpengine.Fixtures.widget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class OtpEngineSendTest {

    private final TestClock clock = TestClock.atFixedStart();
    private final CapturingChannel sms = CapturingChannel.sms();
    private final CapturingChannel email = CapturingChannel.email();
    private OtpEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private OtpEngine engine(Widget widget) {
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).channel(email).widget(widget).build();
        return engine;
    }

    @Test
    void send_allMode_deliversTheSameCodeThroughSmsAndEmail() {
        SendResult result = engine(widget().build()).send(toPhoneAndEmail());

        assertEquals(List.of("sms", "email"), result.deliveries().stream().map(Delivery::channelId).toList());
        assertTrue(result.deliveries().stream().allMatch(Delivery::isAccepted));
        assertEquals(sms.lastCode().orElseThrow(), email.lastCode().orElseThrow());
        assertEquals(result.requestId(), sms.lastMessage().orElseThrow().requestId());
        assertEquals(result.requestId(), email.lastMessage().orElseThrow().requestId());
        assertTrue(engine.verify(result.requestId(), sms.lastCode().orElseThrow()).isVerified());
    }

    @Test
    void send_allMode_startsChannelsInParallel() throws Exception {
        CompletableFuture<dev.otpengine.spi.DeliveryReceipt> smsGate = new CompletableFuture<>();
        sms.answerWith(m -> smsGate); // SMS waits until email has been called
        email.answerWith(m -> {
            smsGate.complete(new dev.otpengine.spi.DeliveryReceipt("sms", "s1", clock.instant()));
            return CompletableFuture.completedFuture(new dev.otpengine.spi.DeliveryReceipt("email", "e1", clock.instant()));
        });

        SendResult result = engine(widget().build()).send(toPhoneAndEmail());

        assertEquals(List.of("s1", "e1"), result.deliveries().stream().map(Delivery::providerMessageId).toList());
    }

    @Test
    void send_resultCarriesExpiryFromClockAndTtl() {
        SendResult result = engine(widget().ttl(Duration.ofMinutes(5)).build()).send(toPhone());

        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), result.expiresAt());
        OtpMessage m = sms.lastMessage().orElseThrow();
        assertEquals(result.expiresAt(), m.expiresAt());
        assertEquals(Duration.ofMinutes(5), m.ttl());
        assertEquals(WIDGET_ID, m.widgetId());
        assertEquals("Acme", m.widgetName());
        assertEquals(PHONE, m.recipient().phone().orElseThrow());
    }

    @Test
    void send_codeHasWidgetLengthAndAlphabet() {
        engine(widget().codeLength(8).alphabet(CodeAlphabet.ALPHANUMERIC).build()).send(toPhone());

        String code = sms.lastCode().orElseThrow();
        assertEquals(8, code.length());
        assertTrue(code.chars().allMatch(c -> CodeAlphabet.ALPHANUMERIC_SYMBOLS.indexOf(c) >= 0), code);
    }

    @Test
    void send_onlyChannelsThatCanReachTheRecipientAreTried() {
        SendResult result = engine(widget().build()).send(toPhone());

        assertEquals(List.of("sms"), result.deliveries().stream().map(Delivery::channelId).toList());
        assertTrue(email.messages().isEmpty());
    }

    @Test
    void send_widgetChannelsLimitWhichChannelsAreUsed() {
        SendResult result = engine(widget().channels("email").build()).send(toPhoneAndEmail());

        assertEquals(List.of("email"), result.deliveries().stream().map(Delivery::channelId).toList());
        assertTrue(sms.messages().isEmpty());
    }

    @Test
    void send_noChannelCanReachRecipient_throwsNoAvailableChannelsAndSendsNothing() {
        engine(widget().channels("email").build());

        NoAvailableChannelsException e = assertThrows(NoAvailableChannelsException.class, () -> engine.send(toPhone()));

        assertEquals("no channel of widget " + WIDGET_ID + " can reach this recipient; start the authentication again",
                e.getMessage());
        assertTrue(sms.messages().isEmpty());
        assertTrue(email.messages().isEmpty());
    }

    @Test
    void send_fallbackMode_stopsAtFirstChannelThatAccepts() {
        SendResult result = engine(widget().delivery(DeliveryMode.FALLBACK).build()).send(toPhoneAndEmail());

        assertEquals(List.of("sms"), result.deliveries().stream().map(Delivery::channelId).toList());
        assertEquals(1, sms.messages().size());
        assertTrue(email.messages().isEmpty());
    }

    @Test
    void send_fallbackMode_triesNextChannelInWidgetOrderAfterAFailure() {
        email.failWith(DeliveryException.permanent("mailbox rejected"));
        engine(widget().channels("email", "sms").delivery(DeliveryMode.FALLBACK).build());

        SendResult result = engine.send(toPhoneAndEmail());

        assertEquals(List.of(
                new Delivery("email", Delivery.Status.FAILED_PERMANENT, null, "mailbox rejected"),
                new Delivery("sms", Delivery.Status.ACCEPTED, "sms-1", null)), result.deliveries());
        assertEquals(email.lastCode().orElseThrow(), sms.lastCode().orElseThrow());
        assertTrue(engine.verify(result.requestId(), sms.lastCode().orElseThrow()).isVerified());
    }

    @Test
    void send_allModeWithOneFailure_succeedsAndListsTheFailure() {
        sms.failWith(DeliveryException.retryable("gateway unreachable"));

        SendResult result = engine(widget().build()).send(toPhoneAndEmail());

        assertEquals(List.of(
                new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null, "gateway unreachable"),
                new Delivery("email", Delivery.Status.ACCEPTED, "email-1", null)), result.deliveries());
        assertTrue(engine.verify(result.requestId(), email.lastCode().orElseThrow()).isVerified());
    }

    @Test
    void send_everyChannelFails_throwsNoConnectionAndLeavesNothingPending() {
        sms.failWith(DeliveryException.retryable("gateway unreachable"));
        email.answerWith(m -> {
            throw new IllegalStateException("smtp client crashed");
        });
        engine(widget().build());

        NoConnectionException e = assertThrows(NoConnectionException.class, () -> engine.send(toPhoneAndEmail()));

        assertEquals(List.of(
                new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null, "gateway unreachable"),
                new Delivery("email", Delivery.Status.FAILED_RETRYABLE, null,
                        "java.lang.IllegalStateException: smtp client crashed")), e.deliveries());
        assertEquals(503, e.httpStatus());
        OtpMessage undelivered = sms.lastMessage().orElseThrow();
        assertEquals(VerifyResult.Status.NOT_FOUND,
                engine.verify(undelivered.requestId(), undelivered.code()).status());
    }

    @Test
    void send_fallbackModeEveryChannelFails_throwsNoConnectionAfterTryingAll() {
        sms.failWith(DeliveryException.permanent("number rejected"));
        email.failWith(DeliveryException.retryable("smtp down"));
        engine(widget().delivery(DeliveryMode.FALLBACK).build());

        NoConnectionException e = assertThrows(NoConnectionException.class, () -> engine.send(toPhoneAndEmail()));

        assertEquals(List.of("sms", "email"), e.deliveries().stream().map(Delivery::channelId).toList());
        assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(sms.lastMessage().orElseThrow().requestId(), sms.lastCode().orElseThrow()).status());
    }

    @ParameterizedTest(name = "asynchronous channel: {0}")
    @ValueSource(booleans = {false, true})
    void send_channelThatNeverAnswers_timesOutAsRetryableFailure_andItsStageIsCancelled(boolean asynchronous) {
        List<CompletableFuture<DeliveryReceipt>> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        sms.answerWith(m -> {
            CompletableFuture<DeliveryReceipt> never = new CompletableFuture<>();
            stages.add(never);
            return never;
        });
        if (!asynchronous) {
            sms.onDeliveryThreads();
        }
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).channel(email).widget(widget().build())
                .deliveryTimeout("sms", Duration.ofMillis(50)).build();

        SendResult result = engine.send(toPhoneAndEmail());

        assertEquals(new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null, "timed out after 50 ms"),
                result.deliveries().get(0));
        assertTrue(result.deliveries().get(1).isAccepted());
        assertTrue(stages.get(0).isCancelled(), "the timed-out channel's stage is cancelled");
    }

    @Test
    void send_aStageReturnedOnlyAfterTheTimeout_isCancelledAsItArrives() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<CompletableFuture<DeliveryReceipt>> late = new CompletableFuture<>();
        sms.onDeliveryThreads().answerWith(m -> {
            try {
                release.await(); // a deliver() that blocks past its timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CompletableFuture<DeliveryReceipt> stage = new CompletableFuture<>();
            late.complete(stage);
            return stage;
        });
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).widget(widget().build())
                .deliveryTimeout("sms", Duration.ofMillis(50)).build();

        assertThrows(NoConnectionException.class, () -> engine.send(toPhone()));
        release.countDown();

        CompletableFuture<DeliveryReceipt> stage = late.get(5, java.util.concurrent.TimeUnit.SECONDS);
        // the stage reaches the engine once deliver() returns, just after the test sees it: wait for its end
        assertTrue(stage.handle((receipt, error) -> error instanceof java.util.concurrent.CancellationException)
                .get(5, java.util.concurrent.TimeUnit.SECONDS), "cancelled as it arrived");
    }


    @Test
    void send_asynchronousChannel_isCalledOnTheSendingThread_andABlockingOneOnADeliveryThread() {
        email.onDeliveryThreads();
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).channel(email)
                .widget(widget().build()).build();

        engine.send(toPhoneAndEmail());

        assertEquals(List.of(Thread.currentThread()), sms.deliveringThreads());
        assertTrue(email.deliveringThreads().get(0).getName().startsWith("otpengine-delivery-"),
                email.deliveringThreads().toString());
    }

    @Test
    void send_asynchronousChannelThatThrows_failsOnlyThatChannel() {
        sms.answerWith(m -> {
            throw new IllegalStateException("boom");
        });
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms).channel(email)
                .widget(widget().build()).build();

        SendResult result = engine.send(toPhoneAndEmail());

        assertEquals(new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null, "java.lang.IllegalStateException: boom"),
                result.deliveries().get(0));
        assertTrue(result.deliveries().get(1).isAccepted());
    }

    @Test
    void send_channelReturningNull_countsAsFailureNotCrash() {
        sms.answerWith(m -> null);

        SendResult result = engine(widget().build()).send(toPhoneAndEmail());

        assertEquals(new Delivery("sms", Delivery.Status.FAILED_RETRYABLE, null,
                "java.lang.IllegalStateException: deliver returned null"), result.deliveries().get(0));
    }

    @Test
    void send_channelErrorMentioningRecipientOrCode_isMaskedInDelivery() {
        sms.answerWith(m -> CompletableFuture.failedFuture(
                DeliveryException.permanent("number " + PHONE + " refused message " + m.code())));

        SendResult result = engine(widget().build()).send(toPhoneAndEmail());

        assertEquals("number +7******4567 refused message <code>", result.deliveries().get(0).error());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "79991234567", "8 (999) 123-45-67", "(999) 123-4567", "%2B79991234567", "007 999 123 45 67",
        "999\u00a0123\u00a04567", "999_123_4567", "999\u2013123\u20134567", "to=%2B7+999+123+4567",
        "to=999+123+4567", "to=007+999+123+4567", "ref 41234567 2", "9991234567, 2 attempts",
        "%2B7%20999%20123%204567", "%2B%37%39%39%39%31%32%33%34%35%36%37", "999\u2212123\u22124567",
        "999\u200b123\u200b4567", "+\uff17\uff19\uff19\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17",
        "\u0669\u0669\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "&#43;79991234567", "\\u002b79991234567",
        "+7 999&nbsp;123&nbsp;4567", "+7 999\\1234567", "[+7][999][1234567]", "<b>+7999</b><b>1234567</b>",
        "&plus;7 999 123 45 67", "=?UTF-8?Q?+7_999_123_45_67?=", "{+7}{999}{1234567}"})
    void send_channelErrorEchoingThePhoneInAnyForm_isMasked(String echoed) {
        sms.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent("rejected " + echoed)));

        String error = engine(widget().build()).send(toPhoneAndEmail()).deliveries().get(0).error();

        assertFalse(error.replaceAll("\\D", "").contains("1234567"), error);
        assertTrue(error.contains("+7******4567"), error);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ANN@EXAMPLE.COM", "ann%40example.com", "Ann%40Example.COM"})
    void send_channelErrorEchoingTheEmailInAnyForm_isMasked(String echoed) {
        email.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent("bounced " + echoed)));

        String error = engine(widget().build()).send(toPhoneAndEmail()).deliveries().get(1).error();

        assertEquals("bounced a***@example.com", error);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ann.lee+otp@example.com", "Ann.Lee%2Botp%40Example.com", "ann.lee@example.com",
        "ann.lee%2Botp@example.com", "ann.lee+otp%40example.com", "ann.lee%2Botp%40example%2Ecom",
        "ann.lee%252Botp%2540example.com", "\"ann.lee+otp\"@example.com", "ann.lee+otp @ example.com",
        "ann.lee+other@example.com", "ann.lee+otp@[example.com]", "ann.lee&#43;otp&#64;example.com",
        "ann.lee&#x2b;otp&#x40;example.com", "ann.lee\\u002botp\\u0040example.com", "ann.lee+otp\uff20example.com",
        "ann.\u200blee+otp@example.com", "mailto:ann.lee%2Botp@example.com", "ann.lee+otp&commat;example.com",
        "ann.lee+otp (at) example.com", "ann.lee+otp[at]example.com", "=?UTF-8?Q?ann.lee+otp=40example.com?=",
        "=?UTF-8?B?YW5uLmxlZStvdHBAZXhhbXBsZS5jb20=?=", "<a href=x>ann.lee+otp</a>@example.com"})
    void send_channelErrorEchoingATaggedEmailInAnyForm_isMasked(String echoed) {
        email.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent("bounced " + echoed + "; 550")));

        OtpEngine engine = engine(widget().build());
        NoConnectionException e = assertThrows(NoConnectionException.class,
                () -> engine.send(SendRequest.builder(WIDGET_ID).email("ann.lee+otp@example.com").build()));
        String error = e.deliveries().get(0).error();

        assertTrue(error.endsWith("a***@example.com; 550"), error);
        assertFalse(error.toLowerCase(java.util.Locale.ROOT).contains("lee"), error);
    }

    @Test
    void send_channelErrorEchoingTheCodeEscaped_isMasked() {
        sms.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent("code="
                + m.code().chars().mapToObj(c -> String.format(java.util.Locale.ROOT, "%%%02X", c))
                        .collect(java.util.stream.Collectors.joining()) + "; json "
                + m.code().chars().mapToObj(c -> String.format(java.util.Locale.ROOT, "\\u%04x", c))
                        .collect(java.util.stream.Collectors.joining()) + "; html "
                + m.code().chars().mapToObj(c -> "&#" + c + ";").collect(java.util.stream.Collectors.joining()))));

        String error = engine(widget().build()).send(toPhoneAndEmail()).deliveries().get(0).error();

        assertEquals("code=<code>; json <code>; html <code>", error);
    }

    @ParameterizedTest(name = "separated by \"{0}\"")
    @ValueSource(strings = {" ", "-", ".", "_", ", ", "\u00a0", "\u2013", "+", "|", "*", ":", "\u200b", "\u2212", "&nbsp;", "\\", "][", "</b><b>", "&thinsp;"})
    void send_channelErrorEchoingTheCodeWithSeparators_isMasked(String separator) {
        sms.answerWith(m -> CompletableFuture.failedFuture(DeliveryException.permanent(
                "text " + String.join(separator, m.code().split("")) + " refused; HTTP 400")));

        String error = engine(widget().build()).send(toPhoneAndEmail()).deliveries().get(0).error();

        assertEquals("text <code> refused; HTTP 400", error);
    }

    @Test
    void send_canDeliverToThrows_channelIsSkipped() {
        CapturingChannel broken = CapturingChannel.reaching("broken", r -> {
            throw new IllegalStateException("bug");
        });
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(broken).channel(sms).widget(widget().build()).build();

        SendResult result = engine.send(toPhone());

        assertEquals(List.of("sms"), result.deliveries().stream().map(Delivery::channelId).toList());
    }

    @Test
    void send_unknownWidget_throwsWidgetNotFound() {
        engine(widget().build());
        SendRequest request = SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).build();

        WidgetNotFoundException e = assertThrows(WidgetNotFoundException.class, () -> engine.send(request));

        assertEquals("widget not found: " + Fixtures.OTHER_WIDGET_ID, e.getMessage());
        assertEquals(404, e.httpStatus());
    }

    @Test
    void send_blockedWidget_throwsUntilUnblocked() {
        engine(widget().build());
        engine.blockWidget(WIDGET_ID);

        WidgetIsBlockedException e = assertThrows(WidgetIsBlockedException.class, () -> engine.send(toPhone()));
        assertEquals("widget " + WIDGET_ID + " is blocked; contact support", e.getMessage());
        assertTrue(sms.messages().isEmpty());
        assertTrue(engine.isBlocked(WIDGET_ID));

        engine.unblockWidget(WIDGET_ID);
        assertFalse(engine.isBlocked(WIDGET_ID));
        assertTrue(engine.send(toPhone()).deliveries().get(0).isAccepted());
    }

    @Test
    void blockWidget_unknownWidget_throwsWidgetNotFound() {
        engine(widget().build());

        assertThrows(WidgetNotFoundException.class, () -> engine.blockWidget(Fixtures.OTHER_WIDGET_ID));
        assertThrows(WidgetNotFoundException.class, () -> engine.unblockWidget(Fixtures.OTHER_WIDGET_ID));
        assertThrows(WidgetNotFoundException.class, () -> engine.isBlocked(Fixtures.OTHER_WIDGET_ID));
    }

    @Test
    void putWidget_replacesWidgetAndKeepsItBlocked() {
        engine(widget().build());
        engine.blockWidget(WIDGET_ID);

        engine.putWidget(widget().name("Acme 2").build());

        assertEquals("Acme 2", engine.widget(WIDGET_ID).orElseThrow().name());
        assertThrows(WidgetIsBlockedException.class, () -> engine.send(toPhone()));
    }

    @Test
    void putWidget_atRuntime_servesNewWidget() {
        engine(widget().build());

        engine.putWidget(Widget.builder(Fixtures.OTHER_WIDGET_ID).name("Other").build());
        SendResult result = engine.send(SendRequest.builder(Fixtures.OTHER_WIDGET_ID).phone(PHONE).build());

        assertTrue(result.deliveries().get(0).isAccepted());
        assertEquals(2, engine.widgets().size());
    }

    @Test
    void putWidget_unknownChannel_throwsNamingIt() {
        engine(widget().build());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.putWidget(widget().channels("telegram").build()));

        assertEquals("widget " + WIDGET_ID + " names channel telegram, which the engine does not have; it has [sms, email]",
                e.getMessage());
    }

    @Test
    void removeWidget_laterSendsAreNotFoundButSentCodesStillVerify() {
        engine(widget().build());
        SendResult sent = engine.send(toPhone());

        assertTrue(engine.removeWidget(WIDGET_ID));
        assertFalse(engine.removeWidget(WIDGET_ID));

        assertThrows(WidgetNotFoundException.class, () -> engine.send(toPhone()));
        assertTrue(engine.verify(sent.requestId(), sms.lastCode().orElseThrow()).isVerified());
    }

    @Test
    void send_seedShape_phoneOrEmailByAtSign() {
        engine(widget().build());

        engine.send(WIDGET_ID.toString(), "+7 (999) 123-45-67", IP);
        engine.send(WIDGET_ID.toString(), "Ann@Example.com", null);

        assertEquals(PHONE, sms.lastMessage().orElseThrow().recipient().phone().orElseThrow());
        assertEquals(EMAIL, email.lastMessage().orElseThrow().recipient().email().orElseThrow());
    }

    @Test
    void send_seedShape_malformedFields_throwInvalidRequestNamingField() {
        engine(widget().build());

        assertEquals("widgetId", assertThrows(InvalidRequestException.class,
                () -> engine.send("not-a-uuid", PHONE, IP)).field());
        assertEquals("recipient", assertThrows(InvalidRequestException.class,
                () -> engine.send(WIDGET_ID.toString(), null, IP)).field());
        assertEquals("phone", assertThrows(InvalidRequestException.class,
                () -> engine.send(WIDGET_ID.toString(), "12345", IP)).field());
        assertEquals("email", assertThrows(InvalidRequestException.class,
                () -> engine.send(WIDGET_ID.toString(), "ann@", IP)).field());
        assertEquals("userIp", assertThrows(InvalidRequestException.class,
                () -> engine.send(WIDGET_ID.toString(), PHONE, "localhost")).field());
        assertTrue(sms.messages().isEmpty());
    }

    @Test
    void sendAsync_refusal_completesFutureExceptionally() {
        engine(widget().build());
        engine.blockWidget(WIDGET_ID);

        CompletableFuture<SendResult> future = engine.sendAsync(toPhone());

        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(WidgetIsBlockedException.class, e.getCause());
    }

    @Test
    void sendAsync_completesWithResult() {
        SendResult result = engine(widget().build()).sendAsync(toPhone()).join();

        assertEquals(sms.lastMessage().orElseThrow().requestId(), result.requestId());
    }

    @Test
    void send_closedEngine_throwsIllegalState() {
        engine(widget().build()).close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.send(toPhone()));
        assertEquals("the engine is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> engine.verify(java.util.UUID.randomUUID(), "123456"));
    }

    @Test
    void close_leavesTheChannelsItWasGiven_toTheirOwner() {
        engine(widget().build());

        engine.close();
        engine.close();

        // given with channel(...): the caller's to close (they may serve another engine); discovered channels are
        // the engine's own and closed once (ChannelDiscoveryTest)
        assertEquals(0, sms.closeCount());
        assertEquals(0, email.closeCount());
    }

    @Test
    void send_nullRequest_throwsNullPointerNamingIt() {
        engine(widget().build());

        NullPointerException e = assertThrows(NullPointerException.class, () -> engine.send((SendRequest) null));
        assertEquals("request", e.getMessage());
    }

    @Test
    void send_text_isRenderedFromBuiltInTemplateOfRequestedLocale() {
        engine(widget().build());

        engine.send(toPhone());
        String code = sms.lastCode().orElseThrow();
        assertEquals(code + " is your Acme code. It expires in 2 min.", sms.lastMessage().orElseThrow().text());
        assertEquals(Locale.ENGLISH, sms.lastMessage().orElseThrow().locale());

        engine.send(SendRequest.builder(WIDGET_ID).phone(PHONE).locale(Locale.forLanguageTag("ru-RU")).build());
        // the whole text and a WebOTP line for a 22-character domain would be 71 UCS-2 units: the validity goes
        assertEquals(sms.lastCode().orElseThrow() + " — ваш код Acme", sms.lastMessage().orElseThrow().text());
        assertEquals(Locale.forLanguageTag("ru"), sms.lastMessage().orElseThrow().locale());
    }

    @Test
    void send_text_unknownLocaleFallsBackToDefault() {
        engine(widget().build());

        engine.send(SendRequest.builder(WIDGET_ID).phone(PHONE).locale(Locale.KOREAN).build()); // no Korean text

        assertEquals(Locale.ENGLISH, sms.lastMessage().orElseThrow().locale());
    }

    @Test
    void send_text_widgetTemplateWinsOverEngineTemplateWhichWinsOverBuiltIn() {
        Locale german = Locale.GERMAN;
        engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).clock(clock).channel(sms)
                .template(german, "{code} ist Ihr {name}-Code ({minutes} Min.)")
                .template(Locale.ENGLISH, "Code: {code}")
                .defaultLocale(german)
                .widget(widget().ttl(Duration.ofSeconds(150)).template(Locale.forLanguageTag("en-GB"), "{name} code {code}").build())
                .build();

        engine.send(toPhone());
        assertEquals(sms.lastCode().orElseThrow() + " ist Ihr Acme-Code (3 Min.)", sms.lastMessage().orElseThrow().text());

        engine.send(SendRequest.builder(WIDGET_ID).phone(PHONE).locale(Locale.forLanguageTag("en-GB")).build());
        assertEquals("Acme code " + sms.lastCode().orElseThrow(), sms.lastMessage().orElseThrow().text());

        engine.send(SendRequest.builder(WIDGET_ID).phone(PHONE).locale(Locale.US).build());
        assertEquals("Code: " + sms.lastCode().orElseThrow(), sms.lastMessage().orElseThrow().text());
    }

    @Test
    void send_userIpIsCanonicalizedInRequest() {
        SendRequest request = SendRequest.builder(WIDGET_ID).phone(PHONE).userIp("::ffff:203.0.113.7").build();

        assertEquals(IP, request.userIp().orElseThrow());
        assertEquals(EMAIL, SendRequest.builder(WIDGET_ID).email(" ANN@example.COM ").build().recipient().email().orElseThrow());
    }
}
