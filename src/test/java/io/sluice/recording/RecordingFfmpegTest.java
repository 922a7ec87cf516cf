package io.sluice.recording;

import static io.sluice.recording.RecordingTests.assertSeeks;
import static io.sluice.recording.RecordingTests.assertStartsCleanly;
import static io.sluice.recording.RecordingTests.awaitSuccess;
import static io.sluice.recording.RecordingTests.decodeErrors;
import static io.sluice.recording.RecordingTests.poll;
import static io.sluice.recording.RecordingTests.probe;
import static io.sluice.recording.RecordingTests.publish;
import static io.sluice.recording.RecordingTests.readFlv;
import static io.sluice.recording.RecordingTests.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.stream.StreamKey;
import io.sluice.system.SluiceProperties;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * Recording real ffmpeg publishes end to end: automatic recording of an app, start/stop over REST,
 * audio-only and video-only, a stream key with auto-record, the list's filters, Range downloads and
 * delete. Files are checked with ffprobe/ffmpeg and the engine's FLV reader.
 */
@SluiceSpringTest
@TestPropertySource(properties = {"sluice.keys.default-publish-policy=OPEN", "sluice.recording.apps=auto"})
@Timeout(120)
class RecordingFfmpegTest {
    private static final Path LOGS = Path.of("target", "recording-tests");

    @Autowired
    TestRestTemplate rest;
    @Autowired
    RtmpServer rtmp;
    @Autowired
    SluiceProperties sluice;

    @BeforeEach
    void ffmpeg() {
        RecordingTests.assumeFfmpeg();
    }

    private TestRestTemplate admin() {
        return rest.withBasicAuth("admin", "admin-password");
    }

    private String url(String app, String name) {
        return "rtmp://127.0.0.1:" + rtmp.port() + "/" + app + "/" + name;
    }

    private Path file(JsonNode segment) {
        return sluice.dataDir().resolve(segment.get("path").asText());
    }

    /** The newest recording of app/stream once it has the given status. */
    private JsonNode awaitRecording(String app, String stream, String status) throws InterruptedException {
        return poll(() -> {
            JsonNode page = admin().getForObject("/api/recordings?app={a}&stream={s}", JsonNode.class, app, stream);
            JsonNode first = page.get("items").path(0);
            return first.path("status").asText().equals(status) ? first : null;
        }, seconds(30), app + "/" + stream + " " + status);
    }

    private JsonNode detail(long id) {
        return admin().getForObject("/api/recordings/" + id, JsonNode.class);
    }

