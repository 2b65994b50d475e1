package dev.otpengine.internal;

import dev.otpengine.Widget;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The send path's window onto a widget's test recipients' fixed codes, which {@link Widget} keeps out of its public
 * API: {@code Widget} installs its package-private lookup here when its class is initialized, before any widget
 * exists.
 */
public final class TestCodes {

    private static volatile BiFunction<Widget, String, String> lookup;

    private TestCodes() {
    }

    /**
     * Installs the lookup; {@link Widget} does, once.
     *
     * @param widgetLookup gives a widget's fixed code for an address, or {@code null}
     * @throws IllegalStateException if one was installed already
     */
    public static synchronized void install(BiFunction<Widget, String, String> widgetLookup) {
        if (lookup != null) {
            throw new IllegalStateException("the test-code lookup is installed already");
        }
        lookup = Objects.requireNonNull(widgetLookup, "widgetLookup");
    }

    /**
     * The fixed code of a test recipient.
     *
     * @param widget the widget
     * @param address a normalized phone or email
     * @return its code, or {@code null} if the address is not one of the widget's test recipients
     */
    static String of(Widget widget, String address) {
        return lookup.apply(widget, address);
    }
}
