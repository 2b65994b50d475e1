package dev.otpengine.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script, run by its SHA-1 digest ({@code EVALSHA}) and loaded again when the server answers
 * {@code NOSCRIPT} (a restarted Redis, a failed-over replica, or a new Cluster node has an empty script cache).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class Script {

    private final String name;
    private final String source;
    private final String sha;

    private Script(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** A script shipped as a resource of this package, {@code <name>.lua}. */
    static Script load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("script " + name + ".lua is missing from otpengine-redis");
            }
            return new Script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + name + ".lua", e);
        }
    }

    /** A script given as text, for Bucket4j's scripts. */
    static Script of(String name, String source) {
        return new Script(name, source);
    }

    String name() {
        return name;
    }

    /** Loads the script into the server's cache ({@code SCRIPT LOAD}), so that its first run needs one round trip. */
    CompletionStage<String> load(RedisClusterAsyncCommands<String, byte[]> redis) {
        return redis.scriptLoad(source);
    }

    /**
     * Runs the script: {@code EVALSHA}, and after a {@code NOSCRIPT} answer {@code EVAL}, which loads it again. A
     * script that ran is never run twice: {@code NOSCRIPT} means it did not run at all.
     */
    <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, byte[]> redis, ScriptOutputType type, String[] keys,
                               byte[]... args) {
        RedisFuture<T> first = redis.evalsha(sha, type, keys, args);
        return first.handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                RedisFuture<T> again = redis.eval(source, type, keys, args);
                return again.toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
