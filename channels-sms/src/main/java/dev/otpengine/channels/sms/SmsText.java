package dev.otpengine.channels.sms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text as an SMS carries it: GSM 7-bit when every character is in the GSM 03.38 default alphabet or its
 * extension table (which costs two septets each), else UCS-2; one segment up to 160 septets or 70 UTF-16 units,
 * else segments of 153 or 67 (a concatenation header takes the rest), never splitting an escape pair or a
 * surrogate pair.
 *
 * @param text the whole text
 * @param encoding how it is encoded
 * @param parts the segments, in order; joined they are the text
 */
record SmsText(String text, Encoding encoding, List<String> parts) {

    /** The two encodings an SMS text uses. */
    enum Encoding {
        /** GSM 03.38 7-bit default alphabet: SMPP data_coding 0. */
        GSM7(160, 153),
        /** UTF-16 big-endian: SMPP data_coding 8. */
        UCS2(70, 67);

        final int single;
        final int multi;

        Encoding(int single, int multi) {
            this.single = single;
            this.multi = multi;
        }
    }

    /** The GSM 03.38 default alphabet by septet value; position 0x1B is the escape to the extension table. */
    static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: each character is sent as 0x1B and the septet at the same index in {@link #GSM7_EXTENSION_CODES}. */
    static final String GSM7_EXTENSION = "\f^{}\\[~]|€";
    static final byte[] GSM7_EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    static SmsText of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an SMS text must not be empty");
        }
        Encoding encoding = isGsm7(text) ? Encoding.GSM7 : Encoding.UCS2;
        int total = 0;
        for (int i = 0; i < text.length(); i++) {
            total += units(encoding, text.charAt(i));
        }
        if (total <= encoding.single) {
            return new SmsText(text, encoding, List.of(text));
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = encoding == Encoding.UCS2 && Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            int need = pair ? 2 : units(encoding, c);
            if (used + need > encoding.multi) {
                parts.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += need;
            if (pair) {
                i++; // the low surrogate travels with its high one
            }
        }
        parts.add(text.substring(start));
        return new SmsText(text, encoding, List.copyOf(parts));
    }

    int segments() {
        return parts.size();
    }

    static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u001B' || GSM7_BASIC.indexOf(c) < 0 && GSM7_EXTENSION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int units(Encoding encoding, char c) {
        return encoding == Encoding.GSM7 && GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
    }

    /** One part's bytes as SMPP carries them: unpacked septets for GSM-7, UTF-16BE for UCS-2. */
    byte[] bytes(String part) {
        if (encoding == Encoding.UCS2) {
            return part.getBytes(StandardCharsets.UTF_16BE);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length() + 8);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            int ext = GSM7_EXTENSION.indexOf(c);
            if (ext >= 0) {
                out.write(0x1B);
                out.write(GSM7_EXTENSION_CODES[ext]);
            } else {
                out.write(GSM7_BASIC.indexOf(c));
            }
        }
        return out.toByteArray();
    }

    /** The inverse of {@link #bytes} for GSM-7, for tests and for SMSC peers. */
    static String decodeGsm7(byte[] septets) {
        StringBuilder out = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int b = septets[i] & 0x7F;
            if (b == 0x1B && i + 1 < septets.length) {
                int code = septets[++i];
                for (int k = 0; k < GSM7_EXTENSION_CODES.length; k++) {
                    if (GSM7_EXTENSION_CODES[k] == code) {
                        out.append(GSM7_EXTENSION.charAt(k));
                    }
                }
            } else {
                out.append(GSM7_BASIC.charAt(b));
            }
        }
        return out.toString();
    }
}
