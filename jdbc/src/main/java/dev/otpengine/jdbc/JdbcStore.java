package dev.otpengine.jdbc;

import dev.otpengine.InternalServerErrorException;
import dev.otpengine.NoConnectionException;
import dev.otpengine.RateLimitException;
import dev.otpengine.store.Escalation;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import dev.otpengine.store.StoredCode;
import dev.otpengine.store.support.GuessRule;
import dev.otpengine.store.support.RecipientCodec;
import dev.otpengine.store.support.Retention;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link OtpStore} in PostgreSQL (13 or later): every engine built on a {@code JdbcStore} of the same database and
 * table prefix — in one process or in many — shares one set of pending codes, one set of rate-limit counters and one
 * block list, so N instances of an application behave as one engine.
 * <pre>{@code
 * OtpStore store = JdbcStore.builder(dataSource).build();           // the tables must exist: see schema(...)
 * OtpEngine engine = OtpEngine.builder().store(store).secret(sharedSecret)  // the same secret on every instance
 *         .widget(...).discoverChannels(settings).build();
 * ...
 * engine.close();
 * store.close();                                                      // the engine never closes a given store
 * }</pre>
 *
 * <p><b>The schema.</b> {@link #schema(String)} gives the DDL (idempotent, one JDBC statement); the same DDL for the
 * default prefix is in this jar as {@code db/otpengine/V1__otpengine_schema.sql}, for Flyway or Liquibase.
 * {@link Builder#build()} refuses a database without the tables, saying how to create them.
 *
 * <p><b>What is kept, and how.</b> The store borrows a connection from the application's {@link DataSource} for each
 * operation and holds none between calls.
 * <ul>
 *   <li>A code is one row (its HMAC tag, never the code). Putting a code and withdrawing the widget's pending code at
 *       each of its addresses is one transaction: an upsert of the address rows, which takes their row locks in a
 *       fixed order and returns the codes they pointed to, then one statement that deletes those (if still in time)
 *       and inserts the new code. Judging a guess is one {@code UPDATE … RETURNING}: the row lock makes racing guesses
 *       take turns, so the right code verifies once and at most {@code maxAttempts} wrong guesses are counted, on any
 *       number of nodes. Expiry and retention are the engine's clock, passed with each call.</li>
 *   <li>Rate limits are Bucket4j buckets, kept by Bucket4j core's select-for-update proxy manager (one row per bucket,
 *       locked for the command), with the engine's clock as its client clock.</li>
 *   <li>Blocked widgets, the messages a provider accepted (for delivery reports) and escalation steps are rows of their
 *       own tables. Due steps are claimed with {@code DELETE … WHERE request_id IN (SELECT … FOR UPDATE SKIP LOCKED)
 *       … RETURNING}, so each goes to exactly one node.</li>
 *   <li>Expired rows are deleted by a background task of each store ({@link Builder#cleanupEvery}) in batches of at
 *       most {@link Builder#cleanupBatchSize} rows a statement, batch after batch while they come back full, up to
 *       {@link Builder#cleanupBatches} statements a table a run, each batch chosen with {@code FOR UPDATE SKIP LOCKED}:
 *       any number of nodes may run it without doing the same work twice, a flood of expired rows costs each run
 *       bounded work, and the defaults delete far faster than PostgreSQL can commit new rows.</li>
 *   <li><b>Bounds.</b> A code's rows (the code, its address rows, its messages, its escalation step) live at most
 *       {@link dev.otpengine.Widget#MAX_TTL} plus the retention and exist only for a send that passed every rate limit,
 *       so the per-widget limits bound them. Rate-limit buckets live until they would be full again (up to a day for a
 *       daily limit) and a refused request can make one, so their table has a cap,
 *       {@link Builder#maxRateLimitKeys}: past it the clean-up drops the lowest ranked, requesters' counters before
 *       recipients', the least used share of their limits first.</li>
 * </ul>
 *
 * <p><b>Failures.</b> Each read on a connection gives up after the {@linkplain Builder#timeout timeout} (2 s unless
 * set; {@link Connection#setNetworkTimeout}); a failure to reach the database then throws
 * {@link NoConnectionException} naming the store ({@code "jdbc"}), and the engine fails closed: a send whose code
 * could not be stored delivers nothing, and no guess is judged. So does a database that answers but cannot serve the
 * call for now (a disk full, out of memory, an I/O error, a deadlock or a lock not granted: SQL states of classes 53
 * and 58, 40001, 40P01, 55P03), and a read-only one (a replica after a failover). Any other error of the database (a
 * table or a privilege missing: the deployment's fault, or ours) is {@link InternalServerErrorException} (500,
 * logged once at ERROR with its SQL state and the server's first line; its cause keeps the SQL state and the stack
 * frames but no message, since PostgreSQL quotes the failing row, phone and all): every method, the rate
 * limits' bucket calls included, fails with one of these two and never with a driver's exception. Once a call has
 * failed to reach the database, later calls wait at most the timeout for one probe of the database rather than each
 * waiting for the pool's own connection timeout; the store works again by itself once the database answers. Set the pool's connection timeout to seconds too (HikariCP's
 * {@code connectionTimeout} is 30 s unless set): the first call after the database goes away waits for it.
 *
 * <p><b>Thread-safety:</b> thread-safe; one store serves any number of threads and engines.
 */
public final class JdbcStore implements OtpStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    /** The name in {@link NoConnectionException}'s message: no address, no credentials. */
    static final String NAME = "jdbc";
    /** The default table prefix: {@value}. */
    public static final String DEFAULT_TABLE_PREFIX = "otp_";
    /** How many rate-limit buckets (rows of the buckets table, every scope together) are kept unless set: {@value}. */
    public static final long DEFAULT_MAX_RATE_LIMIT_KEYS = 1_000_000;
    /** The most rows one clean-up statement deletes unless set: {@value}. */
    public static final int DEFAULT_CLEANUP_BATCH_SIZE = 1_000;
    /** The most clean-up statements one run makes on a table unless set: {@value}. */
    public static final int DEFAULT_CLEANUP_BATCHES = 1_000;
    /** How long one clean-up statement may run unless set: 30 seconds. */
    private static final Duration DEFAULT_CLEANUP_TIMEOUT = Duration.ofSeconds(30);
    /** The first key of the advisory lock a node holds while it trims the buckets table: "otpe". */
    static final int TRIM_LOCK = 0x6f747065;
    /** How long after the engine's time has given a row up the clean-up waits before deleting it: clocks differ. */
    private static final long CLEANUP_SLACK_NANOS = Duration.ofMinutes(1).toNanos();

    private final Schema schema;
    private final String prefix;
    private final DataSource dataSource;
    private final Connections connections;
    /** The clean-up's clock if one was given; else it goes by {@link #engineTime}. */
    private final Clock clock;
    /** The latest time an engine gave this store with a call, in epoch nanoseconds: the engines' clock, as seen. */
    private final AtomicLong engineTime = new AtomicLong(Long.MIN_VALUE);
    private final int batchSize;
    private final int batches;
    private final long maxBuckets;
    private final String countLiveBuckets;
    private final String trimBuckets;
    private final String trimBucketsAfter;
    /** The second key of the advisory lock a node holds while it trims this prefix's buckets ({@link #TRIM_LOCK}). */
    private final int trimLockKey;
    private final ScheduledExecutorService cleaner;
    private final String upsertAddresses1;
    private final String insertCode;
    private final String replaceCode;
    private final String judge;
    private final String findCode;
    private final String withdraw;
    private volatile boolean closed;
    /** Whether the trim's lock was once found not held when given back (said once, at WARN). */
    private volatile boolean warnedLockNotHeld;

    private JdbcStore(Builder b, Schema schema, Connections connections) {
        this.schema = schema;
        this.prefix = b.tablePrefix;
        this.dataSource = b.dataSource;
        this.connections = connections;
        this.clock = b.clock;
        this.batchSize = b.batchSize;
        this.batches = b.batches;
        this.maxBuckets = b.maxRateLimitKeys;
        String buckets = schema.buckets;
        this.countLiveBuckets = "SELECT count(*) FROM " + buckets + " WHERE expires_at >= ?";
        // a batch from the bottom of the ranking (after the last batch's top row, so each batch reads only its own
        // rows, not the dead index entries of the batches before it); it answers how many it took and the last one
        String trim = "WITH gone AS (DELETE FROM " + buckets + " WHERE id IN (SELECT id FROM " + buckets
                + " WHERE expires_at >= ?%s ORDER BY tier, used, expires_at, seq LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "RETURNING tier, used, expires_at, seq) SELECT count(*) OVER (), tier, used, expires_at, seq "
                + "FROM gone ORDER BY tier DESC, used DESC, expires_at DESC, seq DESC LIMIT 1";
        this.trimBuckets = String.format(Locale.ROOT, trim, "");
        this.trimBucketsAfter = String.format(Locale.ROOT, trim, " AND (tier, used, expires_at, seq) > (?, ?, ?, ?)");
        this.trimLockKey = trimLockKey(schema);
        String codes = schema.codes;
        this.upsertAddresses1 = "INSERT INTO " + schema.addresses + " AS a (widget_id, address, request_id, superseded, "
                + "retained_until) VALUES ";
        String columns = " (request_id, widget_id, recipient, tag, expires_at, max_attempts) VALUES (?, ?, ?, ?, ?, ?)";
        this.insertCode = "INSERT INTO " + codes + columns;
        this.replaceCode = "WITH withdrawn AS (DELETE FROM " + codes + " WHERE request_id = ANY (?) AND expires_at > ? "
                + "AND outcome <> 3) INSERT INTO " + codes + columns;
        // One statement: the row lock serializes racing guesses, and each SET reads the row as it was before the
        // guess (PostgreSQL re-reads it after a racing guess committed). The rule is GuessRule's, and its numbering.
        String live = "? < expires_at AND failures < max_attempts";
        String hit = "sha256(tag) = sha256(?)"; // compares digests: how long it takes says nothing of the tag
        this.judge = "UPDATE " + codes + " SET "
                + "outcome = CASE WHEN ? >= expires_at THEN 1 WHEN failures >= max_attempts THEN 2 WHEN " + hit
                + " THEN 3 ELSE 4 END, "
                + "failures = CASE WHEN " + live + " AND NOT " + hit + " THEN failures + 1 ELSE failures END, "
                + "expires_at = CASE WHEN " + live + " AND " + hit + " THEN 0 ELSE expires_at END "
                + "WHERE request_id = ? AND outcome <> 3 AND expires_at > ? "
                + "RETURNING outcome, max_attempts - failures, widget_id, recipient";
        this.findCode = "SELECT widget_id, recipient, tag, expires_at, max_attempts, failures FROM " + codes
                + " WHERE request_id = ? AND outcome <> 3 AND expires_at > ?";
        this.withdraw = "DELETE FROM " + codes + " WHERE request_id = ? AND outcome <> 3";
        if (b.cleanupEvery.isZero()) {
            this.cleaner = null;
        } else {
            this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "otpengine-jdbc-cleanup");
                t.setDaemon(true);
                return t;
            });
            long every = b.cleanupEvery.toMillis();
            cleaner.scheduleWithFixedDelay(this::cleanUpQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A builder for a store on the application's data source (in Spring Boot, its HikariCP pool). The store borrows a
     * connection for each operation and gives it back; it never closes the data source.
     *
     * @param dataSource a data source of a PostgreSQL 13 or later database
     * @return the builder
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The DDL of the store's tables and indexes: idempotent (every statement is {@code CREATE … IF NOT EXISTS}, so it
     * may run at every start), and one string that one JDBC {@link Statement#execute(String)} runs. For the default
     * prefix it is the text of {@code db/otpengine/V1__otpengine_schema.sql} in this jar.
     *
     * @param tablePrefix the prefix of every table and index name: 1 to 40 lower-case letters, digits or underscores,
     *     not starting with a digit
     * @return the DDL
     * @throws IllegalArgumentException if the prefix is not such an identifier
     * @throws NullPointerException if {@code tablePrefix} is null
     */
    public static String schema(String tablePrefix) {
        return new Schema(tablePrefix).ddl();
    }

    // ------------------------------------------------------------------ codes

    @Override
    public void putCode(StoredCode code, Instant now) {
        Objects.requireNonNull(code, "code");
        long nowNanos = observe(now);
        List<String> addresses = RecipientCodec.addressKeys(code.recipient());
        long retainedUntil = Retention.epochNanos(Retention.retainedUntil(code.expiresAt()));
        checkOpen();
        boolean stored = connections.inTransaction(c -> {
            List<UUID> superseded = new ArrayList<>(addresses.size());
            StringBuilder sql = new StringBuilder(upsertAddresses1);
            for (int i = 0; i < addresses.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, NULL, ?)" : ", (?, ?, ?, NULL, ?)");
            }
            // the address rows in a fixed order (sorted), so that two puts cannot deadlock; superseded is set from the
            // row as the last committed put left it, since ON CONFLICT waits for a racing put to commit
            sql.append(" ON CONFLICT (widget_id, address) DO UPDATE SET superseded = a.request_id, "
                    + "request_id = EXCLUDED.request_id, retained_until = EXCLUDED.retained_until RETURNING superseded");
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (String address : addresses) {
                    s.setObject(p++, code.widgetId());
                    s.setString(p++, address);
                    s.setObject(p++, code.requestId());
                    s.setLong(p++, retainedUntil);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID old = rs.getObject(1, UUID.class);
                        if (old != null && !old.equals(code.requestId())) {
                            superseded.add(old);
                        }
                    }
                }
            }
            // a new statement, so a new snapshot: it sees the codes of puts that committed while this one waited
            try (PreparedStatement s = c.prepareStatement(superseded.isEmpty() ? insertCode : replaceCode)) {
                int p = 1;
                if (!superseded.isEmpty()) {
                    Array ids = c.createArrayOf("uuid", superseded.toArray());
                    s.setArray(p++, ids);
                    s.setLong(p++, nowNanos);
                }
                s.setObject(p++, code.requestId());
                s.setObject(p++, code.widgetId());
                s.setString(p++, RecipientCodec.encode(code.recipient()));
                s.setBytes(p++, code.tag());
                s.setLong(p++, Retention.epochNanos(code.expiresAt()));
                s.setShort(p, (short) code.maxAttempts());
                s.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false; // unique violation: the request id is stored already
                }
                throw e;
            }
        });
        if (!stored) {
            throw new IllegalStateException("request id " + code.requestId() + " is already stored");
        }
    }

    @Override
    public Optional<StoredCode> findCode(UUID requestId, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        long nowNanos = observe(now);
        checkOpen();
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(findCode)) {
                s.setObject(1, requestId);
                s.setLong(2, nowNanos - Retention.RETENTION_NANOS);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new StoredCode(requestId, rs.getObject(1, UUID.class),
                            RecipientCodec.decode(rs.getString(2)), rs.getBytes(3), Retention.instant(rs.getLong(4)),
                            rs.getShort(5), Math.min(rs.getShort(6), rs.getShort(5))));
                }
            }
        });
    }

    @Override
    public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        StoredCode.checkTag(guessTag);
        long nowNanos = observe(now);
        checkOpen();
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(judge)) {
                s.setLong(1, nowNanos);
                s.setBytes(2, guessTag);
                s.setLong(3, nowNanos);
                s.setBytes(4, guessTag);
                s.setLong(5, nowNanos);
                s.setBytes(6, guessTag);
                s.setObject(7, requestId);
                s.setLong(8, nowNanos - Retention.RETENTION_NANOS);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return GuessOutcome.NOT_FOUND;
                    }
                    return GuessRule.outcome(rs.getShort(1), rs.getInt(2), rs.getObject(3, UUID.class),
                            RecipientCodec.decode(rs.getString(4)));
                }
            }
        });
    }

    @Override
    public boolean withdrawCode(UUID requestId) {
        Objects.requireNonNull(requestId, "requestId");
        checkOpen();
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(withdraw)) {
                s.setObject(1, requestId);
                return s.executeUpdate() > 0;
            }
        });
    }

    // ------------------------------------------------------------------ sent messages

    @Override
    public void rememberMessage(SentMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        observe(now);
        checkOpen();
        String sql = "INSERT INTO " + schema.messages + " (channel_id, provider_id, request_id, widget_id, gateway, "
                + "calling_code, expires_at, retained_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (channel_id, provider_id) DO UPDATE SET request_id = EXCLUDED.request_id, "
                + "widget_id = EXCLUDED.widget_id, gateway = EXCLUDED.gateway, calling_code = EXCLUDED.calling_code, "
                + "expires_at = EXCLUDED.expires_at, retained_until = EXCLUDED.retained_until "
                // another request's message under the same id is kept while it is retained: the first wins
                + "WHERE " + schema.messages + ".retained_until <= ?";
        long nowNanos = Retention.epochNanos(now);
        connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, message.channelId());
                s.setString(2, message.providerMessageId());
                s.setObject(3, message.requestId());
                s.setObject(4, message.widgetId());
                s.setString(5, message.gateway());
                s.setShort(6, (short) message.callingCode());
                s.setLong(7, Retention.epochNanos(message.expiresAt()));
                s.setLong(8, Retention.epochNanos(message.retainedUntil()));
                s.setLong(9, nowNanos);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        long nowNanos = observe(now);
        checkOpen();
        String sql = "SELECT request_id, widget_id, gateway, calling_code, expires_at FROM " + schema.messages
                + " WHERE channel_id = ? AND provider_id = ? AND retained_until > ?";
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, channelId);
                s.setString(2, providerMessageId);
                s.setLong(3, nowNanos);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SentMessage(channelId, providerMessageId, rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class), rs.getString(3), rs.getShort(4),
                            Retention.instant(rs.getLong(5))));
                }
            }
        });
    }

    // ------------------------------------------------------------------ escalations

    @Override
    public void scheduleEscalation(Escalation escalation, Instant now) {
        Objects.requireNonNull(escalation, "escalation");
        observe(now);
        checkOpen();
        String sql = "INSERT INTO " + schema.escalations + " (request_id, due_at, expires_at, widget_id, recipient, "
                + "locale, sent_through, channels, sealed_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (request_id) DO UPDATE SET due_at = EXCLUDED.due_at, expires_at = EXCLUDED.expires_at, "
                + "widget_id = EXCLUDED.widget_id, recipient = EXCLUDED.recipient, locale = EXCLUDED.locale, "
                + "sent_through = EXCLUDED.sent_through, channels = EXCLUDED.channels, "
                + "sealed_code = EXCLUDED.sealed_code";
        connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, escalation.requestId());
                s.setLong(2, Retention.epochNanos(escalation.dueAt()));
                s.setLong(3, Retention.epochNanos(escalation.expiresAt()));
                s.setObject(4, escalation.widgetId());
                s.setString(5, RecipientCodec.encode(escalation.recipient()));
                s.setString(6, escalation.locale());
                s.setString(7, escalation.sentThrough());
                s.setString(8, String.join(",", escalation.channels()));
                s.setBytes(9, escalation.sealedCode());
                return s.executeUpdate();
            }
        });
    }

    private static final Comparator<Escalation> BY_DUE = Comparator.comparing((Escalation e) -> e.dueAt())
            .thenComparing(Escalation::requestId);

    @Override
    public List<Escalation> claimDueEscalations(Instant now, int max) {
        long nowNanos = observe(now);
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        checkOpen();
        String t = schema.escalations;
        String sql = "DELETE FROM " + t + " WHERE request_id IN (SELECT request_id FROM " + t + " WHERE due_at <= ? "
                + "ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING request_id, widget_id, recipient, locale, "
                + "sent_through, channels, due_at, expires_at, sealed_code";
        List<Escalation> due = connections.run(c -> {
            List<Escalation> steps = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, nowNanos);
                s.setInt(2, max);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant expiresAt = Retention.instant(rs.getLong(8));
                        if (now.isBefore(expiresAt)) {
                            steps.add(new Escalation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                    RecipientCodec.decode(rs.getString(3)), rs.getString(4), rs.getString(5),
                                    List.of(rs.getString(6).split(",")), Retention.instant(rs.getLong(7)), expiresAt,
                                    rs.getBytes(9)));
                        }
                    }
                }
            }
            return steps;
        });
        due.sort(BY_DUE);
        return due;
    }

    @Override
    public boolean expediteEscalation(UUID requestId, String sentThrough, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(sentThrough, "sentThrough");
        long nowNanos = observe(now);
        checkOpen();
        String sql = "UPDATE " + schema.escalations + " SET due_at = ? WHERE request_id = ? AND sent_through = ? "
                + "AND due_at > ?";
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, nowNanos);
                s.setObject(2, requestId);
                s.setString(3, sentThrough);
                s.setLong(4, nowNanos);
                return s.executeUpdate() == 1;
            }
        });
    }

    // ------------------------------------------------------------------ limits and blocks

    /**
     * Bucket4j core's select-for-update proxy manager for one scope: one row per bucket in the buckets table, its id
     * {@code <scope>:<key>}, its client clock the engine's; a failure to reach the database is a
     * {@link NoConnectionException}.
     *
     * @param scope the scope
     * @param clock the engine's clock, as Bucket4j's client clock
     * @return the proxy manager
     * @throws NullPointerException if an argument is null
     */
    @Override
    public ProxyManager<String> rateLimitBuckets(RateLimitException.Scope scope, TimeMeter clock) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(clock, "clock");
        return new JdbcBuckets(connections, schema, scope, clock);
    }

    @Override
    public void blockWidget(UUID widgetId) {
        update("INSERT INTO " + schema.blocked + " (widget_id) VALUES (?) ON CONFLICT DO NOTHING",
                Objects.requireNonNull(widgetId, "widgetId"));
    }

    @Override
    public void unblockWidget(UUID widgetId) {
        update("DELETE FROM " + schema.blocked + " WHERE widget_id = ?", Objects.requireNonNull(widgetId, "widgetId"));
    }

    @Override
    public boolean isWidgetBlocked(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        checkOpen();
        String sql = "SELECT 1 FROM " + schema.blocked + " WHERE widget_id = ?";
        return connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, widgetId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private void update(String sql, UUID id) {
        checkOpen();
        connections.run(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, id);
                return s.executeUpdate();
            }
        });
    }

    /**
     * A {@code SELECT 1} on a connection of the data source, within the store's timeout.
     *
     * @throws NoConnectionException if the database does not answer
     */
    @Override
    public void checkReachable() {
        checkOpen();
        connections.run(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                return rs.next();
            }
        });
    }

    /** @return PostgreSQL's estimate of the rows of the codes table ({@code pg_class.reltuples}): no count, no scan */
    @Override
    public OptionalLong pendingCodes() {
        checkOpen();
        try {
            return connections.run(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
                    s.setString(1, schema.codes);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? OptionalLong.of(Math.max(0, rs.getLong(1))) : OptionalLong.empty();
                    }
                }
            });
        } catch (NoConnectionException | InternalServerErrorException e) {
            return OptionalLong.empty(); // a gauge must not fail
        }
    }

    /** @return {@code true}: every engine on the same database and table prefix shares this state */
    @Override
    public boolean isShared() {
        return true;
    }

    // ------------------------------------------------------------------ clean-up

    /**
     * Deletes rows the engine's time has given up (codes and their address rows past their retention, used codes,
     * forgotten messages, steps of expired codes, buckets that would be full again), then, if the buckets table holds
     * more than {@link Builder#maxRateLimitKeys} rows still in time, as many of the lowest ranked as it holds too many
     * (a requester's counters before a recipient's, then the least used share of its limit, the soonest full, the
     * newest). Each table takes batches of at most {@link Builder#cleanupBatchSize} rows, one after the other while
     * they come back full, and at most {@link Builder#cleanupBatches} of them a run; each batch is chosen with
     * {@code FOR UPDATE SKIP LOCKED}, so that stores on other nodes running at once delete other rows, and one node at a
     * time trims past the cap (an advisory lock; the others leave it to that one), so that nodes cleaning at once do
     * not trim twice as much. Each statement may run for the {@link Builder#cleanupTimeout}, and a failure of the
     * clean-up does not count the database as down. The background task calls it every {@link Builder#cleanupEvery};
     * call it yourself if you turned that off.
     *
     * @return how many rows it deleted, at most six times batches × batch size
     * @throws NoConnectionException if the database cannot be reached, or cannot serve the call for now
     * @throws InternalServerErrorException if the database refused a statement (a table or a privilege missing)
     * @throws IllegalStateException if the store was closed
     */
    public long cleanUp() {
        checkOpen();
        long now = clock != null ? Retention.epochNanos(clock.instant()) : engineTime.get();
        if (now == Long.MIN_VALUE) {
            return 0; // no engine has called yet: its time is unknown, so nothing is known to be given up
        }
        long cutoff = now - CLEANUP_SLACK_NANOS;
        long deleted = 0;
        deleted += cleanUpTable(schema.codes, "request_id", "expires_at", cutoff - Retention.RETENTION_NANOS);
        deleted += cleanUpTable(schema.addresses, "widget_id, address", "retained_until", cutoff);
        deleted += cleanUpTable(schema.messages, "channel_id, provider_id", "retained_until", cutoff);
        deleted += cleanUpTable(schema.escalations, "request_id", "expires_at", cutoff);
        deleted += cleanUpTable(schema.buckets, "id", "expires_at", cutoff);
        long trimmed = trimBuckets(cutoff);
        if (trimmed > 0) {
            log.warn("JDBC store {}: the rate-limit buckets were past their cap of {}: dropped the {} ranked lowest "
                    + "(a flood of distinct keys?)", prefix, maxBuckets, trimmed);
        }
        return deleted + trimmed;
    }

    /**
     * Drops the lowest-ranked buckets while the table holds more than the cap, from the bottom of the ranking up, in
     * batches: a requester's counters before a recipient's ({@link JdbcBuckets#tier}), then the least used
     * ({@link JdbcBuckets#used}), the soonest full, the newest. One node trims at a time: it holds a session advisory
     * lock ({@code pg_try_advisory_lock}) while it counts and trims, and a node that finds it taken leaves the trim to
     * that one. Only rows still in time are counted and trimmed ({@code expires_at >= cutoff}): the expired rows another
     * node is deleting at that moment, not yet committed, are neither counted as excess nor deleted twice. The count is
     * one scan of the table, which the cap bounds; no statement reads a million rows in rank order to find a line.
     */
    private long trimBuckets(long cutoff) {
        return connections.runCleanup(c -> {
            try (PreparedStatement s = connections.cleanupStatement(c, "SELECT pg_try_advisory_lock(?, ?)")) {
                s.setInt(1, TRIM_LOCK);
                s.setInt(2, trimLockKey);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return 0L; // another node is trimming
                    }
                }
            }
            try {
                return trimLocked(c, cutoff);
            } finally {
                unlock(c);
            }
        });
    }

    /** The trim lock's second key: the buckets table's name, hashed ({@link String#hashCode} is fixed by its spec). */
    static int trimLockKey(Schema schema) {
        return ("otpengine-jdbc trim " + schema.buckets).hashCode();
    }

    private long trimLocked(Connection c, long cutoff) throws SQLException {
        long live;
        try (PreparedStatement s = connections.cleanupStatement(c, countLiveBuckets)) {
            s.setLong(1, cutoff);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                live = rs.getLong(1);
            }
        }
        long excess = live - maxBuckets;
        long deleted = 0;
        long[] last = null;
        for (int i = 0; i < batches && excess > 0; i++) {
            int n = (int) Math.min(batchSize, excess);
            try (PreparedStatement s = connections.cleanupStatement(c, last == null ? trimBuckets : trimBucketsAfter)) {
                int p = 1;
                s.setLong(p++, cutoff);
                if (last != null) {
                    s.setInt(p++, (int) last[0]);
                    s.setInt(p++, (int) last[1]);
                    s.setLong(p++, last[2]);
                    s.setLong(p++, last[3]);
                }
                s.setInt(p, n);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        break; // nothing left to take: the rest are locked by calls in flight
                    }
                    long took = rs.getLong(1);
                    last = new long[] {rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)};
                    deleted += took;
                    excess -= took;
                    if (took < n) {
                        break;
                    }
                }
            }
        }
        return deleted;
    }

    /**
     * Gives the trim's advisory lock back. The lock is the session's, and the connection goes back to the pool: if it
     * cannot be given back, the connection is aborted, which ends the session and its locks with it.
     */
    private void unlock(Connection c) {
        boolean released;
        try (PreparedStatement s = connections.cleanupStatement(c, "SELECT pg_advisory_unlock(?, ?)")) {
            s.setInt(1, TRIM_LOCK);
            s.setInt(2, trimLockKey);
            try (ResultSet rs = s.executeQuery()) {
                released = rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException aborting) {
                log.debug("JDBC store {}: could not abort the trim's connection", prefix, aborting);
            }
            return;
        }
        if (!released && !warnedLockNotHeld) {
            warnedLockNotHeld = true;
            // the lock was taken on one server session and given back on another: the connection goes through a
            // proxy that pools by transaction, and the lock stays with a session no node can see
            log.warn("JDBC store {}: the trim's advisory lock was not held by the session that gave it back; behind a "
                    + "pooler in transaction mode (PgBouncer) session locks do not work: connect the store directly or "
                    + "through session pooling, or the cap's trim may stop", prefix);
        }
    }

    /** Up to {@code batches} statements, each deleting at most {@code batchSize} rows; stops at a short batch. */
    private long cleanUpTable(String table, String key, String expiry, long before) {
        String sql = "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " WHERE "
                + expiry + " < ? LIMIT ? FOR UPDATE SKIP LOCKED)";
        long deleted = 0;
        for (int i = 0; i < batches; i++) {
            int n = connections.runCleanup(c -> {
                try (PreparedStatement s = connections.cleanupStatement(c, sql)) {
                    s.setLong(1, before);
                    s.setInt(2, batchSize);
                    return s.executeUpdate();
                }
            });
            deleted += n;
            if (n < batchSize) {
                break;
            }
        }
        return deleted;
    }

    private void cleanUpQuietly() {
        try {
            long deleted = cleanUp();
            if (deleted > 0) {
                log.debug("JDBC store {} deleted {} expired rows", prefix, deleted);
            }
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("JDBC store {}: clean-up failed, next run in a while: {}", prefix, e.toString());
            }
        }
    }

    /**
     * Stops the clean-up task; the store holds no connection, and never closes the data source. Closing again does
     * nothing; a closed store refuses every operation with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleaner != null) {
            cleaner.shutdownNow();
        }
        connections.close();
    }

    @Override
    public String toString() {
        return "JdbcStore[prefix " + prefix + "]";
    }

    /** @return whether calls wait for the store's probe of the database (the last call could not reach it); for tests */
    boolean isDownForTests() {
        return connections.isDown();
    }

    /** @return whether the store warned that its trim lock was given back on another session; for tests */
    boolean warnedLockNotHeldForTests() {
        return warnedLockNotHeld;
    }

    /** Notes the engine's time of a call, for the clean-up; the latest wins (a lost race only keeps an earlier one). */
    private long observe(Instant now) {
        long nanos = Retention.epochNanos(Objects.requireNonNull(now, "now"));
        long seen = engineTime.get();
        if (nanos > seen) {
            engineTime.compareAndSet(seen, nanos);
        }
        return nanos;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this JdbcStore is closed");
        }
    }

    /** The tables of the schema that are missing from the database; empty if none is. */
    private static List<String> missingTables(Connections connections, Schema schema) {
        return connections.run(c -> {
            List<String> missing = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NULL")) {
                for (String table : schema.tables()) {
                    s.setString(1, table);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            missing.add(table);
                        }
                    }
                }
            }
            return missing;
        });
    }

    /**
     * Builds a {@link JdbcStore}. Each setting may be set once.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final DataSource dataSource;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean prefixSet;
        private Duration timeout = Duration.ofSeconds(2);
        private boolean timeoutSet;
        private Clock clock;
        private int batchSize = DEFAULT_CLEANUP_BATCH_SIZE;
        private boolean batchSizeSet;
        private int batches = DEFAULT_CLEANUP_BATCHES;
        private boolean batchesSet;
        private long maxRateLimitKeys = DEFAULT_MAX_RATE_LIMIT_KEYS;
        private boolean maxRateLimitKeysSet;
        private Duration cleanupEvery = Duration.ofSeconds(30);
        private boolean cleanupEverySet;
        private Duration cleanupTimeout = DEFAULT_CLEANUP_TIMEOUT;
        private boolean cleanupTimeoutSet;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        private static void once(boolean set, String name, Object value) {
            if (set) {
                throw new IllegalStateException(name + " was already set to " + value);
            }
        }

        /**
         * The prefix of every table and index (default {@value JdbcStore#DEFAULT_TABLE_PREFIX}): engines share state
         * exactly when they use the same database and the same prefix. Create the tables with
         * {@link JdbcStore#schema(String)} of the same prefix.
         *
         * @param tablePrefix 1 to 40 lower-case letters, digits or underscores, not starting with a digit
         * @return this builder
         * @throws IllegalArgumentException if the prefix is not such an identifier
         * @throws NullPointerException if {@code tablePrefix} is null
         * @throws IllegalStateException if already set
         */
        public Builder tablePrefix(String tablePrefix) {
            Schema.checkPrefix(tablePrefix);
            once(prefixSet, "tablePrefix", this.tablePrefix);
            this.tablePrefix = tablePrefix;
            prefixSet = true;
            return this;
        }

        /**
         * How long one read from the database may take before the operation fails with {@link NoConnectionException}
         * (default 2 seconds), and how long a call waits for the database to be probed once it is down.
         *
         * @param timeout from 1 millisecond to 1 minute
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalStateException if already set
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout must be from 1 ms to 1 minute: " + timeout);
            }
            once(timeoutSet, "timeout", this.timeout);
            this.timeout = timeout;
            timeoutSet = true;
            return this;
        }

        /**
         * The clock the clean-up decides by. Unless set, it goes by the latest time an engine gave this store with a
         * call (every operation is given the engine's time), so rows leave when the engines' time has given them up,
         * whatever the host's clock says, and a store no engine has called yet deletes nothing.
         *
         * @param clock the engines' clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            once(this.clock != null, "clock", this.clock);
            this.clock = clock;
            return this;
        }

        /**
         * The most rows one clean-up statement deletes (default {@value JdbcStore#DEFAULT_CLEANUP_BATCH_SIZE}).
         *
         * @param rows from 1 to 100,000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder cleanupBatchSize(int rows) {
            if (rows < 1 || rows > 100_000) {
                throw new IllegalArgumentException("cleanupBatchSize must be from 1 to 100000: " + rows);
            }
            once(batchSizeSet, "cleanupBatchSize", batchSize);
            this.batchSize = rows;
            batchSizeSet = true;
            return this;
        }

        /**
         * The most clean-up statements one run makes on each table (default
         * {@value JdbcStore#DEFAULT_CLEANUP_BATCHES}): a run goes on while batches come back full, so with the batch
         * size this is the bound on a run's work on a table, whatever a flood left behind; the next run takes the next
         * share. The defaults let one node delete a million rows of a table a run, 33,000 rows a second at the default
         * {@link #cleanupEvery}: far more than PostgreSQL commits new rows (each a transaction of its own), so that the
         * clean-up keeps up with a flood rather than falling behind it.
         *
         * @param batches from 1 to 100,000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder cleanupBatches(int batches) {
            if (batches < 1 || batches > 100_000) {
                throw new IllegalArgumentException("cleanupBatches must be from 1 to 100000: " + batches);
            }
            once(batchesSet, "cleanupBatches", this.batches);
            this.batches = batches;
            batchesSet = true;
            return this;
        }

        /**
         * How many rate-limit buckets the store keeps at most, every scope together (default
         * {@value JdbcStore#DEFAULT_MAX_RATE_LIMIT_KEYS}; a row is a few hundred bytes with its indexes). A bucket is
         * dropped by itself once it would be full again, which for a daily limit can be a day; a flood of distinct keys
         * (IP networks, phones) refused at ten thousand a second would otherwise leave up to a day of them. Past the
         * cap, the clean-up drops the lowest ranked rows. First come a requester's counters (an IP's, an IP network's,
         * a widget's, verifications per IP): what a flood of cheap requests makes, one per address. A recipient's (a
         * phone's sends, its cooldown, its guess budget, the toll-fraud guard's rooms and verified-phone marks) go only
         * after them; they exist only for sends that passed every requester's limit, so the per-widget limit bounds
         * them. Within a tier, the rows that use the least share of their tightest window's capacity go first (a spent
         * budget, a running cooldown and a mark use all of it), then those soonest full again, then the newest. So a
         * flood of requests pushes out its own rows before a counter that refuses someone or a returning user's mark.
         * The cost, as with the in-process store's bound: past the cap the store forgets the least used counters, so
         * their keys get back what they had used. The table may exceed the cap by what is inserted between two
         * clean-up runs.
         *
         * @param maxKeys from 1 to 1,000,000,000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder maxRateLimitKeys(long maxKeys) {
            if (maxKeys < 1 || maxKeys > 1_000_000_000L) {
                throw new IllegalArgumentException("maxRateLimitKeys must be from 1 to 1000000000: " + maxKeys);
            }
            once(maxRateLimitKeysSet, "maxRateLimitKeys", maxRateLimitKeys);
            this.maxRateLimitKeys = maxKeys;
            maxRateLimitKeysSet = true;
            return this;
        }

        /**
         * How often the store's background task runs {@link JdbcStore#cleanUp()} (default every 30 seconds);
         * {@link Duration#ZERO} runs none (call {@code cleanUp()} yourself, or leave it to another node).
         *
         * @param every zero, or from 1 second to 1 day
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code every} is null
         * @throws IllegalStateException if already set
         */
        public Builder cleanupEvery(Duration every) {
            Objects.requireNonNull(every, "every");
            if (!every.isZero() && (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(Duration.ofDays(1)) > 0)) {
                throw new IllegalArgumentException("cleanupEvery must be zero or from 1 second to 1 day: " + every);
            }
            once(cleanupEverySet, "cleanupEvery", cleanupEvery);
            this.cleanupEvery = every;
            cleanupEverySet = true;
            return this;
        }

        /**
         * How long one statement of the clean-up may run before the server cancels it (default 30 seconds). The
         * clean-up's statements are not the calls' and need not fail within the {@link #timeout}: a count of the
         * buckets table near its cap of a million rows, or a batch behind a lock, may take seconds under traffic. A
         * clean-up statement that times out fails that run ({@link JdbcStore#cleanUp()} throws
         * {@link NoConnectionException}; the background task logs it and runs again later) but does not count the
         * database as down: the calls go on as before.
         *
         * @param timeout from 1 second to 1 hour (JDBC's query timeout is whole seconds: rounded up)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalStateException if already set
         */
        public Builder cleanupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("cleanupTimeout must be from 1 second to 1 hour: " + timeout);
            }
            once(cleanupTimeoutSet, "cleanupTimeout", cleanupTimeout);
            this.cleanupTimeout = timeout;
            cleanupTimeoutSet = true;
            return this;
        }

        /**
         * Checks that the store's tables exist and builds the store; the builder is unchanged.
         *
         * @return the store; close it after the engines that use it
         * @throws IllegalStateException if the database cannot be reached, or its tables are missing (the message
         *     says how to create them)
         */
        public JdbcStore build() {
            Schema schema = new Schema(tablePrefix);
            Connections connections = new Connections(dataSource, timeout, cleanupTimeout, "prefix " + tablePrefix);
            List<String> missing;
            try {
                missing = missingTables(connections, schema);
            } catch (RuntimeException e) {
                connections.close();
                throw new IllegalStateException("cannot reach the database of the JDBC store (table prefix "
                        + tablePrefix + "): " + e.getMessage(), e);
            }
            if (!missing.isEmpty()) {
                connections.close();
                throw new IllegalStateException("the database has no otpengine tables " + missing + ": create them "
                        + "with the DDL of JdbcStore.schema(\"" + tablePrefix + "\") (idempotent, one statement), or run "
                        + "the migration file " + Schema.MIGRATION + " from otpengine-jdbc's jar with Flyway or "
                        + "Liquibase" + (DEFAULT_TABLE_PREFIX.equals(tablePrefix) ? ""
                        : " after replacing its prefix " + DEFAULT_TABLE_PREFIX + " with " + tablePrefix));
            }
            return new JdbcStore(this, schema, connections);
        }
    }
}
