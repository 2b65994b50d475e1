package dev.otpengine.channels.sms;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.otpengine.Limit;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimitException;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.SendResult;
import dev.otpengine.VerifyRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One handset, one key: for any mobile number libphonenumber reads, every spelling of it a person might type (E.164,
 * international format, dashes, the national trunk prefix after the country code, bracketed or not) yields one
 * limiter key and one slot of the resend index, because the SMS channel reads each spelling into its E.164 form
 * before anything is counted.
 */
final class OneHandsetProperties {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final UUID WIDGET = UUID.fromString("4b3a2918-0f1e-4d2c-9b8a-7f6e5d4c3b2a");
    private static final byte[] SECRET = new byte[32];

    /** A mobile number of some country, and two ways of writing it that libphonenumber reads as that number. */
    record Spellings(String region, String first, String second) {
    }

    @Provide
    Arbitrary<Spellings> spellings() {
        List<List<String>> byRegion = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        for (String region : new java.util.TreeSet<>(UTIL.getSupportedRegions())) {
            PhoneNumber example = UTIL.getExampleNumberForType(region, PhoneNumberType.MOBILE);
            if (example == null || !UTIL.isValidNumber(example)) {
                continue;
            }
            List<String> ways = waysOfWriting(region, example);
            if (ways.size() >= 2) {
                byRegion.add(ways);
                regions.add(region);
            }
        }
        return Arbitraries.integers().between(0, byRegion.size() - 1).flatMap(r -> {
            List<String> ways = byRegion.get(r);
            return Arbitraries.integers().between(0, ways.size() - 1).flatMap(i -> Arbitraries.integers()
                    .between(0, ways.size() - 1).filter(j -> j != i)
                    .map(j -> new Spellings(regions.get(r), ways.get(i), ways.get(j))));
        });
    }

    /** Ways of writing a number with its country code that libphonenumber reads as that very number. */
    private static List<String> waysOfWriting(String region, PhoneNumber number) {
        String cc = Integer.toString(number.getCountryCode());
        String nsn = UTIL.getNationalSignificantNumber(number);
        String international = UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);
        Set<String> ways = new LinkedHashSet<>();
        ways.add(UTIL.format(number, PhoneNumberFormat.E164));
        ways.add(international);
        ways.add(international.replace(' ', '-'));
        ways.add("+" + cc + " (" + nsn.substring(0, Math.min(3, nsn.length())) + ") " + nsn.substring(Math.min(3, nsn.length())));
        String trunk = UTIL.getNddPrefixForRegion(region, true);
        if (trunk != null && !trunk.isEmpty()) {
            ways.add("+" + cc + " (" + trunk + ")" + nsn);  // +44 (0)7911123456
            ways.add("+" + cc + " " + trunk + " " + nsn);   // +1 1 2025550162
        }
        List<String> read = new ArrayList<>();
        String e164 = UTIL.format(number, PhoneNumberFormat.E164);
        for (String way : ways) {
            try {
                if (e164.equals(SmsChannel.NUMBERS.read(way.replace("(0)", "")).number().orElseThrow().e164())) {
                    read.add(way);
                }
            } catch (RuntimeException notReadAsIt) {
                // a spelling libphonenumber reads otherwise in this country: not one of its spellings
            }
        }
        return read;
    }

    /** An SMS channel on a gateway that accepts everything and remembers nothing. */
    private static SmsChannel channel() {
        return new SmsChannel(new SmsGateway() {
            @Override
            public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
                return CompletableFuture.completedFuture(new Accepted("test", "accepted"));
            }

            @Override
            public boolean sendsAsynchronously() {
                return true;
            }
        }, null);
    }

    private static OtpEngine engine(RateLimits limits) {
        return OtpEngine.builder().clock(Clock.fixed(Instant.parse("2026-01-01T09:00:00Z"), ZoneOffset.UTC)).secret(SECRET).channel(channel()).rateLimits(limits)
                .widget(Widget.builder(WIDGET).name("Acme").build()).build();
    }

    private static SendRequest to(String phone) {
        return SendRequest.builder(WIDGET).phone(phone).build();
    }

    @Property(tries = 150)
    void everySpelling_countsAgainstOneRecipientLimit(@ForAll("spellings") Spellings number) {
        RateLimits onePerHour = RateLimits.builder().perRecipient(Limit.of(1, Duration.ofHours(1))).build();
        try (OtpEngine engine = engine(onePerHour)) {
            engine.send(to(number.first()));
            RateLimitException e = assertThrows(RateLimitException.class, () -> engine.send(to(number.second())),
                    number::toString);
            assertEquals(RateLimitException.Scope.RECIPIENT, e.scope(), number::toString);
        }
    }

    @Property(tries = 150)
    void everySpelling_takesTheOneResendSlot(@ForAll("spellings") Spellings number) {
        try (OtpEngine engine = engine(RateLimits.unlimited())) {
            SendResult first = engine.send(to(number.first()));
            engine.send(to(number.second()));
            // a wrong guess tells a withdrawn code (NOT_FOUND) from one still pending (INVALID_CODE)
            VerifyResult guess = engine.verify(VerifyRequest.builder(first.requestId(), "00000000").build());
            assertEquals(VerifyResult.Status.NOT_FOUND, guess.status(), number::toString);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "+447911123456, +44 (0)7911 123456",
            "+12025550162, +1 1 202 555 0162",
            "+4915123456789, +49 (0)151 23456789",
            "+5511987654321, +55 0 11 98765 4321",
    })
    void theSpellingsThatGotTwoKeys_areOneHandset(String e164, String spelled) {
        everySpelling_countsAgainstOneRecipientLimit(new Spellings("issue 14", e164, spelled));
        everySpelling_takesTheOneResendSlot(new Spellings("issue 14", spelled, e164));
    }

    @org.junit.jupiter.api.Test
    void aTestPhone_writtenAnyWay_isOneTestRecipient() {
        Widget widget = Widget.builder(WIDGET).name("Acme").testRecipient("+1 1 202 555 0162", "424242").build();
        try (OtpEngine engine = OtpEngine.builder().secret(SECRET).channel(channel()).rateLimits(RateLimits.unlimited())
                .widget(widget).build()) {
            for (String spelling : List.of("+12025550162", "+1 (202) 555-0162", "+1 1 202 555 0162")) {
                SendResult sent = engine.send(to(spelling));
                assertEquals(VerifyResult.Status.VERIFIED,
                        engine.verify(VerifyRequest.builder(sent.requestId(), "424242").build()).status(), spelling);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aTestPhoneTheChannelWouldRefuse_failsTheBuild_forItWouldStandOut() {
        // +1 500 555 0006 is a personal number: every other such number is a 400, so a code for this one would tell
        Widget widget = Widget.builder(WIDGET).name("Acme").testRecipient("+15005550006", "424242").build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OtpEngine.builder().secret(SECRET)
                .channel(channel()).widget(widget).build());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("test recipient +1******0006 of widget "),
                e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("is a personal number"), e.getMessage());
    }
}
