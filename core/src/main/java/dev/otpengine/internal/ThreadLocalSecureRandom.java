package dev.otpengine.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One {@link SecureRandom} per thread, each a NIST SP 800-90A {@code DRBG} seeded by the JDK from the operating
 * system. The default {@code NativePRNG} shares one lock between all its instances, so that two sending threads
 * would wait on each other for every code; a DRBG per thread never does.
 *
 * <p>Each thread draws {@value #BLOCK} bytes at a time and hands them out in order, each byte once, zeroing what it
 * hands out: a DRBG's fixed cost per call (a hash to update its state, and its lock) is paid once per about twenty
 * codes instead of once per code. What is held is no more than the generator's own state already reveals to anyone
 * who can read the heap: a DRBG without prediction resistance, given its state, yields all its future output.
 *
 * <p>Thread-safe: each thread draws from its own generator and buffer.
 */
public final class ThreadLocalSecureRandom implements CodeGenerator.RandomBytes {

    /** How many bytes a thread draws from its generator at a time: {@value}. */
    static final int BLOCK = 512;

    private final ThreadLocal<Block> blocks = ThreadLocal.withInitial(Block::new);

    @Override
    public void nextBytes(byte[] bytes) {
        blocks.get().nextBytes(bytes);
    }

    /** One thread's generator and its bytes not yet handed out. */
    private static final class Block {
        private final SecureRandom random = newRandom();
        private final byte[] bytes = new byte[BLOCK];
        /** The first byte not yet handed out; {@link #BLOCK} when all are. */
        private int next = BLOCK;

        void nextBytes(byte[] out) {
            if (out.length > BLOCK) {
                random.nextBytes(out);
                return;
            }
            int from = 0;
            while (from < out.length) {
                if (next == BLOCK) {
                    random.nextBytes(bytes);
                    next = 0;
                }
                int n = Math.min(out.length - from, BLOCK - next);
                System.arraycopy(bytes, next, out, from, n);
                Arrays.fill(bytes, next, next + n, (byte) 0);
                next += n;
                from += n;
            }
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // a JDK without DRBG: the platform default
        }
    }
}
