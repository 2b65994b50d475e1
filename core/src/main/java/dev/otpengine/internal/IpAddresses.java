package dev.otpengine.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals strictly, without ever asking DNS: {@link InetAddress#getByName} is only
 * given text already checked to be a literal. The canonical form makes {@code ::1} and
 * {@code 0:0:0:0:0:0:0:1}, or {@code ::ffff:1.2.3.4} and {@code 1.2.3.4}, one key for per-IP limits; {@link #network}
 * then counts every IPv6 form that carries an IPv4 address as that address.
 *
 * <p><b>Thread-safety:</b> stateless; thread-safe.
 */
public final class IpAddresses {

    private static final int MAX_LENGTH = 45;

    private IpAddresses() {
    }

    /**
     * The canonical form of an IPv4 or IPv6 literal.
     *
     * @param text dotted-quad IPv4 (no leading zeros) or IPv6 (RFC 4291 text, no zone, no brackets)
     * @return the canonical form, or empty if {@code text} is not such a literal
     */
    public static Optional<String> canonical(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (isIpv4(text, 0, text.length())) {
            return Optional.of(text); // four decimal octets without leading zeros are already canonical
        }
        if (!isIpv6(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getHostAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * What per-IP limits count by, with IPv6 addresses counted by their /64 network; see {@link #network(String, int)}.
     *
     * @param canonical a {@link #canonical} form
     * @return the address, or for IPv6 its /64 network
     */
    public static String network(String canonical) {
        return network(canonical, 64);
    }

    /**
     * What per-IP limits count by: an IPv4 address itself; an IPv6 address that carries an IPv4 one that IPv4 address,
     * since it is the one user behind it (see {@link #carriedIpv4}); any other IPv6 address its network of
     * {@code prefix} bits, since one end user is usually handed a whole /64 (and one customer up to a /48) and could
     * otherwise step through its addresses.
     *
     * @param canonical a {@link #canonical} form
     * @param prefix how many leading bits name an IPv6 network, from 1 to 128
     * @return the IPv4 address, or the IPv6 network as its eight groups (bits past the prefix zero), {@code /} and the
     *     prefix, such as {@code 2001:db8:1:0:0:0:0:0/48}
     */
    public static String network(String canonical, int prefix) {
        if (canonical.indexOf(':') < 0) {
            return canonical;
        }
        byte[] bytes = ipv6Bytes(canonical);
        String ipv4 = carriedIpv4(bytes);
        if (ipv4 != null) {
            return ipv4;
        }
        StringBuilder network = new StringBuilder(48);
        for (int group = 0; group < 8; group++) {
            int bitsKept = Math.max(0, Math.min(16, prefix - 16 * group));
            int value = ((bytes[2 * group] & 0xFF) << 8 | (bytes[2 * group + 1] & 0xFF)) & (0xFFFF0000 >>> bitsKept);
            if (group > 0) {
                network.append(':');
            }
            network.append(Integer.toHexString(value & 0xFFFF));
        }
        return network.append('/').append(prefix).toString();
    }

    /**
     * What a request's {@code toString} shows of its IP: the network it counts in, never the address. An IPv4 address
     * (or an IPv6 one that carries it, see {@link #carriedIpv4}) shows its /24, such as {@code 203.0.113.0/24}; any
     * other IPv6 address its /48, such as {@code 2001:db8:1::/48}: enough to tell networks and abuse apart in a log,
     * not to name a household.
     *
     * @param canonical a {@link #canonical} form
     * @return the masked form
     */
    public static String masked(String canonical) {
        String counted = network(canonical, 128);
        if (counted.indexOf(':') < 0) {
            return counted.substring(0, counted.lastIndexOf('.')) + ".0/24";
        }
        String[] groups = counted.split(":", 4);
        return groups[0] + ':' + groups[1] + ':' + groups[2] + "::/48";
    }

    /**
     * The IPv4 address an IPv6 one carries, or null. These count as the IPv4 address for every IP limit, since each
     * stands for one IPv4 host (and would otherwise let it spend a budget of its own under each spelling, or put every
     * user of one relay under one /64):
     * <ul>
     *   <li>NAT64's well-known prefix {@code 64:ff9b::/96} (RFC 6052) and its local-use {@code 64:ff9b:1::/48}
     *       (RFC 8215), the IPv4 address in the last 32 bits, as a translator configured with a /96 inside it writes
     *       it;</li>
     *   <li>SIIT's IPv4-translated {@code ::ffff:0:a.b.c.d} (RFC 2765);</li>
     *   <li>6to4's {@code 2002:AABB:CCDD::/48} (RFC 3056): the site's IPv4 address in bits 16 to 47, whatever the
     *       subnet and host;</li>
     *   <li>Teredo's {@code 2001:0::/32} (RFC 4380): the client's IPv4 address in the last 32 bits, each bit
     *       inverted; the server, flags and port before it do not matter;</li>
     *   <li>the deprecated IPv4-compatible {@code ::/96}, but for {@code ::} and {@code ::1}.</li>
     * </ul>
     * (IPv4-mapped {@code ::ffff:a.b.c.d} is made IPv4 already by {@link #canonical}.)
     */
    private static String carriedIpv4(byte[] a) {
        int first = (a[0] & 0xFF) << 8 | (a[1] & 0xFF);
        int second = (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
        if (first == 0x0064 && second == 0xff9b && (zero(a, 4, 12) || (a[4] == 0 && a[5] == 1))) {
            return ipv4(a, 12, 0);
        }
        if (zero(a, 0, 8) && (a[8] & 0xFF) == 0xff && (a[9] & 0xFF) == 0xff && a[10] == 0 && a[11] == 0) {
            return ipv4(a, 12, 0);
        }
        if (first == 0x2002) {
            return ipv4(a, 2, 0);
        }
        if (first == 0x2001 && second == 0) {
            return ipv4(a, 12, 0xFF);
        }
        if (zero(a, 0, 12) && !zero(a, 12, 15)) {
            return ipv4(a, 12, 0);
        }
        return null;
    }

    /** The dotted quad of four bytes from {@code from}, each XORed with {@code invert}. */
    private static String ipv4(byte[] a, int from, int invert) {
        return ((a[from] ^ invert) & 0xFF) + "." + ((a[from + 1] ^ invert) & 0xFF) + "."
                + ((a[from + 2] ^ invert) & 0xFF) + "." + ((a[from + 3] ^ invert) & 0xFF);
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 16 bytes of a canonical IPv6 form: eight hexadecimal groups, as {@link #canonical} writes them. */
    private static byte[] ipv6Bytes(String canonical) {
        byte[] bytes = new byte[16];
        int group = 0;
        int value = 0;
        for (int i = 0; i <= canonical.length(); i++) {
            if (i == canonical.length() || canonical.charAt(i) == ':') {
                bytes[2 * group] = (byte) (value >>> 8);
                bytes[2 * group + 1] = (byte) value;
                group++;
                value = 0;
            } else {
                value = value << 4 | Character.digit(canonical.charAt(i), 16);
            }
        }
        if (group != 8) {
            throw new IllegalArgumentException("not a canonical IPv6 address: " + canonical);
        }
        return bytes;
    }

    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return false;
    }

    static boolean isIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int lastColon = s.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        if (s.indexOf('.', lastColon) < 0) {
            return hexGroups(s, 0, s.length(), doubleColon, 8);
        }
        // An IPv4 tail stands for the last two groups; the hex part ends before its colon, unless that
        // colon is the second of a "::".
        if (!isIpv4(s, lastColon + 1, s.length())) {
            return false;
        }
        int hexEnd = doubleColon >= 0 && doubleColon + 1 == lastColon ? lastColon + 1 : lastColon;
        return hexGroups(s, 0, hexEnd, doubleColon, 6);
    }

    private static boolean hexGroups(String s, int from, int to, int doubleColon, int groupsNeeded) {
        int groups = 0;
        int i = from;
        while (i < to) {
            if (i == doubleColon) {
                i += 2;
                continue;
            }
            int start = i;
            while (i < to && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                i++;
            }
            if (i - start == 0 || i - start > 4) {
                return false;
            }
            groups++;
            if (i < to) {
                if (s.charAt(i) != ':') {
                    return false;
                }
                if (i != doubleColon) {
                    i++;
                    if (i == to) {
                        return false; // a trailing single colon
                    }
                }
            }
        }
        return doubleColon >= 0 ? groups < groupsNeeded : groups == groupsNeeded;
    }
}
