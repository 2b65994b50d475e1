package dev.otpengine.bench;

import dev.otpengine.OtpEngine;
import dev.otpengine.RateLimits;
import dev.otpengine.SendRequest;
import dev.otpengine.Widget;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.InMemoryOneTimeTokenService;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

/**
 * Heap retained per pending code: the used heap after a full GC with {@value #CODES} codes sent and never verified,
 * minus the used heap before, divided by {@value #CODES}. The same for Spring Security's in-memory tokens. Run in
 * its own JVM (see BENCHMARKS.md); {@code -Xmx2g} leaves the collector no reason to keep garbage.
 */
public final class HeapPerCode {

    static final int CODES = 1_000_000;

    private HeapPerCode() {
    }

    /**
     * Measures and prints.
     *
     * @param args {@code otpengine} or {@code springOtt}; both when empty
     * @throws InterruptedException if interrupted while the collector settles
     */
    public static void main(String[] args) throws Exception {
        boolean all = args.length == 0;
        if (all || args[0].equals("otpengine")) {
            measureEngine();
        }
        if (all || args[0].equals("springOtt")) {
            measureSpring();
        }
    }

    private static void measureEngine() throws InterruptedException {
        AcceptingChannel channel = new AcceptingChannel(false);
        UUID widget = UUID.fromString("123634df-ddfe-4dda-b31d-f3b4e75fc5dc");
        // Phones are built per send (as requests bring them), so the count includes the strings the engine keeps.
        try (OtpEngine engine = OtpEngine.builder().channel(channel)
                .rateLimits(RateLimits.unlimited()).widget(Widget.builder(widget).name("Acme").build()).build()) {
            long before = usedAfterGc();
            for (int i = 0; i < CODES; i++) {
                engine.send(SendRequest.builder(widget).phone(String.format(Locale.ROOT, "+7999%07d", i)).build());
            }
            long after = usedAfterGc();
            report("otpengine", before, after);
        }
    }

    /**
     * Spring's {@code generate} scans every stored token once 100 are stored, so a million through it would take
     * hours (O(n^2)). This stores what {@code generate} stores, the same objects built the same way (a
     * {@code DefaultOneTimeToken} of a random UUID's text, the username, and now plus five minutes, under the token's
     * text), straight into the service's own map, and checks on the way that {@code consume} finds them.
     */
    private static void measureSpring() throws Exception {
        InMemoryOneTimeTokenService service = new InMemoryOneTimeTokenService();
        Field field = InMemoryOneTimeTokenService.class.getDeclaredField("oneTimeTokenByToken");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, OneTimeToken> tokens = (Map<String, OneTimeToken>) field.get(service);
        long before = usedAfterGc();
        for (int i = 0; i < CODES; i++) {
            String token = UUID.randomUUID().toString();
            String user = String.format(Locale.ROOT, "+7999%07d", i);
            tokens.put(token, new DefaultOneTimeToken(token, user, Instant.now().plusSeconds(300)));
        }
        long after = usedAfterGc();
        report("springOtt", before, after);
        String someToken = tokens.keySet().iterator().next();
        if (service.consume(new OneTimeTokenAuthenticationToken(someToken)) == null) {
            throw new IllegalStateException("Spring's service did not find a token stored its way");
        }
    }

    private static void report(String name, long before, long after) {
        double perCode = (after - before) / (double) CODES;
        System.out.printf(Locale.ROOT, "%s: %,d pending, %,.1f MB retained, %.0f bytes per pending code%n", name, CODES,
                (after - before) / 1e6, perCode);
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
