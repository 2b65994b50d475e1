package dev.otpengine.channels.sms;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The segment counter, for any text: the encoding, the count and the split agree with GSM 03.38 and 3GPP 23.040. */
final class SmsTextProperties {

    @Provide
    Arbitrary<String> gsm7() {
        return Arbitraries.strings().withChars((SmsText.GSM7_BASIC.replace("\u001B", "") + SmsText.GSM7_EXTENSION).toCharArray())
                .ofMinLength(1).ofMaxLength(700);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(gsm7(),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(400),
                Arbitraries.strings().withCharRange('а', 'я').withChars(' ', '.').ofMinLength(1).ofMaxLength(300),
                Arbitraries.strings().withChars("ab😀€".toCharArray()).ofMinLength(1).ofMaxLength(200)
                        .filter(s -> !s.isEmpty()));
    }

    private static int septets(String s) {
        int n = 0;
        for (char c : s.toCharArray()) {
            n += SmsText.GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
        }
        return n;
    }

    @Property(tries = 500)
    void gsm7Text_countsSeptets_160InOneSegment_153Each(@ForAll("gsm7") String text) {
        SmsText sms = SmsText.of(text);

        assertEquals(SmsText.Encoding.GSM7, sms.encoding());
        int septets = septets(text);
        if (septets <= 160) {
            assertEquals(1, sms.segments());
        } else {
            // never more than the plain count, and at most one more when escape pairs cannot be split
            int plain = (septets + 152) / 153;
            assertTrue(sms.segments() == plain || sms.segments() == plain + 1, sms.segments() + " for " + septets);
        }
        sms.parts().forEach(p -> assertTrue(septets(p) <= (sms.segments() == 1 ? 160 : 153)));
        assertEquals(text, SmsText.decodeGsm7(concat(sms)));
    }

    @Property(tries = 500)
    void anyText_partsJoinBackToTheText_andEachFitsItsSegment(@ForAll("anyText") String text) {
        SmsText sms = SmsText.of(text);

        assertEquals(text, String.join("", sms.parts()));
        assertTrue(sms.segments() >= 1);
        if (sms.encoding() == SmsText.Encoding.UCS2) {
            assertFalse(SmsText.isGsm7(text));
            int limit = sms.segments() == 1 ? 70 : 67;
            for (int i = 0; i < sms.parts().size(); i++) {
                String part = sms.parts().get(i);
                assertTrue(part.length() <= limit, part.length() + " > " + limit);
                boolean split = i + 1 < sms.parts().size() && Character.isHighSurrogate(part.charAt(part.length() - 1))
                        && Character.isLowSurrogate(sms.parts().get(i + 1).charAt(0));
                assertFalse(split, "a surrogate pair was split");
            }
            if (text.length() <= 70) {
                assertEquals(1, sms.segments());
            }
        }
    }

    private static byte[] concat(SmsText sms) {
        List<String> parts = sms.parts();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(sms.bytes(p));
        }
        return out.toByteArray();
    }
}
