package dev.otpengine.testkit;

import dev.otpengine.InvalidRequestException;
import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.VerifyResult;
import dev.otpengine.Widget;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

import java.net.InetAddress;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each arbitrary gives exactly what it promises: valid values pass the engine's request checks, invalid ones fail them. */
final class OtpArbitrariesProperties {

    private static final UUID WIDGET = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");

    @Property
    void phones_areAcceptedUnchanged(@ForAll("phones") String phone) {
        assertEquals(phone, SendRequest.builder(WIDGET).phone(phone).build().recipient().phone().orElseThrow());
    }

    @Property
    void phonesWithCallingCode_startWithIt_andAreAccepted(@ForAll("coded") Tuple2<Integer, String> coded) {
        assertTrue(coded.get2().startsWith("+" + coded.get1()), coded.get2());
        SendRequest.builder(WIDGET).phone(coded.get2()).build();
    }

    @Property
    void invalidPhones_areRefusedNamingThePhone(@ForAll("invalidPhones") String phone) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SendRequest.builder(WIDGET).phone(phone));
        assertEquals("phone", e.field());
    }

    @Property
    void emails_areAcceptedUnchanged(@ForAll("emails") String email) {
        assertEquals(email, SendRequest.builder(WIDGET).email(email).build().recipient().email().orElseThrow());
    }

    @Property
    void invalidEmails_areRefusedNamingTheEmail(@ForAll("invalidEmails") String email) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SendRequest.builder(WIDGET).email(email));
        assertEquals("email", e.field());
    }

    @Property
    void ips_areAccepted_asTheSameAddress(@ForAll("ips") String ip) throws Exception {
        String accepted = SendRequest.builder(WIDGET).phone("+12025550162").userIp(ip).build().userIp().orElseThrow();
        assertEquals(InetAddress.getByName(ip), InetAddress.getByName(accepted));
    }

    @Property
    void ipv4_hasFourOctets_andIpv6HasColons(@ForAll("v4") String v4, @ForAll("v6") String v6) {
        assertEquals(4, v4.split("\\.").length, v4);
        assertTrue(v6.contains(":"), v6);
    }

    @Property
    void invalidIps_areRefusedNamingTheIp(@ForAll("invalidIps") String ip) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SendRequest.builder(WIDGET).userIp(ip));
        assertEquals("userIp", e.field());
    }

    @Property(tries = 100)
    void widgets_areServedByAnEngine_andTheirCodesAreWellFormed(@ForAll("widgetsWithCodes") Tuple2<Widget, String> wc) {
        Widget widget = wc.get1();
        String code = wc.get2();
        assertEquals(widget.codeLength(), code.length());
        assertTrue(code.chars().allMatch(c -> widget.alphabet().symbols().indexOf(c) >= 0), code);
        try (OtpEngine engine = OtpEngine.builder().rateLimits(RateLimits.unlimited()).channel(CapturingChannel.sms())
                .widget(widget).build()) {
            // A well-formed code of an unknown request is NOT_FOUND, not an InvalidRequestException.
            assertEquals(VerifyResult.Status.NOT_FOUND, engine.verify(UUID.randomUUID(), code).status());
            engine.send(widget.id().toString(), "+12025550162", null);
        }
    }

    @Provide
    Arbitrary<String> phones() {
        return OtpArbitraries.phones();
    }

    @Provide
    Arbitrary<Tuple2<Integer, String>> coded() {
        return net.jqwik.api.Arbitraries.integers().between(1, 999)
                .flatMap(cc -> OtpArbitraries.phonesWithCallingCode(cc).map(p -> Tuple.of(cc, p)));
    }

    @Provide
    Arbitrary<String> invalidPhones() {
        return OtpArbitraries.invalidPhones();
    }

    @Provide
    Arbitrary<String> emails() {
        return OtpArbitraries.emails();
    }

    @Provide
    Arbitrary<String> invalidEmails() {
        return OtpArbitraries.invalidEmails();
    }

    @Provide
    Arbitrary<String> ips() {
        return OtpArbitraries.ips();
    }

    @Provide
    Arbitrary<String> v4() {
        return OtpArbitraries.ipv4();
    }

    @Provide
    Arbitrary<String> v6() {
        return OtpArbitraries.ipv6();
    }

    @Provide
    Arbitrary<String> invalidIps() {
        return OtpArbitraries.invalidIps();
    }

    @Provide
    Arbitrary<Tuple2<Widget, String>> widgetsWithCodes() {
        return OtpArbitraries.widgets().flatMap(w -> OtpArbitraries.codes(w).map(code -> Tuple.of(w, code)));
    }
}
