package dev.otpengine.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "::1, 0:0:0:0:0:0:0:1",
            "::, 0:0:0:0:0:0:0:0",
            "2001:db8::7, 2001:db8:0:0:0:0:0:7",
            "2001:DB8:0:0:0:0:0:7, 2001:db8:0:0:0:0:0:7",
            "fe80::1:2:3:4, fe80:0:0:0:1:2:3:4",
            "1::, 1:0:0:0:0:0:0:0",
            "::ffff:203.0.113.7, 203.0.113.7",
            "::203.0.113.7, 0:0:0:0:0:0:cb00:7107",
            "1:2:3:4:5:6:203.0.113.7, 1:2:3:4:5:6:cb00:7107",
            "1:2:3:4:5::203.0.113.7, 1:2:3:4:5:0:cb00:7107",
    })
    void canonical_validLiterals(String text, String canonical) {
        assertEquals(Optional.of(canonical), IpAddresses.canonical(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04",
            "1..2.3", "1.2.3.4.", " 1.2.3.4", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1", "1:",
            "12345::", "g::1", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6::1.2.3.4", "::1.2.3", "١.٢.٣.٤", "0x7f.0.0.1",
            "1:2:3:4:5:6:7:1.2.3.4"})
    void canonical_notLiterals_areEmpty(String text) {
        assertEquals(Optional.empty(), IpAddresses.canonical(text));
    }

    @Property
    void canonical_anyIpv4_roundTrips(@ForAll @Size(4) byte[] bytes) throws Exception {
        String text = InetAddress.getByAddress(bytes).getHostAddress();

        assertEquals(Optional.of(text), IpAddresses.canonical(text));
    }

    @Property
    void canonical_anyIpv6_roundTripsFullAndCompressed(@ForAll @Size(16) byte[] bytes) throws Exception {
        InetAddress address = InetAddress.getByAddress(bytes);
        String full = address.getHostAddress();
        String compressed = full.replaceFirst("(^|:)(0(:|$)){2,}", "::");

        assertEquals(Optional.of(full), IpAddresses.canonical(full));
        assertEquals(Optional.of(full), IpAddresses.canonical(compressed), compressed);
    }

    @Property
    void canonical_anyText_neverThrowsAndNeverResolvesNames(@ForAll String text) {
        Optional<String> canonical = IpAddresses.canonical(text);

        canonical.ifPresent(c -> assertTrue(c.matches("[0-9a-f:.]+"), c));
    }

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "2001:db8:0:0:0:0:0:7, 2001:db8:0:0:0:0:0:0/64",
            "2001:db8:1:2:ffff:ffff:ffff:fffe, 2001:db8:1:2:0:0:0:0/64",
            "0:0:0:0:0:0:0:1, 0:0:0:0:0:0:0:0/64",
            "fe80:0:0:0:1:2:3:4, fe80:0:0:0:0:0:0:0/64",
    })
    void network_ipv4IsItself_ipv6IsItsSlash64(String canonical, String network) {
        assertEquals(network, IpAddresses.network(canonical));
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:1:2:3:4:5:6, 48, 2001:db8:1:0:0:0:0:0/48",
            "2001:db8:1:ff02:3:4:5:6, 56, 2001:db8:1:ff00:0:0:0:0/56",
            "2001:db8:1:ff02:3:4:5:6, 52, 2001:db8:1:f000:0:0:0:0/52",
            "2001:db8:1:2:3:4:5:6, 128, 2001:db8:1:2:3:4:5:6/128",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 17, ffff:8000:0:0:0:0:0:0/17",
            // NAT64 and IPv4-compatible addresses count as the IPv4 address they carry, at any prefix
            "64:ff9b:0:0:0:0:c000:201, 64, 192.0.2.1",
            "64:ff9b:0:0:0:0:cb00:7107, 48, 203.0.113.7",
            "0:0:0:0:0:0:cb00:7107, 64, 203.0.113.7",
            // but not the unspecified address or loopback, nor a NAT64 prefix with more set than the local-use /48
            "0:0:0:0:0:0:0:1, 64, 0:0:0:0:0:0:0:0/64",
            "64:ff9b:2:0:0:0:c000:201, 48, 64:ff9b:2:0:0:0:0:0/48",
    })
    void network_ofAnyPrefix_andIpv4InsideIpv6(String canonical, int prefix, String network) {
        assertEquals(network, IpAddresses.network(canonical, prefix));
    }
}
