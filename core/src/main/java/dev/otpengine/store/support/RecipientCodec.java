package dev.otpengine.store.support;

import dev.otpengine.spi.Recipient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A recipient as a store writes it: all of it as one string ({@link #encode}, {@link #decode}), and each of its
 * addresses as one key ({@link #addressKeys}) for the index of "the newest code of a widget at an address".
 *
 * <p>The encoding is {@code kind<TAB>value} per address, one per line. Neither a kind nor a value may hold a control
 * character ({@link Recipient} refuses them), so the separators cannot occur inside.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class RecipientCodec {

    private RecipientCodec() {
    }

    /**
     * A recipient as one string.
     *
     * @param recipient the recipient
     * @return its addresses, {@code kind<TAB>value}, one per line, in the recipient's order
     * @throws NullPointerException if {@code recipient} is null
     */
    public static String encode(Recipient recipient) {
        StringBuilder s = new StringBuilder(64);
        for (Map.Entry<String, String> address : Objects.requireNonNull(recipient, "recipient").addresses().entrySet()) {
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append(address.getKey()).append('\t').append(address.getValue());
        }
        return s.toString();
    }

    /**
     * The recipient {@link #encode} wrote.
     *
     * @param encoded the string
     * @return the recipient
     * @throws NullPointerException if {@code encoded} is null
     * @throws IllegalArgumentException if it is not what {@link #encode} writes
     */
    public static Recipient decode(String encoded) {
        Recipient.Builder b = Recipient.builder();
        for (String line : Objects.requireNonNull(encoded, "encoded").split("\n", -1)) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                throw new IllegalArgumentException("encoded recipient has a line without kind<TAB>value");
            }
            b.address(line.substring(0, tab), line.substring(tab + 1));
        }
        return b.build();
    }

    /**
     * The key of each address of a recipient, sorted (a store that locks one row per address takes the locks in this
     * order, so two puts cannot deadlock): the address itself for a phone ({@code +…}), an email's inbox
     * ({@link Recipient#inbox}: {@code ann+promo@example.com} and {@code ann@example.com} are one slot, so a send to
     * either withdraws the code pending at the other, as they reach one mailbox), which cannot look like a phone, and
     * {@code kind:value} for other kinds, which neither can be.
     *
     * @param recipient the recipient
     * @return the keys, sorted, unmodifiable
     * @throws NullPointerException if {@code recipient} is null
     */
    public static List<String> addressKeys(Recipient recipient) {
        List<String> keys = new ArrayList<>(2);
        for (Map.Entry<String, String> address : Objects.requireNonNull(recipient, "recipient").addresses().entrySet()) {
            keys.add(addressKey(address.getKey(), address.getValue()));
        }
        keys.sort(null);
        return List.copyOf(keys);
    }

    /**
     * The key of one address; see {@link #addressKeys}.
     *
     * @param kind the address's kind ({@link Recipient#PHONE}, {@link Recipient#EMAIL}, or a custom kind)
     * @param address the canonical address (an email as {@link Recipient#normalizeEmail} gives it)
     * @return the key: the phone, the email's inbox, or {@code kind:value}
     * @throws NullPointerException if an argument is null
     */
    public static String addressKey(String kind, String address) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        return Recipient.PHONE.equals(kind) ? address
                : Recipient.EMAIL.equals(kind) ? Recipient.inbox(address) : kind + ':' + address;
    }
}
