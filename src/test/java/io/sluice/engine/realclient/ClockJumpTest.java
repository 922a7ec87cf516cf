package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publisher whose clock misbehaves (our client replaying real H.264/AAC from ffmpeg): it starts just
 * below 2^32 ms (extended timestamps on the wire) and wraps past zero, then jumps five hours forward,
 * then back to nearly zero. ffmpeg plays it and saves what it got; ffprobe reads every packet: the
 * timestamps only go forward, with no gap longer than the source's own, and the duration is the
 * source's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClockJumpTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int SECONDS = 6;
    /** Before the wrap: 1 s of stream time below 2^32. */
    private static final int START = (int) (0x1_0000_0000L - 1000);
    private static final int FIVE_HOURS = 5 * 3600 * 1000;

    /** The publisher's clock for a tag at {@code t} ms of the source file (int arithmetic: 32-bit wrap). */
    private static int jumpy(int t) {
        if (t < 2000) {
            return START + t;                 // 0xFFFFFC18 .. wraps at t = 1000
        }
        if (t < 4000) {
            return t + FIVE_HOURS;            // five hours ahead (above 0xFFFFFF: extended again)
        }
        return t - 4000 + 200;                // back to almost zero
    }

    @Test
    void playersAndTheirFilesSeeMonotonicTimestampsWithoutGapsAcrossWrapAndJumps() throws Exception {
        assumeInstalled("ffmpeg", "ffprobe");
        Path source = clients.file("source.flv");
        ExternalTool encode = clients.start("encode", List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel",
                "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=" + RealClients.FPS, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "ultrafast", "-g",
                String.valueOf(RealClients.FPS), "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", String.valueOf(SECONDS),
                "-f", "flv", source.toString()));
        assertThat(encode.assertExitsWithin(Duration.ofSeconds(30))).as("encode: %s", encode.tail(10)).isZero();

        String stream = "jumpy";
        String url = RealClients.url(clients.server(), stream);
        Path out = clients.file("player.flv");
        ExternalTool player = clients.ffmpegPlayer(stream, out);

        RtmpClient publisher = RtmpClient.connect(url).get(10, TimeUnit.SECONDS);
        int sent = 0;
        try (FlvReader reader = FlvReader.open(source)) {
            reader.header();
            int sid = publisher.publish().get(10, TimeUnit.SECONDS);
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                int ts = jumpy(tag.timestamp());
                if (tag.isScript()) {
                    publisher.sendDataFrame(sid, ts, tag.payload());
                } else {
                    publisher.send(tag.type(), sid, ts, tag.payload());
                }
                if (++sent % 20 == 0) {
                    publisher.flush();
                }
            }
            publisher.flush();
        } finally {
            publisher.closeAsync().get(10, TimeUnit.SECONDS);
        }
        assertThat(player.assertExitsWithin(RealClients.RECONNECT_GRACE.plusSeconds(15)))
                .as("player exit code: %s", player.tail(10)).isZero();

        ExternalTool probe = clients.start("ffprobe-packets", List.of("ffprobe", "-v", "error", "-show_entries",
                "packet=stream_index,dts", "-of", "csv=p=0", out.toString()));
        assertThat(probe.assertExitsWithin(Duration.ofSeconds(30))).as("ffprobe: %s", probe.tail(10)).isZero();
        Map<Integer, List<Long>> dts = new HashMap<>();
        for (String line : probe.output().split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length == 2 && f[0].matches("\\d+") && f[1].matches("-?\\d+")) {
                dts.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(Long.parseLong(f[1]));
            }
        }
        assertThat(dts).as("video and audio packets in the player's file").hasSize(2);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Map.Entry<Integer, List<Long>> e : dts.entrySet()) {
            List<Long> d = e.getValue();
            long maxGap = 0;
            for (int i = 1; i < d.size(); i++) {
                long step = d.get(i) - d.get(i - 1);
                assertThat(step).as("stream %d packet %d: dts %d -> %d", e.getKey(), i, d.get(i - 1), d.get(i))
                        .isGreaterThanOrEqualTo(0);
                maxGap = Math.max(maxGap, step);
            }
            assertThat(maxGap).as("stream %d: largest step between packets (ms)", e.getKey()).isLessThan(200);
            first = Math.min(first, d.get(0));
            last = Math.max(last, d.get(d.size() - 1));
            log("stream %d: %d packets, dts %d..%d ms, largest step %d ms", e.getKey(), d.size(), d.get(0),
                    d.get(d.size() - 1), maxGap);
        }
        assertThat(last - first).as("duration of the saved stream (ms)").isBetween(SECONDS * 1000L - 300,
                SECONDS * 1000L + 300);
        RealClients.MediaInfo info = clients.probe(out);
        assertThat(info.videoFrames()).isGreaterThanOrEqualTo(RealClients.atLeast95Percent(SECONDS * RealClients.FPS));
    }
}
