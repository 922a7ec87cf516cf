package io.sluice.engine.relay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.stream.StreamSnapshot;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Servers, clients, processes and publishers of one relay test; {@link #close()} ends them all, newest first. */
final class RelayFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration GRACE = Duration.ofMillis(600);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** An engine on a free port of 127.0.0.1, short reconnect grace. */
    RtmpServer server(UnaryOperator<RtmpServerConfig> tweak, AccessGate gate, StreamEventListener listener) {
        RtmpServerConfig config = tweak.apply(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(new StreamConfig(8L << 20, 4096, GRACE, Duration.ofSeconds(20),
                        StreamConfig.DuplicatePublishPolicy.REJECT))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10)));
        RtmpServer server = new RtmpServer(config, gate, listener);
        server.start();
        resources.push(() -> server.stop(Duration.ofSeconds(2)));
        return server;
    }

    RtmpServer server() {
        return server(c -> c, AccessGate.ALLOW_ALL, StreamEventListener.NONE);
    }

    static String url(RtmpServer server, String stream) {
        return "rtmp://127.0.0.1:" + server.port() + "/live/" + stream;
    }

    RtmpClient connect(String url) throws Exception {
        return connect(url, RtmpClient.Options.DEFAULT);
    }

    RtmpClient connect(String url, RtmpClient.Options options) throws Exception {
        RtmpClient client = RtmpClient.connect(url, options).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        resources.push(client::close);
        return client;
    }

    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    PushRelay add(PushRelay push) {
        resources.push(push::stop);
        return push;
    }

    PullRelay add(PullRelay pull) {
        resources.push(pull::stop);
        return pull;
    }

    /** Publishes synthetic H.264/AAC at 30 fps until closed. */
    LivePublisher publish(String url, int videoPadding) throws Exception {
        RtmpClient client = connect(url);
        int streamId = client.publish().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return add(new LivePublisher(client, streamId, videoPadding));
    }

    Process start(Path dir, String name, List<String> command) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            resources.push(() -> {
                if (p.isAlive()) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            });
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    static String log(Path dir, String name) {
        try {
            Path f = dir.resolve(name + ".log");
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // best effort: the next ones still close
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static Optional<StreamSnapshot> snapshot(RtmpServer server, String name) {
        return server.streamSnapshots().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static boolean live(RtmpServer server, String name) {
        return snapshot(server, name).map(StreamSnapshot::live).orElse(false);
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static boolean installed(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(d, binary);
            if (f.isFile() && f.canExecute()) {
                return true;
            }
        }
        return false;
    }

    static void assumeInstalled(String... binaries) {
        for (String b : binaries) {
            assumeTrue(installed(b), b + " not installed: skipping");
        }
    }

    /**
     * A synthetic live source: metadata and sequence headers, then a video frame (keyframe every 30,
     * padded to make it heavy if asked) and an audio frame every 33 ms. Frame n carries n in its last
     * byte(s) so receivers can check order.
     */
    static final class LivePublisher implements AutoCloseable {
        private final RtmpClient client;
        private final int streamId;
        private final int padding;
        private final AtomicInteger frames = new AtomicInteger();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-publisher");
            t.setDaemon(true);
            return t;
        });
        private final ScheduledFuture<?> task;

        LivePublisher(RtmpClient client, int streamId, int padding) {
            this.client = client;
            this.streamId = streamId;
            this.padding = padding;
            SyntheticStream.sendHeaders(client, streamId, 0);
            task = timer.scheduleAtFixedRate(this::frame, 0, 33, TimeUnit.MILLISECONDS);
        }

        private void frame() {
            if (!client.isActive()) {
                return;
            }
            int n = frames.getAndIncrement();
            int ts = n * 33;
            client.send(SyntheticStream.VIDEO, streamId, ts, videoFrame(n, n % 30 == 0, padding));
            client.send(SyntheticStream.AUDIO, streamId, ts, SyntheticStream.aacFrame(n));
            client.flush();
        }

        static ByteBuf videoFrame(int n, boolean key, int padding) {
            byte[] b = new byte[11 + padding + 4];
            b[0] = (byte) (key ? 0x17 : 0x27);
            b[1] = 1;
            b[8] = 1;
            b[9] = (byte) (key ? 0x65 : 0x41);
            b[b.length - 4] = (byte) (n >>> 24);
            b[b.length - 3] = (byte) (n >>> 16);
            b[b.length - 2] = (byte) (n >>> 8);
            b[b.length - 1] = (byte) n;
            return Unpooled.wrappedBuffer(b);
        }

        /** The frame number in a video payload made by {@link #videoFrame}. */
        static int frameNumber(byte[] payload) {
            int l = payload.length;
            return (payload[l - 4] & 0xFF) << 24 | (payload[l - 3] & 0xFF) << 16 | (payload[l - 2] & 0xFF) << 8
                    | payload[l - 1] & 0xFF;
        }

        int frames() {
            return frames.get();
        }

        RtmpClient client() {
            return client;
        }

        /** Stops sending and unpublishes. */
        void stop() throws Exception {
            task.cancel(false);
            timer.shutdown();
            timer.awaitTermination(2, TimeUnit.SECONDS);
            if (client.isActive()) {
                client.deleteStream(streamId);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            client.close();
        }
    }
}
