package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.Recorder.Received;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.stream.StreamSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HEVC and AV1 over Enhanced RTMP (samples made by ffmpeg 7.1, which Debian 12's clients cannot send):
 * published by the engine's client, every audio and video tag reaches a player byte for byte, with
 * its timestamp, and the stream is recognised.
 */
@Timeout(30)
class EnhancedRtmpPassThroughTest {
    private static RtmpServer server;

    @BeforeAll
    static void start() {
        server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    static Path media(String file) {
        String configured = System.getProperty("sluice.media.dir");
        Path path = (configured != null ? Path.of(configured) : Path.of("../shared/media")).resolve(file);
        assertThat(path).as("sample %s (../shared/media)", file).exists();
        return path;
    }

    record Tag(int type, int timestamp, byte[] payload) {
    }

    @ParameterizedTest
    @CsvSource({"hevc-aac.flv, HEVC, 120", "av1-aac.flv, AV1, 120"})
    void everyTagArrivesByteIdentical(String file, String codec, int codedFrames) throws Exception {
        String url = "rtmp://127.0.0.1:" + server.port() + "/live/" + file.replace(".flv", "");
        RtmpClient player = RtmpClient.connect(url).get(5, TimeUnit.SECONDS);
        RtmpClient publisher = RtmpClient.connect(url).get(5, TimeUnit.SECONDS);
        try {
            Recorder recorder = new Recorder();
            player.play(recorder).get(5, TimeUnit.SECONDS);
            int sid = publisher.publish().get(5, TimeUnit.SECONDS);

            List<Tag> sent = new ArrayList<>();
            try (FlvReader reader = FlvReader.open(media(file))) {
                FlvTag tag;
                while ((tag = reader.next()) != null) {
                    if (tag.isAudio() || tag.isVideo()) {
                        sent.add(new Tag(tag.type(), tag.timestamp(), ByteBufUtil.getBytes(tag.content())));
                    }
                    // script data goes as it is in the file: onMetaData, which the server keeps and forwards
                    publisher.send(tag.type(), sid, tag.timestamp(), tag.content().retain());
                    tag.release();
                }
            }
            publisher.flush();
            assertThat(sent).hasSizeGreaterThan(codedFrames + 174);

            assertThat(recorder.awaitMedia(sent.size(), Duration.ofSeconds(10))).as("all %d tags", sent.size()).isTrue();
            List<Received> got = recorder.media();
            assertThat(got).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                Tag s = sent.get(i);
                Received r = got.get(i);
                assertThat(r.type()).as("tag %d type", i).isEqualTo(s.type());
                assertThat(r.timestamp()).as("tag %d timestamp", i).isEqualTo(s.timestamp());
                assertThat(r.payload()).as("tag %d payload", i).isEqualTo(s.payload());
            }
            assertThat(recorder.all()).extracting(Received::name).contains("onMetaData");

            StreamSnapshot snapshot = server.streamSnapshots().stream()
                    .filter(x -> x.name().equals(file.replace(".flv", ""))).findFirst().orElseThrow();
            assertThat(snapshot.videoCodec()).isEqualTo(codec);
            assertThat(snapshot.audioCodec()).isEqualTo("AAC");
        } finally {
            publisher.close();
            player.close();
        }
    }
}
