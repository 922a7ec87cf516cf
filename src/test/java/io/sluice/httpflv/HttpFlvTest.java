package io.sluice.httpflv;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.testing.Ffmpeg;
import io.sluice.testing.SluiceSpringTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Live FLV over HTTP on the web port: what a browser's mpegts.js and ffplay read. */
@SluiceSpringTest
@TestPropertySource(properties = {"sluice.keys.default-publish-policy=OPEN", "sluice.keys.play-policy.private=TOKEN"})
@Timeout(60)
class HttpFlvTest {
    @LocalServerPort
    int httpPort;
    @Autowired
    RtmpServer rtmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpRequest.Builder get(String path, boolean signedIn) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20));
        if (signedIn) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    @Test
    void aViewerGetsTheHeaderMetadataSequenceHeadersAndTheGopThenLiveTags() throws Exception {
        RtmpClient publisher = RtmpClient.connect("rtmp://127.0.0.1:" + rtmp.port() + "/live/flvtest")
                .get(5, TimeUnit.SECONDS);
        try {
            int sid = publisher.publish().get(5, TimeUnit.SECONDS);
            SyntheticStream.sendHeaders(publisher, sid, 1000);
            int ts = SyntheticStream.sendFrames(publisher, sid, 1000, 40, 30);

            HttpResponse<InputStream> response = http.send(get("/live/flvtest.flv", true).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("video/x-flv");
            // The headers go out before the viewer joins the stream: frames sent before it joined would
            // start a new GOP (frame 0 is a keyframe) and reach it as the cached GOP instead of live.
            assertThat(poll(() -> rtmp.streamSnapshots().stream()
                    .anyMatch(s -> s.name().equals("flvtest") && s.subscribers() == 1), Duration.ofSeconds(10))).isTrue();
            SyntheticStream.sendFrames(publisher, sid, ts, 5, 30);
            // read tag by tag as the bytes arrive (a buffering reader would wait for more than a live stream sends)
            List<Tag> tags = new ArrayList<>();
            try (java.io.DataInputStream in = new java.io.DataInputStream(response.body())) {
                byte[] header = in.readNBytes(13);
                assertThat(new String(header, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLV");
                assertThat(header[4]).as("audio and video flags").isEqualTo((byte) 5);
                while (tags.size() < 3 + 20 + 10) {
                    int type = in.read();
                    assertThat(type).as("tag %d", tags.size()).isNotNegative();
                    int size = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                    int tagTime = (in.readUnsignedByte() << 16) | in.readUnsignedShort() | (in.readUnsignedByte() << 24);
                    in.skipNBytes(3);
                    byte[] payload = in.readNBytes(size);
                    assertThat(in.readInt()).as("PreviousTagSize").isEqualTo(11 + size);
                    tags.add(new Tag(type, tagTime, payload));
                }
            }
            assertThat(tags.get(0).type()).isEqualTo(18);
            assertThat(tags.get(1).type()).isEqualTo(9);
            assertThat(tags.get(1).payload()[1]).as("AVC sequence header").isEqualTo((byte) 0);
            assertThat(tags.get(2).type()).isEqualTo(8);
            assertThat(tags.get(3).payload()[0]).as("keyframe first").isEqualTo((byte) 0x17);
            assertThat(tags.get(3).timestamp()).as("viewer timeline starts at 0").isZero();
            assertThat(tags.get(5).timestamp()).isEqualTo(33);
            assertThat(tags.get(3).payload()[10]).as("frame 30: the last keyframe").isEqualTo((byte) 30);
        } finally {
            publisher.close();
        }
    }

    @Test
    void ffprobeAndFfmpegReadARealStreamOverHttp() throws Exception {
        Ffmpeg.assumeInstalled();
        Process ffmpeg = Ffmpeg.publish("rtmp://127.0.0.1:" + rtmp.port() + "/live/httpreal", 20,
                Path.of("target", "http-flv", "publish.log"));
        try {
            assertThat(poll(() -> rtmp.streamSnapshots().stream().anyMatch(s -> s.name().equals("httpreal")
                    && s.videoCodec() != null), Duration.ofSeconds(10))).isTrue();
            String url = "http://admin:admin-password@127.0.0.1:" + httpPort + "/live/httpreal.flv";
            Path out = Path.of("target", "http-flv", "probe.txt");
            Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_name,width,height", "-of", "compact", url)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(probe.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String result = Files.readString(out);
            assertThat(result).contains("codec_name=h264|width=320|height=240").contains("codec_name=aac");

            Path decoded = Path.of("target", "http-flv", "decode.txt");
            Process decode = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-i", url, "-t", "3",
                    "-f", "null", "-").redirectErrorStream(true).redirectOutput(decoded.toFile()).start();
            assertThat(decode.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(decode.exitValue()).isZero();
            assertThat(Files.readString(decoded)).containsPattern("frame=\\s*(8\\d|9\\d|\\d{3})");
        } finally {
            ffmpeg.destroyForcibly();
        }
    }

    @Test
    void anonymousViewersFollowThePlayPolicy() throws Exception {
        // open app: anyone may watch (like RTMP players); token app: 403 without a token
        HttpResponse<InputStream> open = http.send(get("/live/nobody-here.flv", false).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(open.statusCode()).isEqualTo(200);
        open.body().close();
        HttpResponse<String> refused = http.send(get("/private/secret-show.flv", false).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<InputStream> admin = http.send(get("/private/secret-show.flv", true).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(admin.statusCode()).isEqualTo(200);
        admin.body().close();
        assertThat(http.send(get("/live/..%2Fetc.flv", true).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(400);
    }

    record Tag(int type, int timestamp, byte[] payload) {
    }

    static boolean poll(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return io.sluice.testing.Poll.until(condition, timeout);
    }
}
