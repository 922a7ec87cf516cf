package io.sluice.recording;

import static io.sluice.recording.RecordingTests.assertSeeks;
import static io.sluice.recording.RecordingTests.assertStartsCleanly;
import static io.sluice.recording.RecordingTests.decodeErrors;
import static io.sluice.recording.RecordingTests.poll;
import static io.sluice.recording.RecordingTests.probe;
import static io.sluice.recording.RecordingTests.publish;
import static io.sluice.recording.RecordingTests.readFlv;
import static io.sluice.recording.RecordingTests.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a recording: the server runs as a separate JVM, is killed with SIGKILL while
 * ffmpeg publishes, and started again on the same data directory. The recording is then INTERRUPTED
 * and its file finished (cut after the last complete tag, duration and keyframe index written,
 * renamed from .part) and playable, missing at most the last second of what was published.
 */
@Timeout(300)
class RecordingCrashRepairTest {
    private static final Path LOGS = Path.of("target", "recording-tests");
    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A running server process and its HTTP port. */
    record Server(Process process, int httpPort, int rtmpPort) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Server startServer(String name) throws Exception {
        int rtmpPort = freePort();
        Path log = LOGS.resolve(name + ".log");
        Files.createDirectories(LOGS);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.sluice.SluiceApplication",
                "--server.port=0", "--sluice.rtmp.port=" + rtmpPort, "--sluice.data-dir=" + dataDir,
                "--sluice.recording.all=true", "--sluice.admin.password=x",
                "--sluice.keys.default-publish-policy=OPEN");
        Process process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        processes.add(process);
        int httpPort = poll(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + RecordingTests.tail(log));
            }
            try {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher m = HTTP_PORT.matcher(text);
                return m.find() && text.contains("RTMP listening") ? Integer.valueOf(m.group(1)) : null;
            } catch (IOException e) {
                return null;
            }
        }, seconds(120), name + " to start");
        return new Server(process, httpPort, rtmpPort);
    }

    private JsonNode get(Server server, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.httpPort() + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:x".getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aRecordingCutByKillMinus9IsRepairedAndInterruptedAtTheNextStart() throws Exception {
        RecordingTests.assumeFfmpeg();
        Server first = startServer("crash-server-1");
        Process ffmpeg = publish("rtmp://127.0.0.1:" + first.rtmpPort() + "/live/crash", 60,
                LOGS.resolve("crash-ffmpeg.log"));
        processes.add(ffmpeg);

        JsonNode recording = poll(() -> {
            JsonNode page = get(first, "/api/recordings?stream=crash");
            JsonNode item = page == null ? null : page.get("items").path(0);
            return item != null && item.path("status").asText().equals("RECORDING") ? item : null;
        }, seconds(30), "the recording to start");
        long id = recording.get("id").asLong();
        JsonNode live = poll(() -> {
            JsonNode stream = get(first, "/api/streams/live/crash");
            return stream != null && stream.get("stream").get("uptimeSeconds").asLong() >= 7 ? stream : null;
        }, seconds(30), "7 seconds of publishing");
        Instant publishedAt = Instant.parse(live.get("stream").get("publishedAt").asText());

        Instant killedAt = Instant.now();
        first.process().destroyForcibly(); // SIGKILL
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        double publishedSeconds = Duration.between(publishedAt, killedAt).toMillis() / 1000.0;
        ffmpeg.destroyForcibly();

        // what the kill left: an unfinished .part file, valid up to some tag, without duration or index
        List<Path> parts;
        try (var files = Files.walk(dataDir.resolve("recordings"))) {
            parts = files.filter(p -> p.toString().endsWith(".flv.part")).toList();
        }
        assertThat(parts).hasSize(1);
        long partSize = Files.size(parts.get(0));

        Server second = startServer("crash-server-2");
        JsonNode repaired = poll(() -> {
            JsonNode r = get(second, "/api/recordings/" + id);
            return r != null && r.get("recording").get("status").asText().equals("INTERRUPTED") ? r : null;
        }, seconds(60), "the recording to be repaired");

        JsonNode session = repaired.get("recording");
        assertThat(session.get("reason").asText()).contains("the server stopped while recording",
                "1 unfinished file(s) repaired");
        assertThat(Instant.parse(session.get("endedAt").asText())).isBetween(killedAt.minusSeconds(3), killedAt);
        JsonNode segment = repaired.get("segments").get(0);
        assertThat(segment.get("complete").asBoolean()).isTrue();
        Path file = dataDir.resolve(segment.get("path").asText());
        assertThat(parts.get(0)).doesNotExist();
        assertThat(file).exists();
        assertThat(Files.size(file)).isLessThanOrEqualTo(partSize).isEqualTo(segment.get("sizeBytes").asLong());

        RecordingTests.FlvFile flv = readFlv(file); // ends with a complete tag
        assertStartsCleanly(flv, true, true);
        RecordingTests.Probe probe = probe(file);
        assertThat(probe.streams()).containsExactlyInAnyOrder("video:h264", "audio:aac");
        assertThat(decodeErrors(file)).isEmpty();
        assertThat(flv.number("duration")).isCloseTo(probe.duration(), within(0.05));
        assertThat(flv.number("filesize")).isEqualTo(Files.size(file));
        assertThat(flv.keyframeTimes()).hasSizeGreaterThanOrEqualTo(6);
        assertSeeks(file, 4);

        double lost = publishedSeconds - probe.duration();
        System.out.printf("kill -9 after %.3f s of publishing: repaired file plays %.3f s, %.3f s lost; "
                + "%d bytes cut%n", publishedSeconds, probe.duration(), lost, partSize - Files.size(file));
        assertThat(lost).as("at most the last second is lost").isLessThanOrEqualTo(1.0);
        assertThat(probe.duration()).isLessThanOrEqualTo(publishedSeconds + 0.2);

        // a normal shutdown (SIGTERM) in the middle of a recording finishes its file before the database closes
        Process again = publish("rtmp://127.0.0.1:" + second.rtmpPort() + "/live/calm", 60,
                LOGS.resolve("calm-ffmpeg.log"));
        processes.add(again);
        poll(() -> {
            JsonNode stream = get(second, "/api/streams/live/calm");
            return stream != null && stream.get("stream").get("uptimeSeconds").asLong() >= 3 ? stream : null;
        }, seconds(30), "3 seconds of publishing");
        second.process().destroy();
        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        again.destroyForcibly();
        List<Path> calm;
        try (var files = Files.walk(dataDir.resolve("recordings/live/calm"))) {
            calm = files.filter(p -> p.toString().contains("calm-")).toList();
        }
        assertThat(calm).singleElement().satisfies(p -> assertThat(p.toString()).endsWith(".flv"));
        assertThat(readFlv(calm.get(0)).number("duration")).isGreaterThan(2.0);
        assertThat(Files.readString(LOGS.resolve("crash-server-2.log"))).contains("of live/calm completed");
    }
}
