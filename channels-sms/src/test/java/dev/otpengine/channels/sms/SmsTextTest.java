package dev.otpengine.channels.sms;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

final class SmsTextTest {

    @Test
    void boundaries_160And161Septets_70And71Ucs2Units() {
        assertEquals(1, SmsText.of("a".repeat(160)).segments());
        assertEquals(2, SmsText.of("a".repeat(161)).segments());
        assertEquals(2, SmsText.of("a".repeat(306)).segments());
        assertEquals(3, SmsText.of("a".repeat(307)).segments());
        assertEquals(1, SmsText.of("я".repeat(70)).segments());
        assertEquals(2, SmsText.of("я".repeat(71)).segments());
        assertEquals(2, SmsText.of("я".repeat(134)).segments());
        assertEquals(3, SmsText.of("я".repeat(135)).segments());
    }

    @Test
    void extensionCharacters_costTwoSeptets() {
        assertEquals(1, SmsText.of("€".repeat(80)).segments());
        assertEquals(2, SmsText.of("€".repeat(81)).segments());
        assertEquals(SmsText.Encoding.GSM7, SmsText.of("{[€]}").encoding());
    }

    @Test
    void oneCharacterOutsideGsm_makesTheWholeTextUcs2() {
        SmsText sms = SmsText.of("123456 is your code ✓");

        assertEquals(SmsText.Encoding.UCS2, sms.encoding());
        assertArrayEquals("123456 is your code ✓".getBytes(StandardCharsets.UTF_16BE), sms.bytes(sms.parts().get(0)));
    }

    @Test
    void gsm7Bytes_areUnpackedSeptets_withEscapes() {
        SmsText sms = SmsText.of("A@€");

        assertArrayEquals(new byte[] {0x41, 0x00, 0x1B, 0x65}, sms.bytes("A@€"));
        assertEquals("A@€", SmsText.decodeGsm7(sms.bytes("A@€")));
    }
}
