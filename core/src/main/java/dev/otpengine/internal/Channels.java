package dev.otpengine.internal;

import java.util.regex.Pattern;

/** What a channel id may look like: lowercase letters, digits, {@code -} and {@code _}, at most 32. */
public final class Channels {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private Channels() {
    }

    /**
     * Whether a channel id is well formed.
     *
     * @param id the id
     * @return {@code true} if it is lowercase letters, digits, {@code -} and {@code _}, 1 to 32 characters
     */
    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }
}
