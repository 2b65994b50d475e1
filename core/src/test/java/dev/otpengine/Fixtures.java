package dev.otpengine;

import java.util.UUID;

/** Ids and addresses the tests share. */
final class Fixtures {

    static final UUID WIDGET_ID = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    static final UUID OTHER_WIDGET_ID = UUID.fromString("d385ab22-0f51-4b97-9ecd-b8ff3fd4fcb6");
    static final String PHONE = "+79991234567";
    static final String EMAIL = "ann@example.com";
    static final String IP = "203.0.113.7";

    private Fixtures() {
    }

    /** The n-th of 10,000 distinct Russian mobile numbers. */
    static String phone(int n) {
        return String.format(java.util.Locale.ROOT, "+7999100%04d", n);
    }

    static Widget.Builder widget() {
        return Widget.builder(WIDGET_ID).name("Acme");
    }

    static SendRequest toPhone() {
        return SendRequest.builder(WIDGET_ID).phone(PHONE).userIp(IP).build();
    }

    static SendRequest toPhoneAndEmail() {
        return SendRequest.builder(WIDGET_ID).phone(PHONE).email(EMAIL).userIp(IP).build();
    }
}
