package dev.otpengine.channels.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.ChannelContractTest;
import dev.otpengine.spi.ChannelSettings;
import dev.otpengine.spi.Recipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/** The channel contract, against GreenMail (working) and a port nothing listens on (failing). */
final class EmailChannelContractTest extends ChannelContractTest {

    private final GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    @BeforeEach
    void start() {
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private static Channel channel(String host, int port) {
        return new EmailChannelProvider().create(ChannelSettings.forChannel("email", Map.of("email.smtp.host", host,
                "email.smtp.port", Integer.toString(port), "email.smtp.security", "none", "email.from", "no-reply@acme.test",
                "email.smtp.connectTimeout", "2s")));
    }

    @Override
    protected Channel workingChannel() {
        return channel(greenMail.getSmtp().getBindTo(), greenMail.getSmtp().getPort());
    }

    @Override
    protected Channel failingChannel() {
        return channel("127.0.0.1", 1);
    }

    @Override
    protected Recipient reachable() {
        return Recipient.ofEmail("ann@example.com");
    }

    @Override
    protected Recipient unreachable() {
        return Recipient.ofPhone("+79991234567");
    }
}
