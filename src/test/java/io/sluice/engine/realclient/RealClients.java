package io.sluice.engine.realclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.stream.StreamSnapshot;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Support for the real-client tests: the server under test, the client command lines, the output
 * folders ({@code target/realclient/<TestClass>/<test>/}), process cleanup, ffprobe, and polling with
 * deadlines.
 *
 * <p>Register it as a {@code static} {@code @RegisterExtension} field: processes started from
 * {@code @BeforeAll} live in {@code <TestClass>/_class/} and are killed after all tests, processes
 * started in a test live in the test's folder and are killed after it (with their log tails printed
 * when the test failed).
 */
final class RealClients implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final String APP = "live";
    static final Duration RECONNECT_GRACE = Duration.ofSeconds(2);
    static final Duration PLAY_WAIT = Duration.ofSeconds(15);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    /** Frames per second of every published test signal. */
    static final int FPS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<RtmpServer> serverFactory;
    /** The test class's server, started by the first {@link #server()} and stopped after the class. */
    private RtmpServer server;
    private final List<ExternalTool> classTools = new CopyOnWriteArrayList<>();
    private final List<ExternalTool> testTools = new CopyOnWriteArrayList<>();
    private Path classDir;
    private Path testDir;

    /** With the server of {@link #startServer()}. */
    RealClients() {
        this(RealClients::startServer);
    }

    /** With the server {@code serverFactory} starts (one of the {@code startServer} variants). */
    RealClients(Supplier<RtmpServer> serverFactory) {
        this.serverFactory = serverFactory;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        classDir = freshDir(base().resolve(context.getRequiredTestClass().getSimpleName()).resolve("_class"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        testDir = freshDir(base().resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName()));
        testTools.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean failed = context.getExecutionException().isPresent();
        reap(testTools, failed, context.getDisplayName());
        testTools.clear();
        testDir = null;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        reap(classTools, context.getExecutionException().isPresent(), context.getDisplayName());
        classTools.clear();
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
            server = null;
        }
    }

    private static void reap(List<ExternalTool> tools, boolean failed, String where) {
        for (ExternalTool tool : tools) {
            if (tool.isAlive()) {
                log("%s: killing %s, still running after the test", where, tool.name());
                tool.destroy();
            }
            if (failed) {
                log("%s failed; %s (%s) output tail:%n%s", where, tool.name(), tool.exitNanos().isPresent()
                        ? "exit " + tool.exitCode() : "killed", tool.tail(20));
            }
        }
    }

    private static Path base() {
        return Paths.get("target", "realclient");
    }

    private static Path freshDir(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of the running test (or of the class, from {@code @BeforeAll}). */
    Path dir() {
        Path d = testDir != null ? testDir : classDir;
        if (d == null) {
            throw new IllegalStateException("RealClients must be a static @RegisterExtension field");
        }
        return d;
    }

    Path file(String name) {
        return dir().resolve(name).toAbsolutePath();
    }

    /** Starts a process whose output goes to {@code <name>.log}; it is killed when the test (or class) ends. */
    ExternalTool start(String name, List<String> command) {
        ExternalTool tool = ExternalTool.start(dir(), name, command);
        (testDir != null ? testTools : classTools).add(tool);
        return tool;
    }

    // ---- the server -----------------------------------------------------------------------------

    /** The test class's server: started on first use, stopped when the class is done. */
    synchronized RtmpServer server() {
        if (server == null) {
            server = serverFactory.get();
        }
        return server;
    }

    static RtmpServer startServer() {
        return startServer(PLAY_WAIT);
    }

    static RtmpServer startServer(Duration playWait) {
        return startServer(streams(playWait), io.sluice.engine.spi.StreamEventListener.NONE);
    }

    /** The streams' settings of {@link #startServer()}, to vary. */
    static StreamConfig streams(Duration playWait) {
        return new StreamConfig(32L << 20, 4096, RECONNECT_GRACE, playWait, StreamConfig.DuplicatePublishPolicy.REJECT);
    }

    static RtmpServer startServer(StreamConfig streams) {
        return startServer(streams, io.sluice.engine.spi.StreamEventListener.NONE);
    }

    /** With the default limits and timeouts a test may rely on; {@code listener} hears what happens. */
    static RtmpServer startServer(Duration playWait, io.sluice.engine.spi.StreamEventListener listener) {
        return startServer(streams(playWait), listener);
    }

    static RtmpServer startServer(StreamConfig streams, io.sluice.engine.spi.StreamEventListener listener) {
        RtmpServerConfig cfg = RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(streams)
                .withTimeouts(HANDSHAKE_TIMEOUT, Duration.ofSeconds(5), Duration.ofSeconds(10));
        RtmpServer server = new RtmpServer(cfg, io.sluice.engine.spi.AccessGate.ALLOW_ALL, listener);
        server.start();
        return server;
    }

    /** An ffmpeg player copying {@code stream} to {@code out}, returned once the server counts it on the stream. */
    ExternalTool ffmpegPlayer(String stream, Path out) {
        ExternalTool player = start("ffmpeg-player", ffmpegCopy(url(server(), stream), out));
        awaitPlayers(server(), stream, 1, Duration.ofSeconds(15));
        return player;
    }

    /** ffmpeg publishing {@code seconds} of the test signal to {@code stream}, returned once the stream is live. */
    ExternalTool ffmpegPublisher(String name, String stream, int seconds) {
        ExternalTool publisher = start(name, ffmpegPublish(url(server(), stream), seconds));
        awaitLive(server(), stream, Duration.ofSeconds(15));
        return publisher;
    }

    static String url(RtmpServer server, String stream) {
        return "rtmp://127.0.0.1:" + server.port() + "/" + APP + "/" + stream;
    }

    static Optional<StreamSnapshot> snapshot(RtmpServer server, String stream) {
        return server.streamSnapshots().stream()
                .filter(s -> s.app().equals(APP) && s.name().equals(stream))
                .findFirst();
    }

    static long players(RtmpServer server, String stream) {
        return server.sessions().stream()
                .filter(s -> s.role() == SessionInfo.Role.PLAYER && stream.equals(s.streamName()))
                .count();
    }

    /** Waits until {@code count} player sessions are on {@code stream}. */
    static void awaitPlayers(RtmpServer server, String stream, int count, Duration timeout) {
        awaitCondition(timeout, count + " player(s) on " + stream + " (have " + players(server, stream) + ")",
                () -> players(server, stream) >= count);
    }

    /** Waits until {@code stream} is published and returns the moment it was seen live (System.nanoTime). */
    static long awaitLive(RtmpServer server, String stream, Duration timeout) {
        awaitCondition(timeout, stream + " live", () -> snapshot(server, stream).map(StreamSnapshot::live).orElse(false));
        return System.nanoTime();
    }

    /** Waits until the publisher's video sequence header is in (the snapshot names the codec). */
    static StreamSnapshot awaitSnapshotWithVideo(RtmpServer server, String stream, Duration timeout) {
        awaitCondition(timeout, "video of " + stream,
                () -> snapshot(server, stream).map(s -> s.videoCodec() != null).orElse(false));
        return snapshot(server, stream).orElseThrow();
    }

    // ---- client command lines -------------------------------------------------------------------

    /** ffmpeg publishing {@code seconds} of testsrc2 640x360@30 H.264 (keyframe every second) + 440 Hz AAC. */
    static List<String> ffmpegPublish(String url, int seconds) {
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", String.valueOf(FPS),
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-t", String.valueOf(seconds),
                "-f", "flv", url);
    }

    /** ffmpeg playing and saving the stream as it comes (no transcoding). */
    static List<String> ffmpegCopy(String url, Path out) {
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", url,
                "-c", "copy", "-f", "flv", out.toString());
    }

    /** rtmpdump (librtmp) saving a live stream ({@code -v}). */
    static List<String> rtmpdump(String url, Path out) {
        return List.of("rtmpdump", "-v", "-r", url, "-o", out.toString());
    }

    /** GStreamer's rtmp2src (plugins-bad, its own RTMP stack). */
    static List<String> gstRtmp2src(String url, Path out) {
        return List.of("gst-launch-1.0", "-e", "rtmp2src", "location=" + url, "!", "filesink",
                "location=" + out);
    }

    /** GStreamer's rtmpsrc (librtmp); the live flag goes in the location, as librtmp options do. */
    static List<String> gstRtmpsrc(String url, Path out) {
        return List.of("gst-launch-1.0", "-e", "rtmpsrc", "location=" + url + " live=1", "!", "filesink",
                "location=" + out);
    }

    // ---- availability ---------------------------------------------------------------------------

    static boolean installed(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
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

    static boolean gstElementExists(String element) {
        if (!installed("gst-inspect-1.0")) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("gst-inspect-1.0", "--exists", element)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumeGstElements(String... elements) {
        assumeInstalled("gst-launch-1.0", "gst-inspect-1.0");
        for (String e : elements) {
            assumeTrue(gstElementExists(e), "GStreamer element " + e + " not installed: skipping");
        }
    }

    // ---- ffprobe --------------------------------------------------------------------------------

    /** What ffprobe found in a saved file, frames counted by decoding. */
    record MediaInfo(String videoCodec, int width, int height, int videoFrames, String audioCodec, int audioFrames) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %dx%d %d frames, %s %d frames", videoCodec, width, height,
                    videoFrames, audioCodec, audioFrames);
        }
    }

    /** {@code ffprobe -count_frames} on a saved file. */
    MediaInfo probe(Path file) {
        assertThat(file).as("output file of a player").exists();
        String name = "ffprobe-" + file.getFileName();
        ExternalTool p = start(name, List.of("ffprobe", "-v", "error", "-count_frames",
                "-show_entries", "stream=codec_type,codec_name,width,height,nb_read_frames", "-of", "json",
                file.toString()));
        assertThat(p.assertExitsWithin(Duration.ofSeconds(60))).as("ffprobe exit code on %s: %s", file,
                p.tail(10)).isZero();
        return parseStreams(p.output(), true);
    }

    /** Parses ffprobe's JSON {@code streams} (ignoring any warning lines before it). */
    static MediaInfo parseStreams(String output, boolean counted) {
        int start = output.indexOf('{');
        assertThat(start).as("ffprobe printed no JSON: %s", output).isGreaterThanOrEqualTo(0);
        try {
            JsonNode root = JSON.readTree(output.substring(start));
            String vCodec = null;
            String aCodec = null;
            int w = 0;
            int h = 0;
            int vFrames = -1;
            int aFrames = -1;
            for (JsonNode s : root.path("streams")) {
                String type = s.path("codec_type").asText();
                if (type.equals("video") && vCodec == null) {
                    vCodec = s.path("codec_name").asText();
                    w = s.path("width").asInt();
                    h = s.path("height").asInt();
                    vFrames = counted ? s.path("nb_read_frames").asInt(-1) : -1;
                } else if (type.equals("audio") && aCodec == null) {
                    aCodec = s.path("codec_name").asText();
                    aFrames = counted ? s.path("nb_read_frames").asInt(-1) : -1;
                }
            }
            return new MediaInfo(vCodec, w, h, vFrames, aCodec, aFrames);
        } catch (IOException e) {
            throw new AssertionError("unparsable ffprobe output: " + output, e);
        }
    }

    // ---- waiting --------------------------------------------------------------------------------

    /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
    static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Sleeps until {@code nanoTime} (for scenario timing, not for waiting on a condition). */
    static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static int atLeast95Percent(int frames) {
        return (int) Math.ceil(frames * 0.95);
    }

    /** One line for the record: surefire keeps it in {@code <TestClass>-output.txt}. */
    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[realclient] " + format + "%n", args);
    }
}
