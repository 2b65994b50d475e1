package dev.otpengine.bench;

import dev.otpengine.jdbc.JdbcStore;

import java.util.Map;

/**
 * SQL statements and round trips per login of {@link JdbcBench} (two nodes, one PostgreSQL), counted at the JDBC
 * interface by {@link CountingDataSource}: runs 2,000 logins with the given limits and prints each kind of statement
 * divided by the logins.
 * <pre>{@code java -cp bench/target/benchmarks.jar dev.otpengine.bench.JdbcStatementsPerLogin default}</pre>
 */
public final class JdbcStatementsPerLogin {

    private JdbcStatementsPerLogin() {
    }

    /**
     * @param args {@code default} or {@code unlimited}
     */
    public static void main(String[] args) {
        boolean defaults = args.length > 0 && "default".equals(args[0]);
        int logins = 2_000;
        CountingDataSource counting = new CountingDataSource();
        try (BenchPostgres postgres = new BenchPostgres();
             JdbcStore first = JdbcStore.builder(counting.wrap(postgres.first())).cleanupEvery(java.time.Duration.ZERO)
                     .build();
             JdbcStore second = JdbcStore.builder(counting.wrap(postgres.second())).cleanupEvery(java.time.Duration.ZERO)
                     .build();
             Logins l = new Logins(defaults, 0, first, second)) {
            l.login(0);
            counting.reset();
            for (int i = 1; i <= logins; i++) {
                l.login(i);
            }
            Map<String, Long> statements = counting.statements();
            long total = statements.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("limits=%s, %d logins%n", defaults ? "default" : "unlimited", logins);
            statements.forEach((kind, n) -> System.out.printf("  %-8s %6.2f per login%n", kind, n / (double) logins));
            System.out.printf("  %-8s %6.2f per login%n", "all", total / (double) logins);
            System.out.printf("  round trips %6.2f per login%n", counting.roundTrips.get() / (double) logins);
        }
    }
}
