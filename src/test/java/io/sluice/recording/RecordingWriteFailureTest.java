package io.sluice.recording;

import static io.sluice.recording.RecordingTests.decodeErrors;
import static io.sluice.recording.RecordingTests.poll;
import static io.sluice.recording.RecordingTests.probe;
import static io.sluice.recording.RecordingTests.publish;
import static io.sluice.recording.RecordingTests.readFlv;
import static io.sluice.recording.RecordingTests.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.stream.StreamKey;
import io.sluice.system.SluiceProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** A disk that fills up in the middle of a recording: the recording fails, the stream and its players go on. */
@SegmentedRecordingTest
@Timeout(120)
class RecordingWriteFailureTest {
    @Autowired
    TestRestTemplate rest;
    @Autowired
    RtmpServer rtmp;
    @Autowired
    SluiceProperties sluice;
    @Autowired
    FaultyStorage storage;
    @Autowired
    FaultyStorage.Events events;

    @AfterEach
    void healTheDisk() {
        storage.armed = false;
        storage.failStream = "";
    }

    @Test
    void aFullDiskFailsTheRecordingWithTheReasonWhileThePlayerKeepsReceiving() throws Exception {
        storage.failStream = "doomed";
        String url = "rtmp://127.0.0.1:" + rtmp.port() + "/auto/doomed";
        Process ffmpeg = publish(url, 25, Path.of("target", "recording-tests", "doomed.log"));
        RtmpClient player = null;
        try {
            poll(() -> rtmp.streams().find(new StreamKey("auto", "doomed")).filter(s -> s.snapshot().live())
                    .orElse(null), seconds(20), "the publish");
            AtomicInteger videoFrames = new AtomicInteger();
            player = RtmpClient.connect(url).get(10, TimeUnit.SECONDS);
            player.play(m -> {
                if (m instanceof MediaMessage media && media.typeId() == MessageType.VIDEO) {
                    videoFrames.incrementAndGet();
                }
            }).get(10, TimeUnit.SECONDS);
            TestRestTemplate admin = rest.withBasicAuth("admin", "admin-password");
            JsonNode recording = poll(() -> {
                JsonNode first = admin.getForObject("/api/recordings?stream=doomed", JsonNode.class).get("items").path(0);
                return first.path("status").asText().equals("RECORDING") ? first : null;
            }, seconds(10), "the recording");
            long id = recording.get("id").asLong();
            poll(() -> videoFrames.get() >= 60 ? true : null, seconds(15), "two seconds of video at the player");

            storage.armed = true; // the disk is full from now on

            JsonNode failed = poll(() -> {
                JsonNode r = admin.getForObject("/api/recordings/" + id, JsonNode.class);
                return r.get("recording").get("status").asText().equals("FAILED") ? r : null;
            }, seconds(10), "the recording to fail");
            assertThat(failed.get("recording").get("reason").asText()).isEqualTo("write failed: No space left on device");
            assertThat(failed.get("recording").get("endedAt").isNull()).isFalse();

            // the stream and its player carry on
            int atFailure = videoFrames.get();
            poll(() -> videoFrames.get() >= atFailure + 60 ? true : null, seconds(10),
                    "the player to keep receiving after the failure");
            assertThat(player.isActive()).isTrue();
            assertThat(ffmpeg.isAlive()).isTrue();
            assertThat(rtmp.streams().find(new StreamKey("auto", "doomed")).orElseThrow().snapshot().live()).isTrue();

            // what was written before the failure is a finished, playable file
            JsonNode segments = failed.get("segments");
            JsonNode segment = segments.get(segments.size() - 1); // the file it failed in
            assertThat(segment.get("complete").asBoolean()).isTrue();
            Path file = sluice.dataDir().resolve(segment.get("path").asText());
            assertThat(Path.of(file + ".part")).doesNotExist();
            RecordingTests.FlvFile flv = readFlv(file);
            assertThat(flv.number("filesize")).isEqualTo(Files.size(file));
            assertThat(probe(file).duration()).isGreaterThan(1.0);
            assertThat(decodeErrors(file)).isEmpty();

            // and a record-done style event says so
            poll(() -> events.of(id).stream().anyMatch(e -> e.status() == RecordingStatus.FAILED) ? true : null,
                    seconds(5), "the FAILED event");
            RecordedSegment event = events.of(id).stream().filter(e -> e.status() == RecordingStatus.FAILED)
                    .findFirst().orElseThrow();
            assertThat(event.reason()).isEqualTo("write failed: No space left on device");
            if (event.path() != null) { // null only if the disk filled up before the file's first frame
                assertThat(event.path()).isEqualTo(file.toAbsolutePath().toString());
                assertThat(event.sizeBytes()).isEqualTo(Files.size(file));
            }
        } finally {
            if (player != null) {
                player.close();
            }
            ffmpeg.destroy();
            ffmpeg.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
