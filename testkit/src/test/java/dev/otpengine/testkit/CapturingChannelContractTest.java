package dev.otpengine.testkit;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.DeliveryException;
import dev.otpengine.spi.Recipient;

/** The capturing channel keeps the contract every channel keeps, so tests built on it behave like production. */
final class CapturingChannelContractTest extends ChannelContractTest {

    @Override
    protected Channel workingChannel() {
        return CapturingChannel.sms();
    }

    @Override
    protected Channel failingChannel() {
        return CapturingChannel.sms().failWith(DeliveryException.retryable("gateway down"));
    }

    @Override
    protected Recipient reachable() {
        return Recipient.ofPhone("+12025550162");
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofEmail("ann@example.com");
    }
}
