package dev.otpengine.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The floor of {@link JdbcBench}: the statements one login makes, in plain JDBC on the same two HikariCP pools (a
 * login sends on one and verifies on the other), and nothing else — no engine, no code, no HMAC, no Bucket4j
 * arithmetic. The send: the block list's {@code SELECT}; one transaction of the address upsert and the code's
 * {@code INSERT}; the provider id's {@code INSERT}. The verification: the code's {@code SELECT}, the judging
 * {@code UPDATE … RETURNING}. With the default limits, per bucket the engine touches
 * ({@value #BUCKETS_PER_SEND} on a send, {@value #BUCKETS_PER_VERIFY} on a verification, as
 * {@link JdbcStatementsPerLogin} counts them) one transaction: insert-if-absent with {@code SELECT … FOR UPDATE}, the
 * {@code UPDATE} of its state (178 bytes, as Bucket4j writes them), {@code COMMIT}.
 */
@State(Scope.Benchmark)
public class JdbcFloorBench extends JmhSettings {

    /** Buckets a send touches under the default limits. */
    static final int BUCKETS_PER_SEND = 6;
    /** Buckets a verification touches under the default limits. */
    static final int BUCKETS_PER_VERIFY = 5;
    private static final byte[] STATE = new byte[178];
    private static final byte[] TAG = new byte[16];

    /** {@code default}: the buckets of the default limits too; {@code unlimited}: the codes' statements only. */
    @Param({"default", "unlimited"})
    public String limits;

    private BenchPostgres postgres;
    private boolean buckets;

    /** Starts PostgreSQL. */
    @Setup(Level.Trial)
    public void setUp() {
        postgres = new BenchPostgres();
        buckets = "default".equals(limits);
    }

    /** Stops PostgreSQL. */
    @TearDown(Level.Trial)
    public void tearDown() {
        postgres.close();
    }

    /**
     * One login's statements, two threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the judged row's outcome
     * @throws SQLException never, with the server up
     */
    @Benchmark
    @Threads(2)
    public int floor_2threads(EngineBench.Cursor cursor) throws SQLException {
        return login(cursor.take());
    }

    /**
     * One login's statements, eight threads at once.
     *
     * @param cursor the thread's place in the pool
     * @return the judged row's outcome
     * @throws SQLException never, with the server up
     */
    @Benchmark
    @Threads(8)
    public int floor_8threads(EngineBench.Cursor cursor) throws SQLException {
        return login(cursor.take());
    }

    private int login(int i) throws SQLException {
        int at = i & (Traffic.POOL - 1);
        UUID widget = Traffic.WIDGET_IDS[at % Traffic.WIDGETS];
        String phone = Traffic.PHONES[at];
        UUID request = UUID.randomUUID();
        long now = System.nanoTime();
        DataSource sender = i % 2 == 0 ? postgres.first() : postgres.second();
        DataSource verifier = i % 2 == 0 ? postgres.second() : postgres.first();
        if (buckets) {
            for (int b = 0; b < BUCKETS_PER_SEND; b++) {
                bucket(sender, "s" + b + ':' + widget + '|' + phone, now);
            }
        }
        try (Connection c = sender.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM otp_blocked_widgets WHERE widget_id = ?")) {
                s.setObject(1, widget);
                s.executeQuery().close();
            }
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO otp_addresses AS a (widget_id, address, "
                    + "request_id, superseded, retained_until) VALUES (?, ?, ?, NULL, ?) ON CONFLICT (widget_id, address) "
                    + "DO UPDATE SET superseded = a.request_id, request_id = EXCLUDED.request_id, "
                    + "retained_until = EXCLUDED.retained_until RETURNING superseded")) {
                s.setObject(1, widget);
                s.setString(2, phone);
                s.setObject(3, request);
                s.setLong(4, now);
                s.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO otp_codes (request_id, widget_id, recipient, tag, "
                    + "expires_at, max_attempts) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setObject(1, request);
                s.setObject(2, widget);
                s.setString(3, "phone\t" + phone);
                s.setBytes(4, TAG);
                s.setLong(5, Long.MAX_VALUE / 2);
                s.setShort(6, (short) 5);
                s.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO otp_messages (channel_id, provider_id, request_id, "
                    + "widget_id, gateway, calling_code, expires_at, retained_until) VALUES ('sms', ?, ?, ?, NULL, 1, ?, ?) "
                    + "ON CONFLICT (channel_id, provider_id) DO NOTHING")) {
                s.setString(1, request.toString());
                s.setObject(2, request);
                s.setObject(3, widget);
                s.setLong(4, now);
                s.setLong(5, now);
                s.executeUpdate();
            }
        }
        if (buckets) {
            for (int b = 0; b < BUCKETS_PER_VERIFY; b++) {
                bucket(verifier, "v" + b + ':' + widget + '|' + phone, now);
            }
        }
        try (Connection c = verifier.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT widget_id, recipient, tag, expires_at, max_attempts "
                    + "FROM otp_codes WHERE request_id = ? AND outcome <> 3 AND expires_at > ?")) {
                s.setObject(1, request);
                s.setLong(2, 0);
                s.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE otp_codes SET outcome = CASE WHEN sha256(tag) = "
                    + "sha256(?) THEN 3 ELSE 4 END, expires_at = 0 WHERE request_id = ? AND outcome <> 3 "
                    + "RETURNING outcome, max_attempts - failures, widget_id, recipient");) {
                s.setBytes(1, TAG);
                s.setObject(2, request);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }
    }

    /** One bucket command as the store runs it: insert-if-absent and lock, write, commit. */
    private static void bucket(DataSource ds, String id, long now) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO otp_buckets (id, state, expires_at) VALUES "
                    + "(?, NULL, ?) ON CONFLICT (id) DO NOTHING; SELECT state FROM otp_buckets WHERE id = ? FOR UPDATE")) {
                s.setString(1, id);
                s.setLong(2, now);
                s.setString(3, id);
                s.execute();
                s.getMoreResults();
                s.getResultSet().close();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE otp_buckets SET state = ?, expires_at = ?, used = ? "
                    + "WHERE id = ?")) {
                s.setBytes(1, STATE);
                s.setLong(2, now);
                s.setInt(3, 1);
                s.setString(4, id);
                s.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }
}
