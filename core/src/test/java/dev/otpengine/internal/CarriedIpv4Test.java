package dev.otpengine.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The IPv6 forms that carry an IPv4 address count as that address, at any prefix (issue 29): SIIT's IPv4-translated
 * {@code ::ffff:0:a.b.c.d}, 6to4's {@code 2002:AABB:CCDD::/16}, Teredo's {@code 2001:0::/32} (the client's address
 * in the last 32 bits, inverted), and NAT64's local-use {@code 64:ff9b:1::/48} beside the well-known
 * {@code 64:ff9b::/96}; and what a request's {@code toString} shows of an address is the network it counts in.
 */
final class CarriedIpv4Test {

    @ParameterizedTest
    @CsvSource({
            "::ffff:0:203.0.113.7, 64, 203.0.113.7",                    // SIIT, IPv4-translated
            "::ffff:0:cb00:7107, 48, 203.0.113.7",
            "2002:cb00:7107::1, 64, 203.0.113.7",                       // 6to4: the IPv4 after 2002
            "2002:cb00:7107:ab:1:2:3:4, 48, 203.0.113.7",
            "2002:c000:201:ffff::, 128, 192.0.2.1",
            "2001:0:4136:e378:8000:f227:34ff:8ef8, 64, 203.0.113.7",    // Teredo: server 65.54.227.120, client inverted
            "2001:0:4136:e378:0:1234:34ff:8ef8, 48, 203.0.113.7",
            "2001:0:5ef5:79fb:0:5ef5:3fff:fdfe, 64, 192.0.2.1",
            "64:ff9b:1::203.0.113.7, 64, 203.0.113.7",                  // NAT64, local-use prefix (RFC 8215)
            "64:ff9b:1:ab:0:1:c000:201, 48, 192.0.2.1",
            "64:ff9b::203.0.113.7, 64, 203.0.113.7",                    // NAT64, well-known prefix, as before
    })
    void network_ipv6CarryingAnIpv4Address_isThatIpv4Address(String literal, int prefix, String ipv4) {
        String canonical = IpAddresses.canonical(literal).orElseThrow();

        assertEquals(ipv4, IpAddresses.network(canonical, prefix));
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:1:2::7, 2001:db8:1:2:0:0:0:0/64",                 // documentation space is not Teredo
            "2001:1::1, 2001:1:0:0:0:0:0:0/64",                         // 2001:1::/32 is not Teredo either
            "2003:cb00:7107::1, 2003:cb00:7107:0:0:0:0:0/64",           // nor 2003::/16 6to4
            "64:ff9b:2::c000:201, 64:ff9b:2:0:0:0:0:0/64",              // outside 64:ff9b:1::/48
            "::ffff:1:203.0.113.7, 0:0:0:0:0:0:0:0/64",                 // neither mapped nor translated
    })
    void network_lookalikes_stayIpv6(String literal, String network) {
        assertEquals(network, IpAddresses.network(IpAddresses.canonical(literal).orElseThrow(), 64));
    }

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.0/24",
            "0.0.0.0, 0.0.0.0/24",
            "2001:db8:1:ab00::7, 2001:db8:1::/48",
            "2001:db8::7, 2001:db8:0::/48",
            "::1, 0:0:0::/48",
            "2002:cb00:7107::1, 203.0.113.0/24",
            "2001:0:4136:e378:8000:f227:34ff:8ef8, 203.0.113.0/24",
            "::ffff:203.0.113.7, 203.0.113.0/24",
            "64:ff9b::203.0.113.7, 203.0.113.0/24",
    })
    void masked_showsTheNetworkOnly(String literal, String masked) {
        assertEquals(masked, IpAddresses.masked(IpAddresses.canonical(literal).orElseThrow()));
    }
}
