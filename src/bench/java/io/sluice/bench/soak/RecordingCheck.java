package io.sluice.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks every recording of a soak: it is COMPLETED, each of its files is finished, ffprobe reads its
 * duration, ffmpeg demuxes it to the end without an error (a sample is fully decoded as well), and
 * together its files last as long as what was published. Abrupt publisher exits included: the server
 * ends their recordings as it ends the publish.
 */
final class RecordingCheck {
    /** Recorded and published durations may differ by this plus {@link #DURATION_RELATIVE} of the length. */
    static final double DURATION_SLACK_SECONDS = 2.5;
    static final double DURATION_RELATIVE = 0.02;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);

    /** What the check found; {@code problems} lists every failure in words. */
    record Result(int recordings, int completed, int files, int probed, int demuxed, int decoded,
                  int durationsMatched, int publishes, List<String> problems) {
        boolean pass() {
            return problems.isEmpty() && recordings > 0;
        }
    }

    private final ServerApi api;
    private final Path dataDir;
    private final int decodeSample;

    RecordingCheck(ServerApi api, Path dataDir, int decodeSample) {
        this.api = api;
        this.dataDir = dataDir;
        this.decodeSample = decodeSample;
    }

    /** Waits (bounded) until no recording is RECORDING any more; false if some still are. */
    boolean awaitFinished(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (api.get("/api/recordings?status=RECORDING&size=1").path("totalItems").asLong() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        return true;
    }

    Result check(List<Churn.Publish> publishes) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        List<JsonNode> recordings = listAll();
        Map<String, Double> recordedSeconds = new HashMap<>();
        List<Path> files = new ArrayList<>();
        int completed = 0;
        int probed = 0;
        int demuxed = 0;
        for (JsonNode summary : recordings) {
            long id = summary.path("id").asLong();
            String stream = summary.path("stream").asText();
            String status = summary.path("status").asText();
            if ("COMPLETED".equals(status)) {
                completed++;
            } else {
                problems.add("recording " + id + " (" + stream + ") is " + status + ": "
                        + summary.path("reason").asText());
            }
            for (JsonNode segment : api.get("/api/recordings/" + id).path("segments")) {
                Path file = dataDir.resolve(segment.path("path").asText());
                if (!segment.path("complete").asBoolean() || !Files.isRegularFile(file)) {
                    problems.add("recording " + id + " segment " + segment.path("index").asInt()
                            + " is not a finished file: " + file);
                    continue;
                }
                files.add(file);
                Tool probe = run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                        "default=noprint_wrappers=1:nokey=1", file.toString());
                double seconds = parseOrNaN(probe.output());
                if (probe.ok() && seconds > 0) {
                    probed++;
                    recordedSeconds.merge(stream, seconds, Double::sum);
                } else {
                    problems.add("ffprobe cannot read " + file + ": " + probe.output());
                }
                Tool demux = run("ffmpeg", "-v", "error", "-nostdin", "-i", file.toString(), "-c", "copy", "-f",
                        "null", "-");
                if (demux.ok() && demux.output().isBlank()) {
                    demuxed++;
                } else {
                    problems.add("ffmpeg cannot demux " + file + " to the end: " + demux.output());
                }
            }
        }
        int decoded = decodeSample(files, problems);
        int matched = compareDurations(publishes, recordedSeconds, problems);
        return new Result(recordings.size(), completed, files.size(), probed, demuxed, decoded, matched,
                publishes.size(), problems);
    }

    /** Decodes up to {@code decodeSample} files spread evenly over the list (decoding all costs too much CPU). */
    private int decodeSample(List<Path> files, List<String> problems) throws IOException, InterruptedException {
        if (files.isEmpty() || decodeSample <= 0) {
            return 0;
        }
        int step = Math.max(1, files.size() / decodeSample);
        int decoded = 0;
        for (int i = 0; i < files.size() && decoded < decodeSample; i += step) {
            Tool decode = run("ffmpeg", "-v", "error", "-nostdin", "-i", files.get(i).toString(), "-f", "null", "-");
            decoded++;
            if (!decode.ok() || !decode.output().isBlank()) {
                problems.add("ffmpeg cannot decode " + files.get(i) + ": " + decode.output());
            }
        }
        return decoded;
    }

    private static int compareDurations(List<Churn.Publish> publishes, Map<String, Double> recordedSeconds,
                                        List<String> problems) {
        int matched = 0;
        for (Churn.Publish publish : publishes) {
            Double recorded = recordedSeconds.get(publish.name());
            double published = publish.mediaMillis() / 1000.0;
            if (recorded == null) {
                problems.add("publish " + publish.name() + " (" + published + " s) has no readable recording");
            } else if (Math.abs(recorded - published) > DURATION_SLACK_SECONDS + DURATION_RELATIVE * published) {
                problems.add(String.format("recording of %s lasts %.1f s, the publish %.1f s%s", publish.name(),
                        recorded, published, publish.abrupt() ? " (abrupt end)" : ""));
            } else {
                matched++;
            }
        }
        return matched;
    }

    private List<JsonNode> listAll() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        int pages = 1;
        for (int page = 0; page < pages; page++) {
            JsonNode answer = api.get("/api/recordings?size=100&page=" + page);
            answer.path("items").forEach(all::add);
            pages = answer.path("totalPages").asInt();
        }
        return all;
    }

    private record Tool(boolean ok, String output) {
    }

    private static Tool run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Tool(false, "timed out after " + TOOL_TIMEOUT);
        }
        return new Tool(p.exitValue() == 0, output);
    }

    private static double parseOrNaN(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
