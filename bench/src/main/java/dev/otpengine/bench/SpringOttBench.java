package dev.otpengine.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.InMemoryOneTimeTokenService;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;


/**
 * The in-process peer: Spring Security's {@link InMemoryOneTimeTokenService}, one {@code generate} and one
 * {@code consume} per operation, with {@code live} tokens generated and never consumed beforehand. Its
 * {@code generate} walks every token to drop expired ones once 100 or more are stored, which is what the 10,000
 * live tokens show.
 */
@State(Scope.Benchmark)
public class SpringOttBench extends JmhSettings {

    /** Tokens left live before the measurement: 0 or 10,000. */
    @Param({"0", "10000"})
    public int live;

    private InMemoryOneTimeTokenService service;
    private int next;

    /** Makes the service and its live tokens. */
    @Setup(Level.Trial)
    public void setUp() {
        service = new InMemoryOneTimeTokenService();
        for (int i = 0; i < live; i++) {
            service.generate(new GenerateOneTimeTokenRequest("parked-" + i));
        }
    }

    /**
     * Generate and consume one token.
     *
     * @return the consumed token
     */
    @Benchmark
    @Threads(1)
    public OneTimeToken springOtt_1thread() {
        String user = Traffic.PHONES[next++ & (Traffic.POOL - 1)];
        OneTimeToken token = service.generate(new GenerateOneTimeTokenRequest(user));
        OneTimeToken consumed = service.consume(new OneTimeTokenAuthenticationToken(token.getTokenValue()));
        if (consumed == null) {
            throw new IllegalStateException("a token did not verify");
        }
        return consumed;
    }
}
