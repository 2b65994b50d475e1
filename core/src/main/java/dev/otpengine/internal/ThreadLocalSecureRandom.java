package dev.otpengine.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One {@link SecureRandom} per thread, each a NIST SP 800-90A {@code DRBG} seeded by the JDK from the operating
 * system. The default {@code NativePRNG} shares one lock between all its instances, so that two sending threads
 * would wait on each other for every code; a DRBG per thread never does.
 *
 * <p>Thread-safe: each thread draws from its own generator.
 */
public final class ThreadLocalSecureRandom implements CodeGenerator.RandomBytes {

    private final ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(ThreadLocalSecureRandom::newRandom);

    @Override
    public void nextBytes(byte[] bytes) {
        randoms.get().nextBytes(bytes);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // a JDK without DRBG: the platform default
        }
    }
}
