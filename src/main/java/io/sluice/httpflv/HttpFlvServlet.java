package io.sluice.httpflv;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.flv.FlvSubscriber;
import io.sluice.engine.session.StreamNames;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.StreamKey;
import io.sluice.relay.PullRelayService;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@code GET /{app}/{name}.flv}: a live stream as chunked FLV, from the same shared buffers as RTMP
 * players. A signed-in user (dashboard session, API token with streams:read) may always watch;
 * anyone else is asked of the same access gate as an RTMP player (play policy, play tokens, on_play).
 */
class HttpFlvServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvServlet.class);
    /** Viewer ids apart from RTMP session ids, so the two never collide in logs. */
    private static final AtomicLong IDS = new AtomicLong(1L << 40);

    private final RtmpServer rtmp;
    private final AccessGate gate;
    private final HttpFlvProperties properties;
    private final PullRelayService pulls;
    private final java.util.Set<HttpFlvViewer> viewers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService ticker =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "http-flv-ticker");
                t.setDaemon(true);
                return t;
            });

    HttpFlvServlet(RtmpServer rtmp, AccessGate gate, HttpFlvProperties properties, PullRelayService pulls) {
        this.rtmp = rtmp;
        this.gate = gate;
        this.properties = properties;
        this.pulls = pulls;
        ticker.scheduleWithFixedDelay(() -> {
            viewers.removeIf(HttpFlvViewer::isClosed);
            viewers.forEach(HttpFlvViewer::nudge);
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        super.destroy();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String stripped = path.replaceAll("^/+", "").replaceAll("\\.flv$", "");
        int slash = stripped.lastIndexOf('/');
        String app = slash < 0 ? "" : stripped.substring(0, slash);
        String name = stripped.substring(slash + 1);
        String invalid = app.isEmpty() ? "expected /{app}/{name}.flv" : StreamNames.invalidStreamName(name);
        if (invalid != null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, invalid);
            return;
        }
        allowCors(request, response);
        long id = IDS.incrementAndGet();
        StreamKey key = new StreamKey(app, name);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        decide(request, id, app, name).orTimeout(properties.gateTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((decision, error) -> {
                    try {
                        if (error != null || !decision.allowed()) {
                            String why = error != null ? "access check failed" : decision.description();
                            log.info("HTTP-FLV play of {} from {} refused: {}", key, request.getRemoteAddr(), why);
                            ((HttpServletResponse) async.getResponse()).sendError(HttpServletResponse.SC_FORBIDDEN, why);
                            async.complete();
                            return;
                        }
                        StreamKey playing = decision.streamName() != null ? new StreamKey(app, decision.streamName()) : key;
                        // on a container thread: Tomcat then owns the first onWritePossible
                        async.start(() -> {
                            try {
                                start(async, id, playing);
                            } catch (IOException | RuntimeException e) {
                                log.debug("HTTP-FLV response for {} failed: {}", playing, e.toString());
                                async.complete();
                            }
                        });
                    } catch (IOException | RuntimeException e) {
                        log.debug("HTTP-FLV request for {} failed: {}", key, e.toString());
                        async.complete();
                    }
                });
    }

    private CompletableFuture<AccessDecision> decide(HttpServletRequest request, long id, String app, String name) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)
                && auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("SCOPE_streams:read"));
        if (signedIn) {
            return CompletableFuture.completedFuture(AccessDecision.allow());
        }
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        Map<String, String> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> params.put(k, v.length == 0 ? "" : v[0]));
        AccessRequest access = new AccessRequest(AccessRequest.Action.PLAY, id,
                new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort()), app, name, query, params,
                request.getRequestURL().toString(), "HTTP-FLV", "", nonNull(request.getHeader("Referer")), "");
        return gate.check(access).toCompletableFuture();
    }

    private void start(AsyncContext async, long id, StreamKey key) throws IOException {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("video/x-flv");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // the connection ends with the stream: never reused for another request while this response's
        // objects might still be touched from the engine's side
        response.setHeader("Connection", "close");
        response.flushBuffer(); // status and headers now; the body is chunked
        LiveStream[] stream = new LiveStream[1];
        FlvSubscriber[] subscriber = new FlvSubscriber[1];
        HttpFlvViewer viewer = new HttpFlvViewer(async, response.getOutputStream(), properties.bufferLimit().toBytes(),
                () -> {
                    if (stream[0] != null) {
                        stream[0].unsubscribe(subscriber[0]);
                    }
                });
        viewers.add(viewer);
        subscriber[0] = new FlvSubscriber(id, viewer, ByteBufAllocator.DEFAULT, properties.maxLag().toMillis());
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                viewer.containerDone("response complete");
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                viewer.containerDone("timeout");
            }

            @Override
            public void onError(AsyncEvent event) {
                viewer.containerDone("error: " + event.getThrowable());
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        response.getOutputStream().setWriteListener(viewer);
        pulls.demand(key.app(), key.name()); // an on-demand pull relay starts for HTTP viewers too
        rtmp.subscribe(key, subscriber[0]).whenComplete((live, error) -> {
            if (error != null) {
                viewer.close("subscribe failed: " + error);
                return;
            }
            stream[0] = live;
            log.info("HTTP-FLV viewer {} playing {}", id, key);
        });
    }

    private void allowCors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null || properties.corsOrigins().isEmpty()) {
            return;
        }
        if (properties.corsOrigins().contains("*")) {
            response.setHeader("Access-Control-Allow-Origin", "*");
        } else if (properties.corsOrigins().contains(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
