/**
 * Test support for applications that embed otpengine, for test scope: a {@link dev.otpengine.testkit.CapturingChannel}
 * that hands tests the codes the engine sent, a {@link dev.otpengine.testkit.TestClock} for virtual time, and jqwik
 * {@link dev.otpengine.testkit.OtpArbitraries} of phones, emails, IP addresses and widgets, valid and invalid.
 */
package dev.otpengine.testkit;
