package dev.otpengine.channels.email;

import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelProvider;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.testkit.CapturingChannel;

/** An SMS-like channel found by ServiceLoader next to the email channel: the testkit's capturing channel. */
public final class TestSmsChannelProvider implements ChannelProvider {

    static final CapturingChannel SMS = CapturingChannel.reaching("test-sms", r -> r.phone().isPresent());

    @Override
    public String id() {
        return "test-sms";
    }

    @Override
    public Channel create(ChannelSettings settings) {
        return SMS;
    }
}
