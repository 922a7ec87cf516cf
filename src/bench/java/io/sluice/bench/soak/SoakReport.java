package io.sluice.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything a soak found, and the ready-to-paste markdown for {@code docs/RELIABILITY.md}. */
record SoakReport(String command, Instant startedAt, SoakOptions options, List<Sampler.Sample> samples,
                  Sampler.Sample idleBefore, Sampler.Sample idleAfter, long leakReports, List<Flatness.Verdict> verdicts,
                  Map<GarbageConnections.Kind, GarbageConnections.Tally> garbage, Churn.Counters churn,
                  List<String> churnErrors, boolean recordingsFinished, RecordingCheck.Result recordings) {

    /** At most this many rows in the markdown table (the CSV has them all). */
    private static final int TABLE_ROWS = 24;

    long garbageLeftOpen() {
        return garbage.values().stream().mapToLong(GarbageConnections.Tally::leftOpen).sum();
    }

    boolean pass() {
        return verdicts.stream().allMatch(Flatness.Verdict::pass) && leakReports == 0 && garbageLeftOpen() == 0
                && churn.failures() == 0 && recordingsFinished && recordings.pass();
    }

    static String csv(List<Sampler.Sample> samples) {
        StringBuilder out = new StringBuilder(Sampler.Sample.CSV_HEADER).append('\n');
        samples.forEach(s -> out.append(s.csv()).append('\n'));
        return out.toString();
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("samples.csv"), csv(samples));
        Files.writeString(dir.resolve("summary.md"), markdown());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Soak run of ").append(startedAt).append(": **").append(pass() ? "PASS" : "FAIL")
                .append("**\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append(String.format("Load for %s: %d publishers (looped H.264/AAC clips at 1 and 2.5 Mbit/s, "
                        + "each publish %d-%d s), %d RTMP players and %d HTTP-FLV viewers (each %d-%d s), %.0f%% of "
                        + "publishers and players leaving abruptly, %.1f garbage connections/s, REST calls every 5 s; "
                        + "every publish recorded in %d s segments; Netty leak detection `%s`; server -Xmx%s. "
                        + "Samples every %d s after a full GC; the first %d s are warm-up and not judged.%n%n",
                human(options.duration()), options.publishers(), options.publishMin().toSeconds(),
                options.publishMax().toSeconds(), options.players(), options.flvViewers(),
                options.playMin().toSeconds(), options.playMax().toSeconds(), options.abruptFraction() * 100,
                options.garbagePerSecond(), options.segment().toSeconds(), options.leakLevel(), options.heap(),
                options.sampleInterval().toSeconds(), options.warmup().toSeconds()));
        md.append("| t (s) | heap after GC (MiB) | JDK direct (MiB) | Netty arenas (MiB) | Netty in buffers (MiB) "
                + "| threads | fds | RTMP connections | live streams | LEAK reports |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        if (idleBefore != null) {
            row(md, "idle before", idleBefore);
        }
        for (Sampler.Sample s : thinned(samples)) {
            row(md, Long.toString(s.second()), s);
        }
        if (idleAfter != null) {
            row(md, "idle after", idleAfter);
        }
        md.append("\n| resource | mean of first third | mean of last third | growth | allowed | verdict |\n");
        md.append("|---|---:|---:|---:|---:|---|\n");
        for (Flatness.Verdict v : verdicts) {
            md.append(String.format("| %s | %.1f %s | %.1f %s | %+.1f | %.1f | %s |%n", v.name(), v.first(), v.unit(),
                    v.last(), v.unit(), v.growth(), v.allowed(), v.pass() ? "PASS" : "FAIL " + v.why()));
        }
        md.append(String.format("| Netty LEAK reports in the server log | | | %d | 0 | %s |%n", leakReports,
                leakReports == 0 ? "PASS" : "FAIL"));
        md.append("\nGarbage connections (each must be closed by the server within ")
                .append(options.garbageDeadline().toSeconds()).append(" s): ");
        List<String> kinds = new ArrayList<>();
        garbage.forEach((kind, t) -> kinds.add(String.format("%s %d opened / %d closed by the server / %d left open%s",
                kind.name().toLowerCase().replace('_', ' '), t.opened(), t.closedByServer(), t.leftOpen(),
                t.connectFailed() > 0 ? " / " + t.connectFailed() + " refused" : "")));
        md.append(String.join("; ", kinds)).append(" - **").append(garbageLeftOpen() == 0 ? "PASS" : "FAIL")
                .append("**\n\n");
        md.append(String.format("Clients: %d publishes (%d ended abruptly, %d refused, %d dropped by the server, "
                        + "%.0f MiB sent); %d RTMP plays (%d ended abruptly, %d ended with their stream, %d raced a "
                        + "publisher leaving, %d errors, %d without media, %d media messages); %d HTTP-FLV views (%d raced, %d errors, %.0f MiB); "
                        + "%d REST calls (%d errors) - **%s**%n%n",
                churn.publishes.get(), churn.abruptPublishEnds.get(), churn.publishesRefused.get(),
                churn.publishesDropped.get(), churn.publishedBytes.get() / 1048576.0, churn.plays.get(),
                churn.abruptPlayEnds.get(), churn.playsEndedWithStream.get(), churn.playsRaced.get(), churn.playErrors.get(),
                churn.playsWithoutMedia.get(), churn.playedMessages.get(), churn.flvViews.get(),
                churn.flvRaced.get(), churn.flvErrors.get(), churn.flvBytes.get() / 1048576.0, churn.restCalls.get(),
                churn.restErrors.get(), churn.failures() == 0 ? "PASS" : "FAIL"));
        md.append(String.format("Recordings: %d (%d COMPLETED), %d files: %d read by ffprobe, %d demuxed to the end "
                        + "by ffmpeg without an error, %d fully decoded; %d of %d publishes recorded within %.1f s + "
                        + "%.0f%% of their length%s - **%s**%n",
                recordings.recordings(), recordings.completed(), recordings.files(), recordings.probed(),
                recordings.demuxed(), recordings.decoded(), recordings.durationsMatched(), recordings.publishes(),
                RecordingCheck.DURATION_SLACK_SECONDS, RecordingCheck.DURATION_RELATIVE * 100,
                recordingsFinished ? "" : "; some were still RECORDING a minute after the load stopped",
                recordingsFinished && recordings.pass() ? "PASS" : "FAIL"));
        List<String> problems = new ArrayList<>(recordings.problems());
        problems.addAll(churnErrors);
        if (!problems.isEmpty()) {
            md.append("\nProblems:\n\n");
            problems.stream().limit(40).forEach(p -> md.append("- ").append(p.replace('\n', ' ')).append('\n'));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String label, Sampler.Sample s) {
        md.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f | %d | %d | %d | %d | %d |%n", label,
                s.heapAfterGcMib(), s.jdkDirectMib(), s.nettyDirectMib(), s.nettyPinnedMib(), s.threads(), s.fds(),
                s.connections(), s.liveStreams(), s.leakReports()));
    }

    /** Every n-th sample so that the table stays readable, always with the last one. */
    private static List<Sampler.Sample> thinned(List<Sampler.Sample> samples) {
        int step = Math.max(1, (samples.size() + TABLE_ROWS - 1) / TABLE_ROWS);
        List<Sampler.Sample> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += step) {
            rows.add(samples.get(i));
        }
        if (!samples.isEmpty() && rows.get(rows.size() - 1) != samples.get(samples.size() - 1)) {
            rows.add(samples.get(samples.size() - 1));
        }
        return rows;
    }

    private static String machine() {
        String memory = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    memory = Math.round(kib / 1048576.0) + " GiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave it unknown
        }
        String load = "?";
        try {
            // other work on the machine skews every figure: say how busy it was
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[2];
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (load average over 15 min at the end: " + load
                + "), " + memory + " RAM, Java "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
