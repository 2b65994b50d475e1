package dev.otpengine.channels.sms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JDK's HTTP server, answering every request as told and keeping what it was sent. One server can play several
 * vendors at once, each scripted by its path prefix ({@code /2010-04-01} for Twilio, {@code /sms/json} for Vonage);
 * a test class that shares one server calls {@link #reset()} before each test.
 */
final class RecordingHttpServer implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, String authorization, String contentType, String apiKey, String body) {

        /** The body read as a form, fields in their order. */
        Map<String, String> form() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            return fields;
        }
    }

    /** How to answer: a status and a body, or no answer until released. */
    private record Script(int status, String body, boolean hang) {
    }

    private static final Script DEFAULT = new Script(200, "{}", false);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Script> byPath = new ConcurrentHashMap<>();
    private volatile Script fallback = DEFAULT;
    private volatile CountDownLatch release = new CountDownLatch(1);

    RecordingHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers every path not scripted with {@link #answering(String, int, String)} so. */
    RecordingHttpServer answering(int status, String body) {
        this.fallback = new Script(status, body, fallback.hang());
        return this;
    }

    /** Answers requests whose path starts with {@code pathPrefix} so. */
    RecordingHttpServer answering(String pathPrefix, int status, String body) {
        byPath.put(pathPrefix, new Script(status, body, false));
        return this;
    }

    /** Never answers a path not scripted otherwise, until the server is reset or closed. */
    RecordingHttpServer hanging() {
        this.fallback = new Script(fallback.status(), fallback.body(), true);
        return this;
    }

    /** Never answers requests whose path starts with {@code pathPrefix}, until the server is reset or closed. */
    RecordingHttpServer hanging(String pathPrefix) {
        byPath.put(pathPrefix, new Script(200, "{}", true));
        return this;
    }

    /** Forgets the scripts and the requests, and lets hanging requests go. */
    void reset() {
        CountDownLatch hung = release;
        release = new CountDownLatch(1);
        hung.countDown();
        byPath.clear();
        fallback = DEFAULT;
        requests.clear();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return requests;
    }

    /** The requests whose path starts with {@code pathPrefix}, in order. */
    List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).collect(Collectors.toList());
    }

    private Script script(String path) {
        return byPath.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue).orElse(fallback);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Script script = script(path);
        CountDownLatch hold = release;
        requests.add(new Request(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("X-Api-Key"), body));
        if (script.hang()) {
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = script.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(script.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
