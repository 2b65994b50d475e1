package dev.otpengine.bench;

import java.util.Locale;
import java.util.UUID;

/** The benchmark's users: a large pool of distinct phones and IPv4 addresses, and many widgets. */
final class Traffic {

    /** Distinct recipients and IPs: {@value}. */
    static final int POOL = 1 << 20;
    /** Widgets the sends are spread over: {@value}. */
    static final int WIDGETS = 1000;

    static final String[] PHONES = new String[POOL];
    static final String[] IPS = new String[POOL];
    static final UUID[] WIDGET_IDS = new UUID[WIDGETS];

    static {
        for (int i = 0; i < POOL; i++) {
            PHONES[i] = String.format(Locale.ROOT, "+7999%07d", i);
            IPS[i] = "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
        }
        for (int w = 0; w < WIDGETS; w++) {
            WIDGET_IDS[w] = new UUID(0x0b0b_0000_0000_4000L, 0x8000_0000_0000_0000L | w);
        }
    }

    private Traffic() {
    }
}
