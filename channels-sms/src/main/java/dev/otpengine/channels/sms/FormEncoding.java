package dev.otpengine.channels.sms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** {@code application/x-www-form-urlencoded} bodies, as Twilio's and Vonage's APIs take them. */
final class FormEncoding {

    /** The content type of a form body in UTF-8. */
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

    private FormEncoding() {
    }

    /** The fields in their map's order, names and values URL-encoded in UTF-8. */
    static String of(Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }
}
