package dev.otpengine.store.support;

import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A recipient as stores write it, and its addresses as index keys. */
final class RecipientCodecTest {

    private final Recipient all = Recipient.builder().phone("+12025550162").email("ann@example.com")
            .address("chat", "ann-42").build();

    @Test
    void encode_thenDecode_givesTheSameRecipient() {
        assertEquals("phone\t+12025550162\nemail\tann@example.com\nchat\tann-42", RecipientCodec.encode(all));
        assertEquals(all, RecipientCodec.decode(RecipientCodec.encode(all)));
        assertEquals("encoded recipient has a line without kind<TAB>value",
                assertThrows(IllegalArgumentException.class, () -> RecipientCodec.decode("phone")).getMessage());
    }

    @Test
    void addressKeys_areSorted_plainForPhoneAndEmail_kindPrefixedOtherwise() {
        assertEquals(List.of("+12025550162", "ann@example.com", "chat:ann-42"), RecipientCodec.addressKeys(all));
        assertEquals("ann@gmail.com", RecipientCodec.addressKey(Recipient.EMAIL, "a.nn+promo@googlemail.com"),
                "an email's slot is its inbox");
        Recipient unsorted = Recipient.builder().address("zulu", "z-1").address("chat", "ann-42").build();
        assertEquals(List.of("chat:ann-42", "zulu:z-1"), RecipientCodec.addressKeys(unsorted));
    }
}
