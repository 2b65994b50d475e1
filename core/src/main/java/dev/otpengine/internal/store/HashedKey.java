package dev.otpengine.internal.store;

/**
 * A bucket's key with a hash an attacker cannot aim: equal by the key string, hashed by {@link KeyedHash}. Caffeine
 * picks the map bin and the frequency-sketch counters that decide eviction from {@link #hashCode()}, so with a plain
 * {@code String.hashCode()} (trivial to collide: "Aa" and "BB") phones made to collide with a victim's would share its
 * counters and could push it out.
 */
final class HashedKey {

    private final String key;
    private final int hash;

    HashedKey(String key, KeyedHash hash) {
        this.key = key;
        long h = hash.hash(key);
        this.hash = (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashedKey && ((HashedKey) o).hash == hash && ((HashedKey) o).key.equals(key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "HashedKey[" + hash + "]"; // the key may hold a phone or an email
    }
}
