package io.sluice.recording;

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
import io.sluice.system.SluiceProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** sluice.recording.max-segment-duration=3s: a 10 s publish is 4 files, each one playable on its own. */
@SegmentedRecordingTest
@Timeout(120)
class RecordingSegmentsTest {
    @Autowired
    TestRestTemplate rest;
    @Autowired
    RtmpServer rtmp;
    @Autowired
    SluiceProperties sluice;
    @Autowired
    FaultyStorage.Events events;

    @Test
    void aTenSecondPublishInThreeSecondSegmentsIsFourFilesThatEachStartWithAKeyframeAndPlay() throws Exception {
        Path log = Path.of("target", "recording-tests", "segments.log");
        awaitSuccess(publish("rtmp://127.0.0.1:" + rtmp.port() + "/auto/seg", 10, log), seconds(40), log);
        TestRestTemplate admin = rest.withBasicAuth("admin", "admin-password");
        JsonNode recording = poll(() -> {
            JsonNode first = admin.getForObject("/api/recordings?app=auto&stream=seg", JsonNode.class)
                    .get("items").path(0);
            return first.path("status").asText().equals("COMPLETED") ? first : null;
        }, seconds(30), "the recording to complete");
        long id = recording.get("id").asLong();
        JsonNode segments = admin.getForObject("/api/recordings/" + id, JsonNode.class).get("segments");
        assertThat(segments).hasSize(4);
        assertThat(recording.get("segments").asInt()).isEqualTo(4);

        double total = 0;
        List<Double> durations = new ArrayList<>();
        long previousFirst = -1;
        for (int i = 0; i < 4; i++) {
            JsonNode segment = segments.get(i);
            assertThat(segment.get("index").asInt()).isEqualTo(i);
            assertThat(segment.get("complete").asBoolean()).isTrue();
            Path file = sluice.dataDir().resolve(segment.get("path").asText());
            RecordingTests.FlvFile flv = readFlv(file);
            assertStartsCleanly(flv, true, true); // metadata and sequence headers again, then a keyframe at 0
            assertThat(flv.keyframeTimes()).first().isEqualTo(0.0);
            RecordingTests.Probe probe = probe(file);
            assertThat(probe.streams()).containsExactlyInAnyOrder("video:h264", "audio:aac");
            assertThat(decodeErrors(file)).as("file %d plays on its own", i).isEmpty();
            assertThat(probe.duration()).isCloseTo(flv.number("duration"), within(0.05));
            durations.add(probe.duration());
            total += probe.duration();
            long first = segment.get("firstTimestamp").asLong();
            assertThat(first).isGreaterThan(previousFirst);
            previousFirst = first;
        }
        System.out.println("3 s segments of a 10 s publish: " + durations + ", total " + total);
        for (int i = 0; i < 3; i++) {
            assertThat(durations.get(i)).isCloseTo(3.0, within(0.1));
        }
        assertThat(total).isCloseTo(10.0, within(0.5));
        // one event per file
        assertThat(events.of(id)).hasSize(4).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(RecordingStatus.COMPLETED);
            assertThat(e.path()).endsWith(".flv");
            assertThat(e.app()).isEqualTo("auto");
            assertThat(e.stream()).isEqualTo("seg");
        });
    }
}
