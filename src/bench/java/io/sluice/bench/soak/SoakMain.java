package io.sluice.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak: starts the Sluice jar, churns clients and garbage connections against it for the given
 * duration while sampling its resources, then checks every recording and judges whether the resources
 * stayed flat. Prints a markdown summary and exits 1 on any failure. Run it with {@code bench/soak.sh}.
 */
public final class SoakMain {
    private static final Duration RECORDINGS_FINISH_TIMEOUT = Duration.ofMinutes(1);

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path workDir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("sluice-soak-");
        String command = System.getProperty("soak.command", "SoakMain " + String.join(" ", args));
        SoakReport report = run(options, workDir, command);
        report.write(workDir);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Samples: " + workDir.resolve("samples.csv") + "; summary: " + workDir.resolve("summary.md")
                + "; server log: " + workDir.resolve("server.log"));
        System.exit(report.pass() ? 0 : 1);
    }

    static SoakReport run(SoakOptions options, Path workDir, String command) throws Exception {
        Instant startedAt = Instant.now();
        log("work directory " + workDir + "; preparing clips");
        List<MediaClips.Clip> clips = MediaClips.prepare(workDir.resolve("clips"));
        log("starting " + options.jar());
        try (ServerProcess server = ServerProcess.start(options, workDir)) {
            ServerApi api = server.api();
            log("server pid " + server.pid() + ", RTMP " + server.rtmpPort() + ", HTTP " + server.httpPort()
                    + ", log " + server.log());
            Sampler sampler = new Sampler(server.pid(), api, server.log());
            Path csv = workDir.resolve("samples.csv");
            Files.writeString(csv, Sampler.Sample.CSV_HEADER + "\n");
            Sampler.Sample idleBefore = sampler.sample(0);
            Churn churn = new Churn(options, server.rtmpPort(), api, clips, "soak-");
            GarbageConnections garbage = new GarbageConnections(server.rtmpPort(), options.garbageDeadline());
            List<Sampler.Sample> samples = new ArrayList<>();
            long start = System.nanoTime();
            churn.start();
            garbage.start(options.garbagePerSecond());
            long end = start + options.duration().toNanos();
            long next = start + options.sampleInterval().toNanos();
            while (next <= end) {
                sleepUntil(next);
                long second = (System.nanoTime() - start) / 1_000_000_000L;
                try {
                    Sampler.Sample s = sampler.sample(second);
                    samples.add(s);
                    Files.writeString(csv, s.csv() + "\n", StandardOpenOption.APPEND);
                    log(String.format("t=%ds heap=%.1fMiB direct=%.1f/%.1f/%.1fMiB threads=%d fds=%d conns=%d "
                                    + "live=%d leaks=%d publishes=%d plays=%d garbage=%d failures=%d",
                            second, s.heapAfterGcMib(), s.jdkDirectMib(), s.nettyDirectMib(), s.nettyPinnedMib(),
                            s.threads(), s.fds(), s.connections(), s.liveStreams(), s.leakReports(),
                            churn.counters().publishes.get(), churn.counters().plays.get(), garbage.opened(),
                            churn.counters().failures()));
                } catch (IOException e) {
                    log("sample at " + second + " s failed: " + e.getMessage());
                }
                next += options.sampleInterval().toNanos();
            }
            sleepUntil(end);
            log("stopping the load");
            churn.close();
            garbage.close();
            RecordingCheck check = new RecordingCheck(api, server.dataDir(), options.decodeSample());
            boolean finished = check.awaitFinished(RECORDINGS_FINISH_TIMEOUT);
            Sampler.Sample idleAfter = sampler.sample((System.nanoTime() - start) / 1_000_000_000L);
            log("checking recordings");
            RecordingCheck.Result recordings = check.check(churn.finishedPublishes());
            // a last GC, so that buffers leaked at the very end are reported before the server stops
            sampler.sample((System.nanoTime() - start) / 1_000_000_000L);
            server.close();
            long leaks = sampler.leakReports();
            log("server stopped; " + leaks + " leak reports in its log");
            return new SoakReport(command, startedAt, options, samples, idleBefore, idleAfter, leaks, Flatness.judge(samples, options.warmup().toSeconds()),
                    garbage.tallies(), churn.counters(), churn.errors(), finished, recordings);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static void log(String message) {
        System.out.println("[soak " + Instant.now() + "] " + message);
    }
}
