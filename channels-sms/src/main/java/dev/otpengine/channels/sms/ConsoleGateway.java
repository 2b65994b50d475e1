package dev.otpengine.channels.sms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * For development: prints each SMS to standard output, code included, and sends nothing. It says so at start, at
 * WARN, so that it is not left on in production by mistake.
 */
final class ConsoleGateway implements SmsGateway {

    static final String NAME = "console";

    private static final Logger log = LoggerFactory.getLogger(ConsoleGateway.class);

    private final PrintStream out;

    ConsoleGateway(PrintStream out) {
        this.out = out;
        log.warn("sms.gateway=console: SMS texts are printed to standard output and nothing is sent; "
                + "use it for development only");
    }

    /** @return {@code true}: printing a few lines does not wait on anything outside the process */
    @Override
    public boolean sendsAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<Accepted> send(UUID requestId, String to, SmsText text) {
        // random, not counted: a counter starts at 1 in every process, and on a shared store the message ids of two
        // instances would collide, tying one's delivery reports to the other's codes
        String id = "console-" + UUID.randomUUID();
        synchronized (out) {
            out.println("[otpengine SMS to " + to + ", " + text.segments() + " segment(s), " + text.encoding() + "]");
            out.println(text.text());
            out.flush();
        }
        return CompletableFuture.completedFuture(new Accepted(NAME, id));
    }
}
