package readme;

import dev.otpengine.OtpEngine;
import dev.otpengine.Widget;
import dev.otpengine.internal.store.InProcessStore;
import dev.otpengine.spi.Channel;
import dev.otpengine.spi.DeliveryReceipt;
import dev.otpengine.spi.OtpMessage;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.ForwardingStore;
import dev.otpengine.store.OtpStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the README's java blocks take as given: the names they use without declaring them. Each block is compiled as
 * a class extending this one, so that a block's own declarations hide these (the quick start declares {@code login};
 * the channel example declares its own {@code MySmsChannel}).
 */
public abstract class ReadmeContext {

    /** A widget id. */
    protected final UUID login = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
    /** Another widget id. */
    protected final UUID payments = UUID.fromString("d385ab22-0f51-4b97-9ecd-b8ff3fd4fcb6");
    /** A widget. */
    protected final Widget widget = Widget.builder(login).name("Acme").build();
    /** The user's IP. */
    protected final String userIp = "203.0.113.7";
    /** What the user typed. */
    protected final String typedCode = "123456";
    /** An engine secret. */
    protected final byte[] secret = new byte[32];
    /** The same, from a vault. */
    protected final byte[] secretFromYourVault = secret;
    /** Channel settings. */
    protected final Map<String, String> settings = Map.of();
    /** A store. */
    protected final OtpStore store = new InProcessStore(Clock.systemUTC(), 1_000, 1_000);
    /** An engine, for blocks that use one without building it. */
    protected OtpEngine engine;
    /** The application's captcha service. */
    protected final CaptchaService myCaptchaService = (token, ip) -> true;

    /** An application's captcha service. */
    protected interface CaptchaService {
        /**
         * Checks a token.
         *
         * @param token the token
         * @param userIp the user's IP
         * @return whether a human solved it
         */
        boolean isHuman(String token, String userIp);
    }

    /** A meter registry. */
    protected final MeterRegistry meterRegistry = new SimpleMeterRegistry();
    /** The SMS gateway client of the channel example. */
    protected final Gateway myGateway = (to, text) -> CompletableFuture.completedFuture("msg-1");

    /** An SMS gateway's client. */
    protected interface Gateway {
        /**
         * Sends a text.
         *
         * @param to the phone
         * @param text the text
         * @return the provider's message id
         */
        CompletableFuture<String> sendAsync(String to, String text);
    }

    /** The channel of the quick start, as the README's next block writes it. */
    protected final class MySmsChannel implements Channel {
        @Override
        public String id() {
            return "sms";
        }

        @Override
        public boolean canDeliverTo(Recipient r) {
            return r.phone().isPresent();
        }

        @Override
        public CompletionStage<DeliveryReceipt> deliver(OtpMessage m) {
            return myGateway.sendAsync(m.recipient().phone().orElseThrow(), m.text())
                    .thenApply(id -> new DeliveryReceipt("sms", id, Instant.now()));
        }
    }

    /** A store of one's own, for the contract example: the in-process one, forwarded. */
    protected static final class MyStore extends ForwardingStore {
        /**
         * A store.
         *
         * @param clock the clock
         */
        public MyStore(Clock clock) {
            super(new InProcessStore(clock, 1_000, 1_000));
        }
    }

    /**
     * The environment the examples read their secrets from ({@code System.getenv("SMTP_PASSWORD")}): values shaped as
     * the real ones are, so that the examples run as printed. It hides {@link java.lang.System} in the blocks.
     */
    protected static final class System {
        private static final Map<String, String> ENV = Map.of(
                "SMTP_PASSWORD", "smtp-password",
                "TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
                "TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef");

        private System() {
        }

        /**
         * A variable of the examples' environment.
         *
         * @param name its name
         * @return its value
         */
        public static String getenv(String name) {
            String value = ENV.get(name);
            if (value == null) {
                throw new IllegalArgumentException("the README's examples have no environment variable " + name);
            }
            return value;
        }
    }

    /** @return a thing to close once the block ran, such as the engine it built, or {@code null} */
    public abstract Object run() throws Exception;

    /** Nothing to close, for blocks that are declarations. */
    protected static OtpEngine none() {
        return null;
    }
}
