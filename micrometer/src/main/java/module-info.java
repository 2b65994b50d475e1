/**
 * Micrometer meters from an otpengine's events: {@link dev.otpengine.micrometer.OtpMeters}.
 */
module dev.otpengine.micrometer {
    requires transitive dev.otpengine;
    requires transitive micrometer.core; // an automatic module: micrometer-core ships no module-info

    exports dev.otpengine.micrometer;
}
