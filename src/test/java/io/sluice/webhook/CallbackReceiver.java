package io.sluice.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A callback receiver for tests: the JDK's HTTP server on 127.0.0.1, port 0. It records every request
 * and answers per path (200 with no body unless told otherwise). A "hang" reply holds the request until
 * the receiver is closed (at most 30 s), so a caller's timeout is what ends it.
 */
final class CallbackReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as an urlencoded form, in order. */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : text().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How to answer. */
    record Reply(int status, Map<String, String> headers, byte[] body, boolean hangs) {
        static Reply ok() {
            return status(200);
        }

        static Reply status(int status) {
            return new Reply(status, Map.of(), new byte[0], false);
        }

        static Reply redirect(String location) {
            return new Reply(302, Map.of("Location", location), new byte[0], false);
        }

        static Reply json(String body) {
            return new Reply(200, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8),
                    false);
        }

        static Reply body(String contentType, byte[] body) {
            return new Reply(200, Map.of("Content-Type", contentType), body, false);
        }

        static Reply hang() {
            return new Reply(200, Map.of(), new byte[0], true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "callback-receiver");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new ArrayList<>();
    private final Map<Received, Boolean> matched = new java.util.IdentityHashMap<>();
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private CallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static CallbackReceiver start() {
        try {
            return new CallbackReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A URL on this receiver, e.g. {@code url("/publish")}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers requests to {@code path} with {@code responder}. */
    CallbackReceiver on(String path, Function<Received, Reply> responder) {
        routes.put(path, responder);
        return this;
    }

    CallbackReceiver on(String path, Reply reply) {
        return on(path, r -> reply);
    }

    /** The next request received, waiting at most {@code timeout}. */
    Received take(Duration timeout) throws InterruptedException {
        Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no callback received within " + timeout);
        }
        return r;
    }

    /**
     * The first request matching {@code which} not returned by this method before, in arrival order,
     * waiting at most {@code timeout}. Independent of {@link #take(Duration)}.
     */
    Received take(Duration timeout, Predicate<Received> which) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (all) {
            while (true) {
                for (Received r : all) {
                    if (!matched.containsKey(r) && which.test(r)) {
                        matched.put(r, Boolean.TRUE);
                        return r;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching callback received within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(all, left);
            }
        }
    }

    /** True if no request matching {@code which} arrives (or has arrived) within {@code timeout}. */
    boolean noneWithin(Duration timeout, Predicate<Received> which) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (all) {
            while (true) {
                if (all.stream().anyMatch(which)) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(all, left);
            }
        }
    }

    /** Whether a request arrives within {@code timeout} (to check that none does). */
    Received poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every request so far, in arrival order. */
    List<Received> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            synchronized (all) {
                all.add(r);
                all.notifyAll();
            }
            received.add(r);
            Reply reply = routes.getOrDefault(r.path(), x -> Reply.ok()).apply(r);
            if (reply.hangs()) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            // the caller went away (timed out): nothing to answer
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** A URL where nothing listens: a receiver's port, closed again. */
    static String refusingUrl(String path) {
        CallbackReceiver r = start();
        String url = r.url(path);
        r.close();
        return url;
    }

    /** HMAC-SHA256 of {@code body} with {@code secret}, as hex, computed here independently of the code under test. */
    static String hmacHex(String secret, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(body)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
