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

/**
 * A disk that fills up, or turns read-only, in the middle of a recording: the recording fails with the
 * reason, the stream and its players go on.
 */
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
        storage.readOnly = false;
        storage.failStream = "";
    }

    /** What the recording API said once the recording failed. */
    private record Failure(long id, JsonNode failed) {
    }

    /**
     * Publishes {@code stream} to the recording app, plays it, breaks the disk two seconds in, and checks
     * the common outcome: the recording FAILED with {@code reason} and a record-done style event, while
     * the publisher, the stream and its player carry on.
     */
    private Failure recordThenBreakTheDisk(String stream, boolean readOnly, String reason) throws Exception {
        storage.failStream = stream;
        String url = "rtmp://127.0.0.1:" + rtmp.port() + "/auto/" + stream;
        Process ffmpeg = publish(url, 25, Path.of("target", "recording-tests", stream + ".log"));
        RtmpClient player = null;
        try {
            poll(() -> rtmp.streams().find(new StreamKey("auto", stream)).filter(s -> s.snapshot().live())
                    .orElse(null), seconds(20), "the publish");
            AtomicInteger videoFrames = new AtomicInteger();
            player = RtmpClient.connect(url).get(10, TimeUnit.SECONDS);
            player.play(m -> {
                if (m instanceof MediaMessage media && media.typeId() == MessageType.VIDEO) {
                    videoFrames.incrementAndGet();
                }
            }).get(10, TimeUnit.SECONDS);
            TestRestTemplate admin = rest.withBasicAuth("admin", "admin-password");
            long id = poll(() -> {
                JsonNode first = admin.getForObject("/api/recordings?stream=" + stream, JsonNode.class).get("items")
                        .path(0);
                return first.path("status").asText().equals("RECORDING") ? first : null;
            }, seconds(10), "the recording").get("id").asLong();
            poll(() -> videoFrames.get() >= 60 ? true : null, seconds(15), "two seconds of video at the player");

            storage.readOnly = readOnly;
            storage.armed = true; // the disk is broken from now on

            JsonNode failed = poll(() -> {
                JsonNode r = admin.getForObject("/api/recordings/" + id, JsonNode.class);
                return r.get("recording").get("status").asText().equals("FAILED") ? r : null;
            }, seconds(10), "the recording to fail");
            assertThat(failed.get("recording").get("reason").asText()).isEqualTo(reason);
            assertThat(failed.get("recording").get("endedAt").isNull()).isFalse();

            // the stream and its player carry on
            int atFailure = videoFrames.get();
            poll(() -> videoFrames.get() >= atFailure + 60 ? true : null, seconds(10),
                    "the player to keep receiving after the failure");
            assertThat(player.isActive()).isTrue();
            assertThat(ffmpeg.isAlive()).isTrue();
            assertThat(rtmp.streams().find(new StreamKey("auto", stream)).orElseThrow().snapshot().live()).isTrue();

            // and a record-done style event says so
            poll(() -> events.of(id).stream().anyMatch(e -> e.status() == RecordingStatus.FAILED) ? true : null,
                    seconds(5), "the FAILED event");
            return new Failure(id, failed);
        } finally {
            if (player != null) {
                player.close();
            }
            ffmpeg.destroy();
            ffmpeg.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskFailsTheRecordingWithTheReasonWhileThePlayerKeepsReceiving() throws Exception {
        String reason = "write failed: " + FaultyStorage.FULL;
        Failure failure = recordThenBreakTheDisk("doomed", false, reason);

        // what was written before the failure is a finished, playable file
        JsonNode segments = failure.failed().get("segments");
        JsonNode segment = segments.get(segments.size() - 1); // the file it failed in
        assertThat(segment.get("complete").asBoolean()).isTrue();
        Path file = sluice.dataDir().resolve(segment.get("path").asText());
        assertThat(Path.of(file + ".part")).doesNotExist();
        RecordingTests.FlvFile flv = readFlv(file);
        assertThat(flv.number("filesize")).isEqualTo(Files.size(file));
        // how far into its 3-second file the disk filled up depends on timing: any length, but frames
        assertThat(probe(file).duration()).isPositive();
        assertThat(decodeErrors(file)).isEmpty();

        RecordedSegment event = events.of(failure.id()).stream().filter(e -> e.status() == RecordingStatus.FAILED)
                .findFirst().orElseThrow();
        assertThat(event.reason()).isEqualTo(reason);
        if (event.path() != null) { // null only if the disk filled up before the file's first frame
            assertThat(event.path()).isEqualTo(file.toAbsolutePath().toString());
            assertThat(event.sizeBytes()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void aDiskTurningReadOnlyFailsTheRecordingWithTheReasonWhileThePlayerKeepsReceiving() throws Exception {
        // nothing can be cut or renamed on a read-only disk: the .part file is left for the repair at the next start
        recordThenBreakTheDisk("frozen", true, "write failed: " + FaultyStorage.READ_ONLY);
    }
}
