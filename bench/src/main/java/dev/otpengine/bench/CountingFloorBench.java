package dev.otpengine.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

import java.security.GeneralSecurityException;
import java.util.UUID;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;


/**
 * {@link FloorBench}'s login plus the least counting a login under {@code RateLimits.defaults()} needs when counters
 * live in bounded Caffeine caches, as the brief has them: a bound, not a competitor, for what the default limits can
 * cost at best. Each counter is a {@code long[1]} changed in place inside Caffeine's {@code compute}; keys are the
 * pool's own strings (no key is built), caches are bounded at the engine's default of 20,000 keys each, and there is
 * no Bucket4j, no refill, no expiry and no tiers. Phones, IPs and widgets come from {@link Traffic}'s pool as in
 * {@link EngineBench}, so each login brings new keys to full caches, as it does there.
 * <ul>
 *   <li>{@code layout=perScope}: one cache per scope and one call per limit, as the engine counts: the send takes
 *       from its IP, its widget, its phone's cooldown and limit, looks for the phone's verified mark and takes from
 *       its country; the verification takes from its IP and the phone's guess budget, gives the budget back, marks
 *       the phone and credits its country. Eleven calls, six of them inserting a new key.</li>
 *   <li>{@code layout=perAddress}: the same counts with one entry per address holding all of that address's counters
 *       (one per IP, one per phone): eight calls, two of them inserting a new key.</li>
 * </ul>
 */
@State(Scope.Benchmark)
public class CountingFloorBench extends JmhSettings {

    /** The engine's default bound per scope: {@value}. */
    static final int KEYS = 20_000;

    /** {@code perScope} or {@code perAddress}. */
    @Param({"perScope", "perAddress"})
    public String layout;

    private static final BiFunction<Object, long[], long[]> TAKE = (key, count) -> {
        if (count == null) {
            return new long[] {1};
        }
        count[0]++;
        return count;
    };
    private static final BiFunction<Object, long[], long[]> GIVE_BACK = (key, count) -> {
        count[0]--;
        return count;
    };
    private static final String COUNTRY = "cc|7";

    private final FloorBench floor = new FloorBench();
    private final ConcurrentMap<Object, long[]> ips = counters();
    private final ConcurrentMap<Object, long[]> verifyIps = counters();
    private final ConcurrentMap<Object, long[]> widgets = counters();
    private final ConcurrentMap<Object, long[]> cooldowns = counters();
    private final ConcurrentMap<Object, long[]> recipients = counters();
    private final ConcurrentMap<Object, long[]> guesses = counters();
    private final ConcurrentMap<Object, long[]> conversion = counters();

    private static ConcurrentMap<Object, long[]> counters() {
        Cache<Object, long[]> cache = Caffeine.newBuilder().maximumSize(KEYS).build();
        return cache.asMap();
    }

    /** One thread's tools and its place in the pool, taken as {@link EngineBench.Cursor} takes it. */
    @State(Scope.Thread)
    public static class Tools {
        final FloorBench.Tools floor = new FloorBench.Tools();
        int next;
        int step;

        /**
         * @param bench the shared state
         * @param thread which thread this is
         * @throws GeneralSecurityException never on a JDK 17
         */
        @Setup
        public void setUp(CountingFloorBench bench, ThreadParams thread) throws GeneralSecurityException {
            floor.setUp(bench.floor);
            next = thread.getThreadIndex();
            step = thread.getThreadCount();
        }
    }

    boolean login(Tools t) {
        int at = t.next & (Traffic.POOL - 1);
        t.next += t.step;
        String phone = Traffic.PHONES[at];
        String ip = Traffic.IPS[at];
        UUID widget = Traffic.WIDGET_IDS[at % Traffic.WIDGETS];
        if ("perScope".equals(layout)) {
            ips.compute(ip, TAKE);
            widgets.compute(widget, TAKE);
            cooldowns.compute(phone, TAKE);
            recipients.compute(phone, TAKE);
            boolean marked = conversion.get(phone) != null;
            if (!marked) {
                conversion.compute(COUNTRY, TAKE);
            }
            boolean verified = floor.sendAndVerify(t.floor);
            verifyIps.compute(ip, TAKE);
            guesses.compute(phone, TAKE);
            guesses.computeIfPresent(phone, GIVE_BACK);
            conversion.compute(phone, TAKE);
            conversion.computeIfPresent(COUNTRY, GIVE_BACK);
            return verified;
        }
        ips.compute(ip, TAKE);
        widgets.compute(widget, TAKE);
        recipients.compute(phone, TAKE); // cooldown, limit and the mark's look in one entry
        conversion.compute(COUNTRY, TAKE);
        boolean verified = floor.sendAndVerify(t.floor);
        ips.compute(ip, TAKE); // the verification's count, in the same entry as the send's
        recipients.compute(phone, TAKE); // the guess budget
        recipients.computeIfPresent(phone, GIVE_BACK); // given back, and the mark set
        conversion.computeIfPresent(COUNTRY, GIVE_BACK);
        return verified;
    }

    /**
     * One thread.
     *
     * @param tools the thread's tools
     * @return whether the code matched
     */
    @Benchmark
    @Threads(1)
    public boolean countingFloor_1thread(Tools tools) {
        return login(tools);
    }

    /**
     * Two threads at once.
     *
     * @param tools the thread's tools
     * @return whether the code matched
     */
    @Benchmark
    @Threads(2)
    public boolean countingFloor_2threads(Tools tools) {
        return login(tools);
    }
}
