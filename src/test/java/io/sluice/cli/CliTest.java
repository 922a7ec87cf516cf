package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufUtil;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.stream.StreamKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice push} and {@code sluice pull} against the engine: a file pushed and pulled back
 * keeps every audio and video tag byte for byte (HEVC and AV1 samples), errors exit 1 with one clear
 * line, and Ctrl-C leaves a complete file.
 */
@Timeout(90)
class CliTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<RtmpServer> servers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        servers.forEach(s -> s.stop(Duration.ofSeconds(2)));
    }

    private RtmpServer server(AccessGate gate) {
        RtmpServerConfig config = RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(new StreamConfig(8L << 20, 4096, Duration.ofMillis(300), Duration.ofSeconds(20),
                        StreamConfig.DuplicatePublishPolicy.REJECT));
        RtmpServer server = new RtmpServer(config, gate, StreamEventListener.NONE);
        server.start();
        servers.add(server);
        return server;
    }

    private static String url(RtmpServer server, String name) {
        return "rtmp://127.0.0.1:" + server.port() + "/live/" + name;
    }

    /** One CLI run in-process: exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static CompletableFuture<Run> cliAsync(String... args) {
        CompletableFuture<Run> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(cli(args));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "cli " + args[0]);
        t.setDaemon(true);
        t.start();
        return result;
    }

    private static Path sample(String name) {
        String media = System.getProperty("sluice.media.dir");
        assumeTrue(media != null, "sluice.media.dir not set: skipping");
        Path file = Path.of(media, name);
        assumeTrue(Files.isReadable(file), file + " missing: skipping");
        return file;
    }

    /** An audio or video tag as it is in a file: type, timestamp, body. */
    record Tag(int type, long timestamp, byte[] body) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tag t && t.type == type && t.timestamp == timestamp && Arrays.equals(t.body, body);
        }

        @Override
        public int hashCode() {
            return type * 31 + Long.hashCode(timestamp) + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return (type == 9 ? "video" : "audio") + "@" + timestamp + "[" + body.length + "]";
        }
    }

    private static List<Tag> mediaTags(Path file) throws IOException {
        List<Tag> tags = new ArrayList<>();
        try (FlvReader reader = FlvReader.open(file)) {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                try {
                    if (tag.isAudio() || tag.isVideo()) {
                        tags.add(new Tag(tag.type(), Integer.toUnsignedLong(tag.timestamp()),
                                ByteBufUtil.getBytes(tag.payload())));
                    }
                } finally {
                    tag.release();
                }
            }
            assertThat(reader.truncatedTail()).as("%s ends inside a tag", file).isFalse();
            assertThat(reader.previousTagSizeMismatches()).as("PreviousTagSize errors in %s", file).isZero();
        }
        return tags;
    }

    private static long players(RtmpServer server) {
        return server.sessions().stream().filter(s -> s.role() == SessionInfo.Role.PLAYER).count();
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hevc-aac.flv", "av1-aac.flv"})
    void aFilePushedAndPulledBackKeepsEveryTagByteForByte(String name) throws Exception {
        Path input = sample(name);
        RtmpServer server = server(AccessGate.ALLOW_ALL);
        Path output = dir.resolve("pulled-" + name);
        String url = url(server, "roundtrip");

        CompletableFuture<Run> pull = cliAsync("pull", url, output.toString());
        await(WAIT, "the pull playing", () -> players(server) == 1);
        long start = System.nanoTime();
        Run push = cli("push", input.toString(), url);
        long pushMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(push.exit()).as("push: %s", push.err()).isZero();
        Run pulled = pull.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pulled.exit()).as("pull: %s", pulled.err()).isZero();

        List<Tag> sent = mediaTags(input);
        List<Tag> received = mediaTags(output);
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).as("tag %d", i).isEqualTo(sent.get(i));
        }
        long duration = sent.get(sent.size() - 1).timestamp();
        assertThat(pushMillis).as("real-time pace").isBetween(duration - 200, duration + 3000);
        assertThat(push.err()).contains("time=").contains("bitrate=").contains("done: ");
        assertThat(pulled.err()).contains("done (the stream ended)");
        System.out.printf("%s: %d A/V tags identical; push took %d ms for %d ms of media%n", name, sent.size(),
                pushMillis, duration);
    }

    @Test
    void aBadUrlIsAClearErrorWithExitCode1() {
        Run pull = cli("pull", "http://example.com/live/x", dir.resolve("x.flv").toString());
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("error: invalid URL 'http://example.com/live/x'")
                .contains("not an rtmp:// or rtmps:// URL");
        Run push = cli("push", sample("hevc-aac.flv").toString(), "rtmp://host-without-app");
        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.err()).startsWith("error: invalid URL");
        Run usage = cli("push", "only-one-argument");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("usage:");
    }

    @Test
    void aRefusedConnectionIsAClearErrorWithExitCode1() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = "rtmp://127.0.0.1:" + port + "/live/x";
        Run pull = cli("pull", url, dir.resolve("x.flv").toString());
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("error: cannot connect to 127.0.0.1:" + port).containsIgnoringCase("refused");
        Run push = cli("push", sample("av1-aac.flv").toString(), url);
        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.err()).contains("error: cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void aRejectedStreamIsAClearErrorWithExitCode1() {
        RtmpServer server = server(r -> CompletableFuture.completedFuture(switch (r.action()) {
            case PUBLISH -> AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED, "Unknown stream key.");
            case PLAY -> AccessDecision.deny(AccessDecision.Reason.BANNED, "Not for you.");
            default -> AccessDecision.allow();
        }));
        Run push = cli("push", sample("hevc-aac.flv").toString(), url(server, "secret"));
        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.err()).contains("error: the server at 127.0.0.1:" + server.port()
                + " rejected the stream 'secret': NetStream.Publish.Unauthorized: Unknown stream key.");
        Run pull = cli("pull", url(server, "secret"), dir.resolve("x.flv").toString());
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("rejected the stream 'secret': NetStream.Play.Failed: Not for you.");
    }

    @Test
    void ctrlCStopsAPullWithACompleteFile() throws Exception {
        Path input = sample("hevc-aac.flv");
        RtmpServer server = server(AccessGate.ALLOW_ALL);
        String url = url(server, "interrupted");
        Path output = dir.resolve("interrupted.flv");
        Path log = dir.resolve("pull.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process pull = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.sluice.SluiceApplication", "pull", url, output.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await(WAIT, "the pull process playing", () -> players(server) == 1);
            // looped: on a busy machine the signal may land after the file's 4 s, which must not end the stream
            CompletableFuture<Run> push = cliAsync("push", "--loop", input.toString(), url);
            // progress lines come about once a second: wait for one between 1 and 4 s of media
            await(WAIT, "progress from the pull", () -> read(log).matches("(?s).*time=00:00:0[1-3].*"));
            long signalled = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pull.pid())).start();
            assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(pull.waitFor(15, TimeUnit.SECONDS)).as("pull exits on SIGINT; log:%n%s", read(log)).isTrue();
            long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertThat(pull.exitValue()).as("exit code after Ctrl-C").isIn(0, 130);
            assertThat(read(log)).contains("done (interrupted)");
            List<Tag> tags = mediaTags(output); // asserts a complete file
            assertThat(tags).hasSizeGreaterThan(20);
            List<Tag> sent = mediaTags(input);
            int firstPass = Math.min(tags.size(), sent.size());
            assertThat(tags.subList(0, firstPass)).isEqualTo(sent.subList(0, firstPass));
            System.out.printf("Ctrl-C: pull exited %d ms after SIGINT with %d complete tags%n", exitMillis, tags.size());
            server.streams().find(new StreamKey("live", "interrupted")).orElseThrow().terminate("test over");
            assertThat(push).as("the looped push ends with its stream").succeedsWithin(WAIT);
        } finally {
            pull.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void optionsAreChecked() {
        assertThat(cli("pull", "--loop", "rtmp://h/a/s", "x.flv").exit()).isEqualTo(2);
        assertThat(cli("push", "--bogus", "in.flv", "rtmp://h/a/s").exit()).isEqualTo(2);
        assertThat(cli("push", "--timeout", "0", "in.flv", "rtmp://h/a/s").exit()).isEqualTo(2);
        Run missing = cli("push", dir.resolve("missing.flv").toString(), "rtmp://127.0.0.1:1/live/s");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("error: cannot read");
        assertThat(Cli.isCommand(new String[]{"pull"})).isTrue();
        assertThat(Cli.isCommand(new String[]{"--server.port=0"})).isFalse();
        assertThat(Cli.isCommand(new String[0])).isFalse();
    }
}
