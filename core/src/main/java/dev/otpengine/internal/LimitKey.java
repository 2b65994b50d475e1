package dev.otpengine.internal;

import java.util.UUID;

/**
 * What one counter counts: a widget's calls from one IP network ({@code kind} null), or to one address of one kind.
 *
 * @param widgetId the widget, or {@code null} for verifications of an unknown request id
 * @param kind the address kind, or {@code null} for an IP
 * @param value the IP network or the normalized address
 */
record LimitKey(UUID widgetId, String kind, String value) {

    @Override
    public String toString() {
        // The value may be a phone or an email: keys reach messages only masked.
        return "LimitKey[widgetId=" + widgetId + ", kind=" + kind + ", value="
                + (kind == null ? value : dev.otpengine.spi.Recipient.masked(kind, value)) + "]";
    }
}