    private ResponseEntity<JsonNode> startRecording(String app, String name, String mode) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        String body = mode == null ? "{}" : "{\"mode\":\"" + mode + "\"}";
        return admin().exchange("/api/streams/{a}/{n}/recording", HttpMethod.POST, new HttpEntity<>(body, headers),
                JsonNode.class, app, name);
    }

    private void awaitLive(String app, String name, Duration publishedFor) throws InterruptedException {
        poll(() -> rtmp.streams().find(new StreamKey(app, name)).map(s -> s.snapshot())
                .filter(s -> s.live() && s.publishedAt() != null
                        && s.publishedAt().plus(publishedFor).isBefore(Instant.now()))
                .orElse(null), seconds(20), app + "/" + name + " live for " + publishedFor);
    }

    @Test
    void aTenSecondPublishToARecordedAppIsOneFinishedSeekableFile() throws Exception {
        Path log = LOGS.resolve("ten.log");
        Process ffmpeg = publish(url("auto", "ten"), 10, log);
        awaitSuccess(ffmpeg, seconds(40), log);

        JsonNode recording = awaitRecording("auto", "ten", "COMPLETED");
        assertThat(recording.get("trigger").asText()).isEqualTo("CONFIG");
        assertThat(recording.get("mode").asText()).isEqualTo("ALL");
        assertThat(recording.get("segments").asInt()).isEqualTo(1);
        assertThat(recording.get("reason").isNull()).isTrue();
        JsonNode segment = detail(recording.get("id").asLong()).get("segments").get(0);
        assertThat(segment.get("complete").asBoolean()).isTrue();
        assertThat(segment.get("path").asText())
                .matches("recordings/auto/ten/\\d{4}-\\d{2}-\\d{2}/ten-\\d{8}-\\d{6}\\.flv");
        assertThat(segment.get("videoCodec").asText()).isEqualTo("H.264");
        assertThat(segment.get("audioCodec").asText()).isEqualTo("AAC");
        assertThat(segment.get("width").asInt()).isEqualTo(320);
        assertThat(segment.get("height").asInt()).isEqualTo(240);
        assertThat(segment.get("keyframes").asInt()).isBetween(9, 11);

        Path file = file(segment);
        assertThat(Files.size(file)).isEqualTo(segment.get("sizeBytes").asLong());
        assertThat(Path.of(file + ".part")).doesNotExist();
        RecordingTests.Probe probe = probe(file);
        System.out.printf("10 s publish: ffprobe duration %.3f s, recorder %.3f s, %s%n", probe.duration(),
                segment.get("durationSeconds").asDouble(), probe.streams());
        assertThat(probe.duration()).isCloseTo(10.0, within(0.5));
        assertThat(probe.streams()).containsExactlyInAnyOrder("video:h264", "audio:aac");
        assertThat(decodeErrors(file)).isEmpty();

        RecordingTests.FlvFile flv = readFlv(file);
        assertStartsCleanly(flv, true, true);
        assertThat(flv.number("duration")).isCloseTo(10.0, within(0.5));
        assertThat(flv.number("filesize")).isEqualTo(Files.size(file));
        assertThat(flv.keyframeTimes()).hasSize(segment.get("keyframes").asInt()).first().isEqualTo(0.0);
        List<Long> keyframePositions = flv.tags().stream().filter(RecordingTests.FlvTagInfo::keyframe)
                .map(RecordingTests.FlvTagInfo::position).toList();
        assertThat(flv.keyframePositions()).containsExactlyElementsOf(
                keyframePositions.stream().map(Long::doubleValue).toList());
        assertSeeks(file, 5);
    }

    @Test
    void startAndStopOverRest() throws Exception {
        ResponseEntity<JsonNode> notLive = startRecording("live", "manual", null);
        assertThat(notLive.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(notLive.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(admin().exchange("/api/streams/live/manual/recording", HttpMethod.DELETE, null, JsonNode.class)
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);

        Path log = LOGS.resolve("manual.log");
        Process ffmpeg = publish(url("live", "manual"), 20, log);
        try {
            awaitLive("live", "manual", Duration.ZERO);
            ResponseEntity<JsonNode> started = startRecording("live", "manual", null);
            assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
            long id = started.getBody().get("recording").get("id").asLong();
            assertThat(started.getHeaders().getLocation()).hasPath("/api/recordings/" + id);
            assertThat(started.getBody().get("recording").get("status").asText()).isEqualTo("RECORDING");
            assertThat(started.getBody().get("recording").get("trigger").asText()).isEqualTo("API");

            ResponseEntity<JsonNode> again = startRecording("live", "manual", null);
            assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(again.getBody().get("recordingId").asLong()).isEqualTo(id);

            awaitLive("live", "manual", seconds(5)); // record a few seconds
            ResponseEntity<JsonNode> stopped = admin().exchange("/api/streams/live/manual/recording",
                    HttpMethod.DELETE, null, JsonNode.class);
            assertThat(stopped.getStatusCode()).isEqualTo(HttpStatus.OK);
            JsonNode recording = stopped.getBody().get("recording");
            assertThat(recording.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(recording.get("endedAt").isNull()).isFalse();
            JsonNode segment = stopped.getBody().get("segments").get(0);
            assertThat(segment.get("complete").asBoolean()).isTrue();
            assertThat(segment.get("durationSeconds").asDouble()).isBetween(1.0, 15.0);
            assertThat(ffmpeg.isAlive()).as("the publish goes on after the recording stopped").isTrue();

            Path file = file(segment);
            RecordingTests.Probe probe = probe(file);
            assertThat(probe.streams()).containsExactlyInAnyOrder("video:h264", "audio:aac");
            assertThat(probe.duration()).isCloseTo(segment.get("durationSeconds").asDouble(), within(0.2));
            assertStartsCleanly(readFlv(file), true, true);
            assertThat(decodeErrors(file)).isEmpty();
            assertThat(admin().exchange("/api/streams/live/manual/recording", HttpMethod.DELETE, null,
                    JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        } finally {
            ffmpeg.destroy();
        }
    }

    @Test
    void audioOnlyAndVideoOnly() throws Exception {
        Process audio = publish(url("live", "aonly"), 8, LOGS.resolve("aonly.log"));
        Process video = publish(url("live", "vonly"), 8, LOGS.resolve("vonly.log"));
        try {
            awaitLive("live", "aonly", Duration.ZERO);
            awaitLive("live", "vonly", Duration.ZERO);
            assertThat(startRecording("live", "aonly", "AUDIO").getStatusCode()).isEqualTo(HttpStatus.CREATED);
            assertThat(startRecording("live", "vonly", "VIDEO").getStatusCode()).isEqualTo(HttpStatus.CREATED);
            awaitSuccess(audio, seconds(30), LOGS.resolve("aonly.log"));
            awaitSuccess(video, seconds(30), LOGS.resolve("vonly.log"));
        } finally {
            audio.destroy();
            video.destroy();
        }
        // the recordings end with the publish
        JsonNode a = awaitRecording("live", "aonly", "COMPLETED");
        JsonNode v = awaitRecording("live", "vonly", "COMPLETED");
        assertThat(a.get("mode").asText()).isEqualTo("AUDIO");
        assertThat(v.get("mode").asText()).isEqualTo("VIDEO");

        Path audioFile = file(detail(a.get("id").asLong()).get("segments").get(0));
        RecordingTests.Probe audioProbe = probe(audioFile);
        assertThat(audioProbe.streams()).containsExactly("audio:aac");
        assertThat(audioProbe.duration()).isGreaterThan(4.0);
        RecordingTests.FlvFile audioFlv = readFlv(audioFile);
        assertStartsCleanly(audioFlv, true, false);
        assertThat(audioFlv.metadata().containsKey("width")).isFalse();
        assertThat(decodeErrors(audioFile)).isEmpty();

        Path videoFile = file(detail(v.get("id").asLong()).get("segments").get(0));
        RecordingTests.Probe videoProbe = probe(videoFile);
        assertThat(videoProbe.streams()).containsExactly("video:h264");
        assertThat(videoProbe.duration()).isGreaterThan(4.0);
        RecordingTests.FlvFile videoFlv = readFlv(videoFile);
        assertStartsCleanly(videoFlv, false, true);
        assertThat(videoFlv.metadata().containsKey("audiocodecid")).isFalse();
        assertThat(decodeErrors(videoFile)).isEmpty();
    }

    @Test
    void keyAutoRecordFiltersRangeDownloadAndDelete() throws Exception {
        ResponseEntity<JsonNode> key = admin().postForEntity("/api/keys",
                Map.of("label", "Cam A", "publicName", "cam", "autoRecord", true), JsonNode.class);
        assertThat(key.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String secret = key.getBody().get("secret").asText();
        Instant before = Instant.now();
        Path log = LOGS.resolve("cam.log");
        awaitSuccess(publish(url("live", secret), 4, log), seconds(30), log);

        JsonNode recording = awaitRecording("live", "cam", "COMPLETED");
        long id = recording.get("id").asLong();
        assertThat(recording.get("trigger").asText()).isEqualTo("KEY");
        assertThat(recording.get("keyLabel").asText()).isEqualTo("Cam A");
        assertThat(recording.toString()).doesNotContain(secret);

        // filters
        assertThat(ids("/api/recordings?keyLabel=Cam A")).containsExactly(id);
        assertThat(ids("/api/recordings?keyLabel=Cam B")).isEmpty();
        assertThat(ids("/api/recordings?app=live&stream=cam&status=COMPLETED")).containsExactly(id);
        assertThat(ids("/api/recordings?stream=cam&from=" + before.minusSeconds(1) + "&to=" + Instant.now()))
                .containsExactly(id);
        assertThat(ids("/api/recordings?stream=cam&from=" + Instant.now().plusSeconds(60))).isEmpty();
        JsonNode paged = admin().getForObject("/api/recordings?size=1&page=0", JsonNode.class);
        assertThat(paged.get("size").asInt()).isEqualTo(1);
        assertThat(paged.get("items")).hasSize(1);
        assertThat(admin().getForEntity("/api/recordings?size=0", JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(admin().getForEntity("/api/recordings?from=yesterday", JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);

        // download: whole, and a Range
        JsonNode segment = detail(id).get("segments").get(0);
        String download = segment.get("downloadUrl").asText();
        byte[] bytes = Files.readAllBytes(file(segment));
        ResponseEntity<byte[]> whole = admin().getForEntity(download, byte[].class);
        assertThat(whole.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(whole.getHeaders().getContentType().toString()).isEqualTo("video/x-flv");
        assertThat(whole.getHeaders().getFirst(HttpHeaders.ACCEPT_RANGES)).isEqualTo("bytes");
        assertThat(whole.getHeaders().getContentDisposition().getFilename()).endsWith(".flv");
        assertThat(whole.getBody()).isEqualTo(bytes);
        HttpHeaders range = new HttpHeaders();
        range.set(HttpHeaders.RANGE, "bytes=1000-1999");
        ResponseEntity<byte[]> part = admin().exchange(download, HttpMethod.GET, new HttpEntity<>(range), byte[].class);
        assertThat(part.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
        assertThat(part.getHeaders().getFirst(HttpHeaders.CONTENT_RANGE))
                .isEqualTo("bytes 1000-1999/" + bytes.length);
        assertThat(part.getBody()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
        range.set(HttpHeaders.RANGE, "bytes=-100");
        ResponseEntity<byte[]> suffix = admin().exchange(download, HttpMethod.GET, new HttpEntity<>(range), byte[].class);
        assertThat(suffix.getStatusCode()).isEqualTo(HttpStatus.PARTIAL_CONTENT);
        assertThat(suffix.getBody()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 100, bytes.length));
        range.set(HttpHeaders.RANGE, "bytes=" + bytes.length + "-");
        assertThat(admin().exchange(download, HttpMethod.GET, new HttpEntity<>(range), byte[].class).getStatusCode())
                .isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        assertThat(admin().getForEntity("/api/recordings/" + id + "/segments/7/file", JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(rest.getForEntity(download, byte[].class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        // an API token needs the recordings scope
        String reader = admin().postForEntity("/api/tokens", Map.of("name", "reader", "scopes", List.of("streams:read")),
                JsonNode.class).getBody().get("token").asText();
        String recorder = admin().postForEntity("/api/tokens", Map.of("name", "rec", "scopes", List.of("recordings")),
                JsonNode.class).getBody().get("token").asText();
        HttpHeaders bearer = new HttpHeaders();
        bearer.setBearerAuth(reader);
        ResponseEntity<JsonNode> forbidden = rest.exchange("/api/recordings", HttpMethod.GET, new HttpEntity<>(bearer),
                JsonNode.class);
        assertThat(forbidden.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(rest.exchange("/api/streams/live/cam/recording", HttpMethod.POST, new HttpEntity<>(bearer),
                JsonNode.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        bearer.setBearerAuth(recorder);
        assertThat(rest.exchange(download, HttpMethod.GET, new HttpEntity<>(bearer), byte[].class).getBody())
                .isEqualTo(bytes);

        // delete: the row and the file
        assertThat(admin().exchange("/api/recordings/" + id, HttpMethod.DELETE, null, Void.class).getStatusCode())
                .isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(file(segment)).doesNotExist();
        assertThat(admin().getForEntity("/api/recordings/" + id, JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(admin().exchange("/api/recordings/" + id, HttpMethod.DELETE, null, JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    private List<Long> ids(String url) {
        JsonNode page = admin().getForObject(url, JsonNode.class);
        return Optional.ofNullable(page.get("items")).map(items -> {
            List<Long> ids = new java.util.ArrayList<>();
            items.forEach(i -> ids.add(i.get("id").asLong()));
            return ids;
        }).orElseThrow(() -> new AssertionError(url + " -> " + page));
    }
}
