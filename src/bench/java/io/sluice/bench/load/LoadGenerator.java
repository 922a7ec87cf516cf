package io.sluice.bench.load;

import io.sluice.engine.client.RtmpUrl;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load generator (bench/README.md tells how to run it):
 * <pre>
 * publish --url rtmp://127.0.0.1:1935/live/bench [--publishers 1] [--duration-s 0 (until killed)]
 * play    --url rtmp://127.0.0.1:1935/live/bench --players 1000 [--rate 200] [--threads 2] [--settle-s 5]
 *         [--window-s 20] [--server-pid PID] [--gc-log FILE] [--label sluice] [--out results.tsv]
 * ingest  --url rtmp://127.0.0.1:1935/live/ingest --publishers 100 [--duration-s 30] --recordings DIR
 *         [--server-pid PID] [--gc-log FILE]
 * fanout  [--port 0] [--merge-ms 0] [--port-file FILE]
 * report  --in results.tsv [--md table.md]
 * </pre>
 * Stream shape flags (all roles): --video-kbps 2500 --fps 30 --gop-seconds 2 --audio-kbps 128.
 * With M publishers, publisher i uses the URL's stream name with "-i" appended.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: LoadGenerator publish|play|ingest|fanout|report --flag value ... "
                    + "(see the class comment or bench/README.md)");
            System.exit(2);
        }
        Args args = new Args(argv, 1);
        switch (argv[0]) {
            case "publish" -> publish(args);
            case "play" -> play(args);
            case "ingest" -> System.exit(ingest(args) ? 0 : 1);
            case "fanout" -> fanout(args);
            case "report" -> report(args);
            default -> throw new IllegalArgumentException("unknown command " + argv[0]);
        }
        System.exit(0);
    }

    /** The URLs of M publishers: the stream as given for one, with "-i" appended for more. */
    static List<String> publisherUrls(String url, int publishers) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            urls.add(publishers == 1 ? url : url + "-" + i);
        }
        return urls;
    }

    static List<Publisher> startPublishers(StreamShape shape, List<String> urls) throws Exception {
        List<Publisher> started = new ArrayList<>();
        for (String url : urls) {
            started.add(new Publisher(shape, url).start().get(10, TimeUnit.SECONDS));
        }
        return started;
    }

    private static void publish(Args args) throws Exception {
        List<Publisher> publishers = startPublishers(args.shape(),
                publisherUrls(args.required("url"), args.integer("publishers", 1)));
        System.out.println("publishing " + publishers.size() + " stream(s)");
        double seconds = args.number("duration-s", 0);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> publishers.forEach(Publisher::close)));
        if (seconds > 0) {
            forever.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } else {
            forever.await();
        }
    }

    private static void play(Args args) throws Exception {
        RtmpUrl url = RtmpUrl.parse(args.required("url"));
        String gcLog = args.string("gc-log", "");
        PlayRun run = new PlayRun(new InetSocketAddress(url.host(), url.port()), url.app(), url.stream(),
                args.integer("players", 100), args.number("rate", 200), args.integer("threads", 2),
                Duration.ofMillis((long) (args.number("settle-s", 5) * 1000)),
                Duration.ofMillis((long) (args.number("window-s", 20) * 1000)), args.shape(),
                args.integer("server-pid", 0), gcLog.isEmpty() ? null : Path.of(gcLog));
        PlayRun.Result result = run.run();
        String label = args.string("label", "server");
        PlayStats s = result.stats();
        System.out.printf(Locale.ROOT, "%s N=%d held=%s cpu=%.2fs (%.3f s/Gbit) client=%.2fs latency p50/p99/max="
                        + "%.1f/%.1f/%.1f ms first frame p50/p99=%.1f/%.1f ms bitrate median/min=%.1f/%.1f %% "
                        + "stalled=%d dropped=%d no-frame=%d rss/player=%.1f KiB gc-max=%.1f ms%n", label,
                s.players(), s.held(), result.serverCpuSeconds(), result.cpuPerGbit(), result.clientCpuSeconds(),
                s.latencyP50() / 1e3, s.latencyP99() / 1e3, s.latencyMax() / 1e3, s.firstFrameP50() / 1e3,
                s.firstFrameP99() / 1e3, s.bitrateMedianPct(), s.bitrateMinPct(), s.stalled(), s.dropped(),
                s.withoutFrame(), result.rssPerPlayerKib(), result.gcMaxPauseMillis());
        String out = args.string("out", "");
        if (!out.isEmpty()) {
            ResultTable.append(Path.of(out), ResultTable.row(label, result));
        }
    }

    /**
     * M publishers for a while, then every recorded frame counted against what each sent. True when
     * nothing is missing.
     */
    static boolean ingest(Args args) throws Exception {
        StreamShape shape = args.shape();
        RtmpUrl url = RtmpUrl.parse(args.required("url"));
        Path recordings = Path.of(args.required("recordings"));
        List<String> urls = publisherUrls(args.required("url"), args.integer("publishers", 100));
        long pid = args.integer("server-pid", 0);
        ProcessSampler server = pid > 0 ? new ProcessSampler(pid) : null;
        double cpu0 = server == null ? Double.NaN : server.cpuSeconds();
        String gcLog = args.string("gc-log", "");
        long gcOffset = gcLog.isEmpty() ? 0 : ProcessSampler.logSize(Path.of(gcLog));
        long started = System.nanoTime();
        List<Publisher> publishers = startPublishers(shape, urls);
        Thread.sleep((long) (args.number("duration-s", 30) * 1000));
        publishers.forEach(Publisher::close);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = server == null ? Double.NaN : server.cpuSeconds() - cpu0;
        // the recorder finishes its files after the publish ends: wait until the counts stop changing
        long missingVideo = 0;
        long missingAudio = 0;
        long sentVideo = 0;
        long sentAudio = 0;
        for (Publisher p : publishers) {
            String name = RtmpUrl.parse(p.url()).stream();
            Path dir = recordings.resolve(url.app()).resolve(name);
            Ingest.Counts counts = settledCounts(dir, p.videoSent(), p.audioSent());
            sentVideo += p.videoSent();
            sentAudio += p.audioSent();
            missingVideo += p.videoSent() - counts.video();
            missingAudio += p.audioSent() - counts.audio();
            if (counts.video() != p.videoSent() || counts.audio() != p.audioSent()) {
                System.out.printf("%s: sent %d video / %d audio, recorded %d / %d%n", name, p.videoSent(),
                        p.audioSent(), counts.video(), counts.audio());
            }
        }
        double gbit = sentVideo * shape.videoBitsPerSecond() / (double) shape.fps() / 1e9
                + sentAudio * shape.audioFrameSize() * 8 / 1e9;
        System.out.printf(Locale.ROOT, "ingest: %d publishers, %.1f s, sent %d video + %d audio frames (%.2f Gbit), "
                        + "missing %d video + %d audio; server CPU %.2f s (%.3f s/Gbit ingested), max GC pause %.1f ms%n",
                publishers.size(), seconds, sentVideo, sentAudio, gbit, missingVideo, missingAudio, cpu, cpu / gbit,
                gcLog.isEmpty() ? -1 : ProcessSampler.maxPauseMillis(Path.of(gcLog), gcOffset));
        return missingVideo == 0 && missingAudio == 0;
    }

    private static Ingest.Counts settledCounts(Path dir, long video, long audio) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Ingest.Counts counts = Ingest.count(dir);
        while ((counts.video() != video || counts.audio() != audio) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            counts = Ingest.count(dir);
        }
        return counts;
    }

    private static void fanout(Args args) throws Exception {
        FanoutServer server = new FanoutServer(args.shape(), new InetSocketAddress("127.0.0.1",
                args.integer("port", 0)), args.integer("merge-ms", 0));
        System.out.println("fan-out listening on " + server.port());
        String portFile = args.string("port-file", "");
        if (!portFile.isEmpty()) {
            Files.writeString(Path.of(portFile), Integer.toString(server.port()));
        }
        new CountDownLatch(1).await();
    }

    private static void report(Args args) throws Exception {
        String table = ResultTable.markdown(Path.of(args.required("in")));
        System.out.print(table);
        String md = args.string("md", "");
        if (!md.isEmpty()) {
            Files.writeString(Path.of(md), table);
        }
    }
}
