package dev.otpengine.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;


/**
 * The least work any engine with our guarantees must do for one send and verify: draw a code with
 * {@link SecureRandom}, HMAC-SHA256 it, put the hash in a bounded Caffeine cache, take it out again, HMAC the
 * guess and compare with {@link MessageDigest#isEqual}. Per-thread {@code SecureRandom} and {@code Mac}, no
 * request id, no limits, no channel, no validation: a bound, not a competitor.
 */
@State(Scope.Benchmark)
public class FloorBench extends JmhSettings {

    private final Cache<Long, byte[]> cache = Caffeine.newBuilder().maximumSize(1_000_000).build();
    private final SecretKeySpec key = new SecretKeySpec(new byte[32], "HmacSHA256");

    /** One thread's tools. */
    @State(Scope.Thread)
    public static class Tools {
        SecureRandom random;
        Mac mac;
        long next;

        /**
         * @param floor the shared state, for its key
         * @throws GeneralSecurityException never on a JDK 17
         */
        @Setup
        public void setUp(FloorBench floor) throws GeneralSecurityException {
            random = new SecureRandom();
            mac = Mac.getInstance("HmacSHA256");
            mac.init(floor.key);
            next = Thread.currentThread().getId() << 40;
        }
    }

    boolean sendAndVerify(Tools t) {
        long id = t.next++;
        byte[] code = new byte[6];
        t.random.nextBytes(code);
        for (int i = 0; i < code.length; i++) {
            code[i] = (byte) ('0' + (code[i] & 0xFF) % 10); // the floor ignores modulo bias; the engine does not
        }
        byte[] stored = t.mac.doFinal(code);
        cache.put(id, stored);
        byte[] found = cache.asMap().remove(id);
        byte[] guess = t.mac.doFinal(code);
        return MessageDigest.isEqual(found, guess);
    }

    /**
     * One thread.
     *
     * @param tools the thread's tools
     * @return whether the code matched
     */
    @Benchmark
    @Threads(1)
    public boolean floor_1thread(Tools tools) {
        return sendAndVerify(tools);
    }

    /**
     * Two threads at once.
     *
     * @param tools the thread's tools
     * @return whether the code matched
     */
    @Benchmark
    @Threads(2)
    public boolean floor_2threads(Tools tools) {
        return sendAndVerify(tools);
    }
}
