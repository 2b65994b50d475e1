package dev.otpengine.redis;

import dev.otpengine.NoConnectionException;
import dev.otpengine.RateLimitException;
import dev.otpengine.spi.Recipient;
import dev.otpengine.store.Escalation;
import dev.otpengine.store.GuessOutcome;
import dev.otpengine.store.OtpStore;
import dev.otpengine.store.SentMessage;
import dev.otpengine.store.StoredCode;
import dev.otpengine.store.support.GuessRule;
import dev.otpengine.store.support.RecipientCodec;
import dev.otpengine.store.support.Retention;
import dev.otpengine.store.support.StoreFailures;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An {@link OtpStore} in Redis: every engine built on a {@code RedisStore} of the same Redis and key prefix — in one
 * process or in many — shares one set of pending codes, one set of rate-limit counters and one block list, so N
 * instances of an application behave as one engine.
 * <pre>{@code
 * OtpStore store = RedisStore.builder("redis://:password@redis.internal:6379/0").keyPrefix("myapp:otp:").build();
 * OtpEngine engine = OtpEngine.builder().store(store).secret(sharedSecret)  // the same secret on every instance
 *         .widget(...).discoverChannels(settings).build();
 * ...
 * engine.close();
 * store.close();                                                             // the engine never closes a given store
 * }</pre>
 *
 * <p><b>What is kept, and how.</b>
 * <ul>
 *   <li>A code is one hash (its HMAC tag, never the code; widget, recipient, expiry, failures), written and judged by
 *       one Lua script per operation, run by digest ({@code EVALSHA}) and loaded again after {@code NOSCRIPT}:
 *       {@code putCode} (store it, withdraw the widget's pending code at each of its addresses) and
 *       {@code judgeGuess} (single use; at most {@code maxAttempts} wrong guesses counted, however many nodes guess
 *       at once). {@code findCode} and {@code withdrawCode} are single commands ({@code HMGET}, {@code DEL}), atomic
 *       as they are. Expiry and retention are decided by the engine's clock, passed with each call; Redis's own
 *       time-to-live only collects what the engine's time has already given up.</li>
 *   <li>Rate limits are Bucket4j buckets kept by Bucket4j's own Lettuce proxy manager, with the engine's clock as its
 *       client clock; a bucket's key expires once it would be full again.</li>
 *   <li>Blocked widgets are one Redis set, so a block on one node refuses sends on every node at once.</li>
 *   <li>Each message a provider accepted is one key ({@code SET … PX}) from its channel and provider id to its code's
 *       request and widget, kept as long as the code, so that a delivery report reaching any node is tied back.</li>
 * </ul>
 * Every key starts with the {@linkplain Builder#keyPrefix prefix}. The keys of codes, their address index, sent
 * messages and the block list carry one hash tag, {@code {codes}}, so that Redis Cluster runs each script on one node (they all live in one
 * slot: an engine's code traffic is a few commands per login); bucket keys are spread over the cluster.
 *
 * <p><b>Failures.</b> When Redis cannot be reached within the {@linkplain Builder#timeout timeout}, every operation
 * throws {@link NoConnectionException} naming the store ({@code "redis"}), never a Lettuce exception, and the engine
 * fails closed: a send whose code could not be stored delivers nothing, and no guess is judged. A client this store made
 * rejects commands while disconnected (they fail at once rather than wait in a queue, to be run after the caller was
 * told they failed) and reconnects by itself; once Redis answers again, so does the store.
 *
 * <p><b>Thread-safety:</b> thread-safe; one store serves any number of threads and engines.
 */
public final class RedisStore implements OtpStore {

    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);

    /** The name in {@link NoConnectionException}'s message: no address, no credentials. */
    static final String NAME = "redis";
    /** The time-to-live of a code past its retention, on top: Redis only collects garbage. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final Script PUT = Script.load("put");
    private static final Script JUDGE = Script.load("judge");
    private static final Script ESCALATION_PUT = Script.load("escalation_put");
    private static final Script ESCALATION_CLAIM = Script.load("escalation_claim");
    private static final Script ESCALATION_EXPEDITE = Script.load("escalation_expedite");
    private static final HexFormat HEX = HexFormat.of();

    private final String description;
    private final String prefix;
    private final String codePrefix;
    private final String indexPrefix;
    private final String blockedKey;
    private final Duration timeout;
    private final String messagePrefix;
    private final String[] escalationKeys;
    private final StatefulConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> redis;
    /** What {@link #close()} shuts down beside the connection: the client and resources this store made, if any. */
    private final AutoCloseable owned;
    private final StoreFailures failures;
    private volatile boolean closed;

    private RedisStore(Builder b, StatefulConnection<String, byte[]> connection,
                       RedisClusterAsyncCommands<String, byte[]> redis, AutoCloseable owned) {
        this.description = b.description;
        this.prefix = b.keyPrefix;
        this.codePrefix = b.keyPrefix + "{codes}:c:";
        this.indexPrefix = b.keyPrefix + "{codes}:i:";
        this.messagePrefix = b.keyPrefix + "{codes}:m:";
        this.escalationKeys = new String[] {b.keyPrefix + "{codes}:esc", b.keyPrefix + "{codes}:escp"};
        this.blockedKey = b.keyPrefix + "{codes}:blocked";
        this.timeout = b.timeout;
        this.connection = connection;
        this.redis = redis;
        this.owned = owned;
        this.failures = StoreFailures.of(NAME, b.description, RedisStore::unreachable);
    }

    /** A failure to reach Redis or get its answer in time, a Lettuce exception or Bucket4j's contended bucket. */
    private static boolean unreachable(Throwable cause) {
        return cause instanceof RedisException || cause instanceof BucketExceptions.BucketExecutionException
                || cause instanceof TimeoutException || cause instanceof CancellationException;
    }

    /**
     * A builder for a store on the Redis server a URI names, with a client of the store's own (closed by
     * {@link #close()}).
     *
     * @param redisUri a Lettuce URI: {@code redis://[[user]:password@]host[:port][/database]}, {@code rediss://} for
     *     TLS, {@code redis-sentinel://} for Sentinel; use {@link #clusterBuilder} for Redis Cluster
     * @return the builder
     * @throws IllegalArgumentException if the URI is malformed (the message leaves out its credentials)
     * @throws NullPointerException if {@code redisUri} is null
     */
    public static Builder builder(String redisUri) {
        RedisURI uri = parse(redisUri);
        return new Builder(describe(uri), timeout -> openOwnClient(uri, timeout, false));
    }

    /**
     * A builder for a store on a Redis Cluster, found from one of its nodes, with a client of the store's own (closed
     * by {@link #close()}).
     *
     * @param redisUri a Lettuce URI of any node: {@code redis://[[user]:password@]host[:port]}, {@code rediss://}
     *     for TLS
     * @return the builder
     * @throws IllegalArgumentException if the URI is malformed (the message leaves out its credentials)
     * @throws NullPointerException if {@code redisUri} is null
     */
    public static Builder clusterBuilder(String redisUri) {
        RedisURI uri = parse(redisUri);
        return new Builder("cluster " + describe(uri), timeout -> openOwnClient(uri, timeout, true));
    }

    /**
     * A client of the store's own and its one connection: commands time out after the store's timeout, are rejected
     * while disconnected (rather than queued, to run after their caller was told they failed), and the client
     * reconnects by itself, soon.
     */
    private static Opened openOwnClient(RedisURI uri, Duration timeout, boolean cluster) throws Exception {
        uri.setTimeout(timeout);
        ClientResources resources = ClientResources.builder().reconnectDelay(reconnectDelay()).build();
        AbstractRedisClient client = cluster ? RedisClusterClient.create(resources, uri)
                : RedisClient.create(resources, uri);
        AutoCloseable shutdown = () -> {
            client.shutdown(Duration.ZERO, timeout);
            resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS).get();
        };
        try {
            if (cluster) {
                RedisClusterClient clusterClient = (RedisClusterClient) client;
                clusterClient.setOptions(failFast(ClusterClientOptions.builder(), timeout).build());
                StatefulRedisClusterConnection<String, byte[]> c = clusterClient.connect(codec());
                return new Opened(c, c.async(), shutdown);
            }
            RedisClient standalone = (RedisClient) client;
            standalone.setOptions(failFast(ClientOptions.builder(), timeout).build());
            StatefulRedisConnection<String, byte[]> c = standalone.connect(codec());
            return new Opened(c, c.async(), shutdown);
        } catch (RuntimeException e) {
            shutdown.close();
            throw e;
        }
    }

    private static <B extends ClientOptions.Builder> B failFast(B options, Duration timeout) {
        options.autoReconnect(true);
        options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        options.timeoutOptions(TimeoutOptions.enabled(timeout));
        options.socketOptions(SocketOptions.builder().connectTimeout(timeout).build());
        return options;
    }

    /**
     * A builder for a store on a client the application already has (Spring Boot's, say), with its options as they
     * are. The store opens one connection of its own on it and closes only that; the client stays the application's.
     * Set the client's command timeout to seconds (Lettuce's default is a minute), and prefer
     * {@code DisconnectedBehavior.REJECT_COMMANDS}: with the default, commands issued while disconnected wait in a
     * queue and may run after the engine has answered that they failed.
     *
     * @param client the application's client
     * @return the builder
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(RedisClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder("a given RedisClient", timeout -> {
            StatefulRedisConnection<String, byte[]> c = client.connect(codec());
            return new Opened(c, c.async(), () -> { });
        });
    }

    /**
     * A builder for a store on a Redis Cluster client the application already has; see {@link #builder(RedisClient)}.
     *
     * @param client the application's cluster client
     * @return the builder
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder("a given RedisClusterClient", timeout -> {
            StatefulRedisClusterConnection<String, byte[]> c = client.connect(codec());
            return new Opened(c, c.async(), () -> { });
        });
    }

    private static RedisCodec<String, byte[]> codec() {
        return RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    }

    /** Reconnect soon after Redis is back: from 50 ms, doubling, at most 2 s apart (Lettuce's default reaches 30 s). */
    private static Delay reconnectDelay() {
        return Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS);
    }

    private static RedisURI parse(String redisUri) {
        Objects.requireNonNull(redisUri, "redisUri");
        int at = redisUri.lastIndexOf('@');
        int fragmentOrQuery = firstOf(redisUri, '#', '?');
        if (at >= 0 && fragmentOrQuery >= 0 && fragmentOrQuery < at) {
            // Lettuce would take what precedes the # or ? for the host: a piece of the password, to be looked up and
            // printed in every message that names the host
            throw new IllegalArgumentException("redisUri has a # or ? before its @: percent-encode them in the password "
                    + "(%23, %3F); the URI is left out of this message");
        }
        try {
            return RedisURI.create(redisUri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redisUri is not a Redis URI such as redis://host:6379 (its text is "
                    + "left out of this message: it may hold a password)");
        }
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** Where the store is, for logs: host and port, never credentials. */
    private static String describe(RedisURI uri) {
        if (uri.getHost() != null) {
            return uri.getHost() + ":" + uri.getPort();
        }
        if (!uri.getSentinels().isEmpty()) {
            RedisURI first = uri.getSentinels().get(0);
            return "sentinel " + first.getHost() + ":" + first.getPort() + " master " + uri.getSentinelMasterId();
        }
        return uri.getSocket() != null ? uri.getSocket() : "redis";
    }

    // ------------------------------------------------------------------ codes

    @Override
    public void putCode(StoredCode code, Instant now) {
        put(code, now, false);
    }

    /** The put script with the block list checked in the same step: one round trip for a send that counts nothing. */
    @Override
    public boolean putCodeUnlessBlocked(StoredCode code, Instant now) {
        return put(code, now, true);
    }

    private boolean put(StoredCode code, Instant now, boolean unlessBlocked) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(now, "now");
        Map<String, String> addresses = code.recipient().addresses();
        String[] keys = new String[2 + addresses.size()];
        keys[0] = codePrefix + code.requestId();
        keys[1] = blockedKey;
        int i = 2;
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            // one slot per inbox (an email's +tag and Gmail's dots dropped), as every store keys its index
            keys[i++] = indexPrefix + code.widgetId() + ':' + RecipientCodec.addressKey(address.getKey(), address.getValue());
        }
        Instant expiresAt = code.expiresAt();
        Long stored = await(() -> PUT.run(redis, ScriptOutputType.INTEGER, keys,
                bytes(code.requestId().toString()), bytes(codePrefix),
                bytes(now.getEpochSecond()), bytes(now.getNano()),
                bytes(expiresAt.getEpochSecond()), bytes(expiresAt.getNano()),
                bytes(timeToLiveMillis(expiresAt, now)), bytes(HEX.formatHex(code.tag())),
                bytes(code.widgetId().toString()), bytes(encode(code.recipient())), bytes(code.maxAttempts()),
                bytes(unlessBlocked ? "1" : "0")));
        if (stored != null && stored == -1L) {
            return false;
        }
        if (stored == null || stored != 1L) {
            throw new IllegalStateException("request id " + code.requestId() + " is already stored");
        }
        return true;
    }

    /** Until the code's retention ends, by the engine's clock, and a little more; at least a millisecond. */
    private static long timeToLiveMillis(Instant expiresAt, Instant now) {
        return Retention.timeToLiveMillis(Retention.retainedUntil(expiresAt), now, SLACK);
    }

    @Override
    public Optional<StoredCode> findCode(UUID requestId, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(now, "now");
        List<io.lettuce.core.KeyValue<String, byte[]>> fields =
                await(() -> redis.hmget(codePrefix + requestId, "es", "en", "t", "w", "r", "m", "f"));
        if (fields.size() != 7 || !fields.get(0).hasValue()) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(number(fields.get(0)), number(fields.get(1)));
        if (!Retention.isRetained(expiresAt, now)) {
            return Optional.empty();
        }
        return Optional.of(new StoredCode(requestId, UUID.fromString(text(fields.get(3))), decode(text(fields.get(4))),
                HEX.parseHex(text(fields.get(2))), expiresAt, (int) number(fields.get(5)),
                fields.get(6).hasValue() ? (int) Math.min(number(fields.get(6)), number(fields.get(5))) : 0));
    }

    @Override
    public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now) {
        return judgeGuess(requestId, guessTag, now, null);
    }

    /** One script: the widget compared in the same step as the guess is judged. */
    @Override
    public GuessOutcome judgeGuess(UUID requestId, byte[] guessTag, Instant now, UUID widgetId) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(now, "now");
        StoredCode.checkTag(guessTag);
        List<Object> answer = await(() -> JUDGE.run(redis, ScriptOutputType.MULTI, new String[] {codePrefix + requestId},
                bytes(now.getEpochSecond()), bytes(now.getNano()), bytes(HEX.formatHex(guessTag)),
                bytes(EXPIRED_RETENTION.toSeconds()), bytes(widgetId == null ? "" : widgetId.toString())));
        int outcome = ((Long) answer.get(0)).intValue();
        if (outcome == 0) {
            return GuessOutcome.NOT_FOUND;
        }
        return GuessRule.outcome(outcome, ((Long) answer.get(1)).intValue(), UUID.fromString(text((byte[]) answer.get(2))),
                decode(text((byte[]) answer.get(3))));
    }

    /** A single {@code DEL}: atomic on its own, so no script. */
    @Override
    public boolean withdrawCode(UUID requestId) {
        Objects.requireNonNull(requestId, "requestId");
        return await(() -> redis.del(codePrefix + requestId)) > 0;
    }

    // ------------------------------------------------------------------ sent messages

    /**
     * One {@code SET … PX}: the key {@code <prefix>{codes}:m:<channel>:<provider id>} holds the request id, widget id,
     * calling code, the code's expiry and the gateway, one per line (the gateway last, so it may hold anything), and
     * expires with the code's retention.
     */
    @Override
    public void rememberMessage(SentMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        String value = message.requestId() + "\n" + message.widgetId() + "\n" + message.callingCode() + "\n"
                + message.expiresAt().getEpochSecond() + "\n" + message.expiresAt().getNano() + "\n"
                + (message.gateway() == null ? "" : message.gateway());
        await(() -> redis.set(messageKey(message.channelId(), message.providerMessageId()), bytes(value),
                SetArgs.Builder.nx().px(timeToLiveMillis(message.expiresAt(), now)))); // the first wins
    }

    @Override
    public Optional<SentMessage> findMessage(String channelId, String providerMessageId, Instant now) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(now, "now");
        byte[] value = await(() -> redis.get(messageKey(channelId, providerMessageId)));
        if (value == null) {
            return Optional.empty();
        }
        String[] f = text(value).split("\n", 6);
        SentMessage message = new SentMessage(channelId, providerMessageId, UUID.fromString(f[0]), UUID.fromString(f[1]),
                f[5].isEmpty() ? null : f[5], Integer.parseInt(f[2]),
                Instant.ofEpochSecond(Long.parseLong(f[3]), Long.parseLong(f[4])));
        return now.isBefore(message.retainedUntil()) ? Optional.of(message) : Optional.empty();
    }

    /** The key of a sent message; the channel id holds no {@code :}, so the two parts cannot run into each other. */
    private String messageKey(String channelId, String providerMessageId) {
        return messagePrefix + channelId + ':' + providerMessageId;
    }

    // ------------------------------------------------------------------ escalations

    /**
     * One script: the step into a hash by request id and its due time into a sorted set, both under the {@code {codes}}
     * tag. A step is text, one field a line: the channel it went out through and its due time first (the expedite
     * script rewrites those), the recipient last (it may hold line breaks).
     */
    @Override
    public void scheduleEscalation(Escalation escalation, Instant now) {
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(now, "now");
        String step = escalation.sentThrough() + '\n' + escalation.dueAt().getEpochSecond() + '\n'
                + escalation.dueAt().getNano() + '\n' + escalation.requestId() + '\n' + escalation.widgetId() + '\n'
                + (escalation.locale() == null ? "" : escalation.locale()) + '\n'
                + String.join(",", escalation.channels()) + '\n' + escalation.expiresAt().getEpochSecond() + '\n'
                + escalation.expiresAt().getNano() + '\n' + HEX.formatHex(escalation.sealedCode()) + '\n'
                + encode(escalation.recipient());
        await(() -> ESCALATION_PUT.run(redis, ScriptOutputType.INTEGER, escalationKeys,
                bytes(escalation.requestId().toString()), bytes(ceilMillis(escalation.dueAt())), bytes(step)));
    }

    @Override
    public List<Escalation> claimDueEscalations(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        List<Object> steps = await(() -> ESCALATION_CLAIM.run(redis, ScriptOutputType.MULTI, escalationKeys,
                bytes(now.toEpochMilli()), bytes(max)));
        List<Escalation> due = new ArrayList<>(steps.size());
        for (Object step : steps) {
            String[] f = text((byte[]) step).split("\n", 11);
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(f[7]), Long.parseLong(f[8]));
            if (now.isBefore(expiresAt)) {
                due.add(new Escalation(UUID.fromString(f[3]), UUID.fromString(f[4]), decode(f[10]),
                        f[5].isEmpty() ? null : f[5], f[0], List.of(f[6].split(",")),
                        Instant.ofEpochSecond(Long.parseLong(f[1]), Long.parseLong(f[2])), expiresAt,
                        HEX.parseHex(f[9])));
            }
        }
        return due;
    }

    @Override
    public boolean expediteEscalation(UUID requestId, String sentThrough, Instant now) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(sentThrough, "sentThrough");
        Objects.requireNonNull(now, "now");
        Long done = await(() -> ESCALATION_EXPEDITE.run(redis, ScriptOutputType.INTEGER, escalationKeys,
                bytes(requestId.toString()), bytes(sentThrough), bytes(now.getEpochSecond()), bytes(now.getNano()),
                bytes(ceilMillis(now))));
        return done != null && done == 1L;
    }

    /** An instant in epoch milliseconds, rounded up: a step is never handed out before its due time. */
    private static long ceilMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    // ------------------------------------------------------------------ limits and blocks

    /**
     * Bucket4j's buckets of one scope, kept as its Lettuce proxy manager keeps them but swapped in one round trip a call
     * ({@link RedisBuckets}): its keys are {@code <prefix>b:<scope>:<key>}, its client clock is the engine's, a bucket's
     * key expires once the bucket would be full again, and a failure to reach Redis is a {@link NoConnectionException}.
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
        String scopePrefix = prefix + "b:" + scope.name().toLowerCase(Locale.ROOT) + ':';
        Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder =
                new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new PrefixedRedisApi<>(redis, scopePrefix));
        ExpirationAfterWriteStrategy expiration =
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO);
        builder.clientClock(clock).requestTimeout(timeout).expirationAfterWrite(expiration);
        return new RedisBuckets(builder, redis, scopePrefix, expiration, timeout, this::failure);
    }

    @Override
    public void blockWidget(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        await(() -> redis.sadd(blockedKey, bytes(widgetId.toString())));
    }

    @Override
    public void unblockWidget(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        await(() -> redis.srem(blockedKey, bytes(widgetId.toString())));
    }

    @Override
    public boolean isWidgetBlocked(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        return await(() -> redis.sismember(blockedKey, bytes(widgetId.toString())));
    }

    /** {@code SISMEMBER}, sent at once and not waited for: it shares a round trip with what is sent next. */
    @Override
    public CompletableFuture<Boolean> isWidgetBlockedAsync(UUID widgetId) {
        Objects.requireNonNull(widgetId, "widgetId");
        return later(() -> redis.sismember(blockedKey, bytes(widgetId.toString())));
    }

    /**
     * A {@code PING}, within the store's timeout.
     *
     * @throws NoConnectionException if Redis does not answer
     */
    @Override
    public void checkReachable() {
        await(redis::ping);
    }

    /** @return {@code true}: every engine on the same Redis and prefix shares this state */
    @Override
    public boolean isShared() {
        return true;
    }

    /**
     * Closes the store's connection, and the client it made (never a client it was given); closing again does
     * nothing. A closed store refuses every operation with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
            owned.close();
        } catch (Exception e) {
            log.warn("closing the Redis store at {} failed", description, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RedisStore[" + description + ", prefix " + prefix + "]";
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Sends a command and waits for Redis, at most the store's timeout; a failure to get an answer becomes
     * {@link NoConnectionException}.
     *
     * @throws IllegalStateException if the store was closed
     */
    private <T> T await(Supplier<CompletionStage<T>> command) {
        if (closed) {
            throw new IllegalStateException("this RedisStore is closed");
        }
        CompletableFuture<T> future;
        try {
            future = command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            throw failure(e); // Lettuce refused to send it at all
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failure(new RedisCommandTimeoutException("no answer from Redis within " + timeout));
        } catch (ExecutionException e) {
            throw failure(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw failure(new RedisException("interrupted while waiting for Redis", e));
        } catch (CancellationException e) {
            throw failure(new RedisException("the command to Redis was cancelled", e));
        }
    }

    /**
     * Sends a command without waiting for Redis: its answer, failed with {@link NoConnectionException} when it cannot
     * be had within the store's timeout.
     *
     * @throws IllegalStateException if the store was closed
     */
    private <T> CompletableFuture<T> later(Supplier<CompletionStage<T>> command) {
        if (closed) {
            throw new IllegalStateException("this RedisStore is closed");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            command.get().toCompletableFuture().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((value, failed) -> {
                        if (failed == null) {
                            answer.complete(value);
                        } else {
                            Throwable cause = failed instanceof java.util.concurrent.CompletionException
                                    && failed.getCause() != null ? failed.getCause() : failed;
                            answer.completeExceptionally(failure(cause));
                        }
                    });
        } catch (RuntimeException e) {
            answer.completeExceptionally(failure(e)); // Lettuce refused to send it at all
        }
        return answer;
    }

    /**
     * What the engine is told when a call to Redis failed: the toolkit's {@link StoreFailures}, with Lettuce's
     * exceptions, timeouts and Bucket4j's contended bucket as failures to reach Redis.
     */
    private RuntimeException failure(Throwable e) {
        return failures.translate(e);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(long n) {
        return bytes(Long.toString(n));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String text(io.lettuce.core.KeyValue<String, byte[]> field) {
        return text(field.getValue());
    }

    private static long number(io.lettuce.core.KeyValue<String, byte[]> field) {
        return Long.parseLong(text(field));
    }

    private static String encode(Recipient recipient) {
        return RecipientCodec.encode(recipient);
    }

    private static Recipient decode(String encoded) {
        return RecipientCodec.decode(encoded);
    }

    /** What a builder's connector opened. */
    private record Opened(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> redis,
                          AutoCloseable owned) {
    }

    /** Opens the connection, given the store's timeout. */
    @FunctionalInterface
    private interface Connector {
        Opened open(Duration timeout) throws Exception;
    }

    /**
     * Builds a {@link RedisStore}.
     *
     * <p><b>Thread-safety:</b> not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private final String description;
        private final Connector connector;
        private String keyPrefix = "otpengine:";
        private Duration timeout = Duration.ofSeconds(2);

        private Builder(String description, Connector connector) {
            this.description = description;
            this.connector = connector;
        }

        /**
         * The prefix of every key the store writes (default {@code otpengine:}): engines share state exactly when they
         * use the same Redis and the same prefix, so give each application (or each environment on one Redis) its own.
         *
         * @param keyPrefix at most 128 characters, no whitespace or control characters; no braces (the store places
         *     its own Redis Cluster hash tag, {@code {codes}}, which a brace before it would undo) and no surrogates (a
         *     prefix must mean the same bytes in Redis as it does in Java); may be empty
         * @return this builder
         * @throws IllegalArgumentException if the prefix is too long or holds any of those
         * @throws NullPointerException if {@code keyPrefix} is null
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.length() > 128 || keyPrefix.chars().anyMatch(c -> Character.isWhitespace(c)
                    || Character.isISOControl(c) || Character.isSurrogate((char) c) || c == '{' || c == '}')) {
                throw new IllegalArgumentException("keyPrefix must be at most 128 characters without whitespace, "
                        + "control characters, braces or surrogates");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * How long one operation may wait for Redis before it fails with {@link NoConnectionException} (default 2
         * seconds); with a client the store makes, also its connect and command timeout.
         *
         * @param timeout from 1 millisecond to 1 minute
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("timeout must be from 1 ms to 1 minute: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Connects and builds the store.
         *
         * @return the store; close it after the engines that use it
         * @throws IllegalStateException if Redis cannot be reached (the message names host and port, never
         *     credentials); nothing stays open
         */
        public RedisStore build() {
            Opened opened;
            try {
                opened = connector.open(timeout);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("cannot connect to Redis at " + description + ": "
                        + (e instanceof RedisException && e.getMessage() != null ? e.getMessage() : e.toString()), e);
            }
            RedisStore store = new RedisStore(this, opened.connection(), opened.redis(), opened.owned());
            try {
                store.await(() -> PUT.load(opened.redis()));
                store.await(() -> JUDGE.load(opened.redis()));
                for (Script script : List.of(ESCALATION_PUT, ESCALATION_CLAIM, ESCALATION_EXPEDITE, RedisBuckets.SWAP)) {
                    store.await(() -> script.load(opened.redis()));
                }
            } catch (NoConnectionException e) {
                store.close();
                throw new IllegalStateException("cannot load the store's scripts into Redis at " + description, e);
            }
            return store;
        }
    }
}
