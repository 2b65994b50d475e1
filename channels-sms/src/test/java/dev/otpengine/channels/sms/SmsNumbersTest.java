package dev.otpengine.channels.sms;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.otpengine.phone.NumberType;
import dev.otpengine.spi.AddressReading;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which numbers SMS takes, read with the phone channels' one reading; deliver sends to that reading's form. */
final class SmsNumbersTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final List<String> sentTo = new CopyOnWriteArrayList<>();
    private final SmsChannel channel = new SmsChannel(new SmsGateway() {
        @Override
        public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
            sentTo.add(to);
            return CompletableFuture.completedFuture(new Accepted("test", "SM1"));
        }
    }, null);

    private static String example(PhoneNumberType type) {
        return new TreeSet<>(UTIL.getSupportedRegions()).stream().map(region -> UTIL.getExampleNumberForType(region, type))
                .filter(n -> n != null && UTIL.getNumberType(n) == type).findFirst()
                .map(n -> UTIL.format(n, PhoneNumberFormat.E164)).orElseThrow();
    }

    @Test
    void numbers_takeMobilesAndNumbersThatMayBeMobiles_only() {
        assertEquals(Set.of(NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE), SmsChannel.NUMBERS.takes());
    }

    @Test
    void readAddress_mobileAndNorthAmerican_areTakenWithTheirFacts() {
        AddressReading mobile = channel.readAddress(Recipient.PHONE, "+44 7911 223456");
        AddressReading american = channel.readAddress(Recipient.PHONE, "+1 (202) 555-0162");

        assertEquals(Optional.of("+447911223456"), mobile.canonical());
        assertEquals(Map.of("region", "GB", "callingCode", "44", "type", "mobile", "mainRegion", "GB"), mobile.facts());
        assertEquals(Optional.of("+12025550162"), american.canonical());
        assertEquals("fixed_line_or_mobile", american.facts().get(AddressReading.TYPE));
    }

    @Test
    void readAddress_everyTypeSmsDoesNotTake_isRefusedNamingIt() {
        Map<PhoneNumberType, String> refusals = Map.of(
                PhoneNumberType.FIXED_LINE, "is a landline, which does not get codes by SMS",
                PhoneNumberType.PREMIUM_RATE, "is a premium-rate number, which does not get codes by SMS",
                PhoneNumberType.SHARED_COST, "is a shared-cost number, which does not get codes by SMS",
                PhoneNumberType.TOLL_FREE, "is a toll-free number, which does not get codes by SMS",
                PhoneNumberType.VOIP, "is a VoIP number, which does not get codes by SMS",
                PhoneNumberType.PERSONAL_NUMBER, "is a personal number, which does not get codes by SMS",
                PhoneNumberType.PAGER, "is a pager number, which does not get codes by SMS",
                PhoneNumberType.UAN, "is a universal access number, which does not get codes by SMS",
                PhoneNumberType.VOICEMAIL, "is a voicemail access number, which does not get codes by SMS");

        refusals.forEach((type, refusal) -> assertEquals(Optional.of(refusal),
                channel.readAddress(Recipient.PHONE, example(type)).refusal(), type::name));
    }

    @Test
    void readAddress_invalidOrAnotherKind_isRefusedOrNoOpinion() {
        assertEquals(Optional.of("is not a valid number for its country"),
                channel.readAddress(Recipient.PHONE, "+44201").refusal());
        assertEquals(AddressReading.noOpinion(), channel.readAddress(Recipient.EMAIL, "a@example.com"));
    }

    @Test
    void deliver_sendsToTheReadingsFormWithItsCountry() throws Exception {
        DeliveryReceipt receipt = channel.deliver(message("+44 07781 123456")).toCompletableFuture().get();

        assertEquals(List.of("+447781123456"), sentTo);
        assertEquals("GG", receipt.attributes().get("country"));
    }

    @Test
    void deliver_aLandline_failsPermanentlyWithTheSameWords_andSendsNothing() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> channel.deliver(message("+442071838750")).toCompletableFuture().get());

        DeliveryException refused = assertInstanceOf(DeliveryException.class, e.getCause());
        assertFalse(refused.isRetryable());
        assertEquals("is a landline, which does not get codes by SMS", refused.getMessage());
        assertEquals(List.of(), sentTo);
    }

    private static OtpMessage message(String phone) {
        UUID id = UUID.fromString("0d4b4a8e-0000-4000-8000-000000000025");
        return new OtpMessage(id, id, "Acme", Recipient.builder().address(Recipient.PHONE, phone).build(), "123456",
                Instant.EPOCH, Duration.ofMinutes(2), Locale.ENGLISH, "123456 is your Acme code.");
    }

    @Provide
    Arbitrary<PhoneNumber> mobiles() {
        return Arbitraries.of(new TreeSet<>(UTIL.getSupportedRegions()).stream()
                .map(region -> UTIL.getExampleNumberForType(region, PhoneNumberType.MOBILE))
                .filter(n -> n != null && UTIL.isValidNumber(n)).toList());
    }

    @Property(tries = 300)
    void readAddress_anyCountrysMobile_isTakenInItsE164Form(@ForAll("mobiles") PhoneNumber number) {
        String international = UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);

        AddressReading reading = channel.readAddress(Recipient.PHONE, international);

        assertEquals(Optional.of(UTIL.format(number, PhoneNumberFormat.E164)), reading.canonical(), international);
        assertEquals(UTIL.getRegionCodeForNumber(number), reading.facts().get(AddressReading.REGION), international);
    }
}
