package io.sluice.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.flv.FlvHeader;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.media.VideoTag;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfStrictArray;
import io.sluice.engine.protocol.amf.AmfValue;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** ffmpeg/ffprobe and FLV checks shared by the recording tests. */
final class RecordingTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordingTests() {
    }

    static void assumeFfmpeg() {
        assumeTrue(onPath("ffmpeg") && onPath("ffprobe"), "ffmpeg/ffprobe not installed: skipping");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new File("/usr/bin", tool).canExecute();
    }

    /** The publisher: 320x240 H.264 (a keyframe every 30 frames, 1 s) + AAC, in real time, for {@code seconds}. */
    static Process publish(String url, int seconds, Path log) throws IOException {
        assumeFfmpeg();
        Files.createDirectories(log.getParent());
        List<String> cmd = List.of("ffmpeg", "-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", Integer.toString(seconds), "-f", "flv", url);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Waits for ffmpeg to end by itself and checks it succeeded. */
    static void awaitSuccess(Process ffmpeg, Duration timeout, Path log) throws Exception {
        boolean ended = ffmpeg.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            ffmpeg.destroyForcibly();
        }
        assertThat(ended).as("ffmpeg ended within %s", timeout).isTrue();
        assertThat(ffmpeg.exitValue()).as("ffmpeg exit; log:\n%s", tail(log)).isZero();
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Polls until {@code check} returns non-null; fails after {@code timeout}. */
    static <T> T poll(Supplier<T> check, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Runs a tool to its end (bounded) and returns its exit code and output. */
    record Run(int exit, String output) {
    }

    static Run run(Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile("sluice-tool", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
            }
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** ffprobe's view: format duration and the streams' types. */
    record Probe(double duration, List<String> streams, String raw) {
    }

    static Probe probe(Path file) throws Exception {
        Run r = run(Duration.ofSeconds(30), "ffprobe", "-v", "error", "-show_entries",
                "format=duration:stream=codec_type,codec_name", "-of", "json", file.toString());
        assertThat(r.exit()).as("ffprobe %s: %s", file, r.output()).isZero();
        JsonNode json = JSON.readTree(r.output());
        List<String> streams = new ArrayList<>();
        json.path("streams").forEach(s -> streams.add(s.path("codec_type").asText() + ":" + s.path("codec_name").asText()));
        return new Probe(json.path("format").path("duration").asDouble(), streams, r.output());
    }

    /** Decodes the whole file; returns ffmpeg's error output (empty when it plays cleanly). */
    static String decodeErrors(Path file) throws Exception {
        Run r = run(Duration.ofSeconds(60), "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(),
                "-f", "null", "-");
        assertThat(r.exit()).as("ffmpeg decoding %s: %s", file, r.output()).isZero();
        return r.output().trim();
    }

    /** {@code ffmpeg -ss <at> -i file -frames:v 1 -f null -}: seeks and decodes one frame. */
    static void assertSeeks(Path file, double at) throws Exception {
        Run r = run(Duration.ofSeconds(30), "ffmpeg", "-hide_banner", "-nostdin", "-ss", Double.toString(at), "-i",
                file.toString(), "-frames:v", "1", "-f", "null", "-");
        assertThat(r.exit()).as("seeking in %s: %s", file, r.output()).isZero();
        assertThat(r.output()).as("one frame decoded after seeking").containsPattern("frame=\\s*1\\b");
        // where the seek landed: the first video packet read after seeking to `at`
        Run p = run(Duration.ofSeconds(30), "ffprobe", "-v", "error", "-select_streams", "v", "-read_intervals",
                at + "%+#1", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file.toString());
        assertThat(p.exit()).isZero();
        String first = p.output().trim().lines().findFirst().orElseThrow();
        assertThat(Double.parseDouble(first.split(",")[0])).as("seek landed at %s", first).isCloseTo(at,
                org.assertj.core.data.Offset.offset(1.01));
    }

    /** What is in a recorded file, read with the engine's FLV reader. */
    record FlvFile(FlvHeader header, AmfEntries metadata, List<FlvTagInfo> tags) {
        double number(String key) {
            return ((AmfNumber) metadata.get(key).orElseThrow(() -> new AssertionError("no " + key + " in "
                    + metadata))).value();
        }

        List<Double> keyframeTimes() {
            AmfObject keyframes = (AmfObject) metadata.get("keyframes").orElseThrow();
            return ((AmfStrictArray) keyframes.get("times").orElseThrow()).values().stream()
                    .map(v -> ((AmfNumber) v).value()).toList();
        }

        List<Double> keyframePositions() {
            AmfObject keyframes = (AmfObject) metadata.get("keyframes").orElseThrow();
            return ((AmfStrictArray) keyframes.get("filepositions").orElseThrow()).values().stream()
                    .map(v -> ((AmfNumber) v).value()).toList();
        }

        /** Audio and video frames (no sequence headers, no data). */
        List<FlvTagInfo> frames() {
            return tags.stream().filter(t -> t.type() != 18 && !t.sequenceHeader()).toList();
        }
    }

    record FlvTagInfo(int type, long timestamp, long position, boolean keyframe, boolean sequenceHeader) {
    }

    static FlvFile readFlv(Path file) {
        try (FlvReader reader = FlvReader.open(file)) {
            FlvHeader header = reader.header();
            AmfEntries metadata = null;
            List<FlvTagInfo> tags = new ArrayList<>();
            for (long start = reader.lastCompleteTagEnd(); ; start = reader.lastCompleteTagEnd()) {
                FlvTag tag = reader.next();
                if (tag == null) {
                    break;
                }
                try {
                    boolean key = false;
                    boolean seq = false;
                    if (tag.isVideo()) {
                        VideoTag v = VideoTag.parse(tag.payload());
                        key = v.keyframe();
                        seq = v.sequenceHeader();
                    } else if (tag.isAudio()) {
                        seq = AudioTag.parse(tag.payload()).sequenceHeader();
                    } else if (metadata == null) {
                        List<AmfValue> values = Amf0.decodeAll(tag.payload().duplicate(), AmfLimits.DEFAULT);
                        metadata = (AmfEntries) values.get(1);
                    }
                    tags.add(new FlvTagInfo(tag.type(), Integer.toUnsignedLong(tag.timestamp()), start, key, seq));
                } finally {
                    tag.release();
                }
            }
            assertThat(reader.truncatedTail()).as("%s ends with a complete tag", file).isFalse();
            return new FlvFile(header, metadata, tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file as recordings are: metadata, sequence headers, then a keyframe, all at 0; one onMetaData. */
    static void assertStartsCleanly(FlvFile file, boolean audio, boolean video) {
        List<FlvTagInfo> tags = file.tags();
        assertThat(tags.get(0).type()).isEqualTo(18);
        assertThat(tags.stream().filter(t -> t.type() == 18)).hasSize(1);
        assertThat(file.metadata()).isNotNull();
        int i = 1;
        if (video) {
            assertThat(tags.get(i++)).extracting(FlvTagInfo::type, FlvTagInfo::sequenceHeader, FlvTagInfo::timestamp)
                    .containsExactly(9, true, 0L);
        }
        if (audio) {
            assertThat(tags.get(i++)).extracting(FlvTagInfo::type, FlvTagInfo::sequenceHeader, FlvTagInfo::timestamp)
                    .containsExactly(8, true, 0L);
        }
        FlvTagInfo first = tags.get(i);
        assertThat(first.timestamp()).isZero();
        if (video) {
            assertThat(first.keyframe()).as("the first frame is a keyframe").isTrue();
        } else {
            assertThat(first.type()).isEqualTo(8);
        }
        assertThat(file.header().hasAudio()).isEqualTo(audio);
        assertThat(file.header().hasVideo()).isEqualTo(video);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
