/**
 * Test support for applications that embed otpengine: {@link dev.otpengine.testkit.CapturingChannel},
 * {@link dev.otpengine.testkit.TestClock} and {@link dev.otpengine.testkit.OtpArbitraries}.
 */
module dev.otpengine.testkit {
    requires transitive dev.otpengine;
    requires transitive net.jqwik.api;

    exports dev.otpengine.testkit;
}
