package dev.otpengine.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals strictly, without ever asking DNS: {@link InetAddress#getByName} is only
 * given text already checked to be a literal. The canonical form makes {@code ::1} and
 * {@code 0:0:0:0:0:0:0:1}, or {@code ::ffff:1.2.3.4} and {@code 1.2.3.4}, one key for per-IP limits.
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
     * What per-IP limits count by: an IPv4 address itself, an IPv6 address its /64 network, since one end user is
     * usually handed a whole /64 and could otherwise step through 2<sup>64</sup> addresses.
     *
     * @param canonical a {@link #canonical} form
     * @return the address, or for IPv6 its first four groups followed by {@code ::/64}
     */
    public static String network(String canonical) {
        if (canonical.indexOf(':') < 0) {
            return canonical;
        }
        // The canonical IPv6 form is the full eight groups, uncompressed: the fourth colon ends the /64.
        int end = -1;
        for (int colons = 0; colons < 4; colons++) {
            end = canonical.indexOf(':', end + 1);
        }
        return canonical.substring(0, end) + "::/64";
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
