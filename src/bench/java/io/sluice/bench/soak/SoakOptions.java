package io.sluice.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a soak run does: how long, how many clients of each kind, how the server is started and how it
 * is observed. Every field has a moderate default that leaves a 2-core machine room to breathe.
 *
 * @param duration          how long the load runs (30 minutes by default)
 * @param publishers        concurrent publishers; each publishes for a random time, leaves, comes back
 * @param players           concurrent RTMP players; each plays a random live stream for a random time
 * @param flvViewers        concurrent HTTP-FLV viewers, likewise
 * @param garbagePerSecond  misbehaving connections opened per second
 * @param abruptFraction    share of publishers and players that leave by closing the socket
 * @param sampleInterval    how often heap, memory, threads and descriptors are sampled
 * @param warmup            samples taken before this are not judged
 * @param segment           recordings start a new file this often
 * @param decodeSample      recorded files fully decoded by ffmpeg (all are probed and demuxed)
 * @param handshakeTimeout  the server's handshake timeout (silent connections must be closed by it)
 * @param connectTimeout    the server's connect-command timeout
 * @param leakLevel         Netty leak detection level in the server
 * @param heap              the server's -Xmx
 * @param serverArgs        more arguments for the server (e.g. {@code --logging.level.io.sluice=DEBUG})
 */
record SoakOptions(Duration duration, int publishers, int players, int flvViewers, double garbagePerSecond,
                   double abruptFraction, Duration publishMin, Duration publishMax, Duration playMin,
                   Duration playMax, Duration sampleInterval, Duration warmup, Duration segment, int decodeSample,
                   Duration handshakeTimeout, Duration connectTimeout, String leakLevel, String heap, Path jar,
                   Path workDir, List<String> serverArgs) {

    static final String USAGE = """
            soak [--duration 30m] [--publishers 5] [--players 30] [--flv-viewers 3] [--garbage-per-second 2]
                 [--abrupt 0.3] [--publish-min 10s] [--publish-max 120s] [--play-min 5s] [--play-max 60s]
                 [--sample-interval 30s] [--warmup auto] [--segment 60s] [--decode-sample 10]
                 [--handshake-timeout 5s] [--connect-timeout 10s] [--leak-level advanced] [--heap 1g]
                 [--server-arg --some.property=value]... --jar target/sluice.jar [--work-dir DIR]""";

    SoakOptions {
        serverArgs = serverArgs == null ? List.of() : List.copyOf(serverArgs);
        if (duration.isNegative() || duration.isZero() || publishers < 1 || players < 0 || flvViewers < 0
                || garbagePerSecond < 0 || abruptFraction < 0 || abruptFraction > 1
                || publishMax.compareTo(publishMin) < 0 || playMax.compareTo(playMin) < 0
                || sampleInterval.isZero() || sampleInterval.isNegative()) {
            throw new IllegalArgumentException("inconsistent soak options\n" + USAGE);
        }
    }

    /** The warm-up when none is given: a fifth of the run, at most five minutes. */
    static Duration defaultWarmup(Duration duration) {
        Duration fifth = duration.dividedBy(5);
        return fifth.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : fifth;
    }

    static SoakOptions parse(String... args) {
        Duration duration = Duration.ofMinutes(30);
        int publishers = 5;
        int players = 30;
        int flvViewers = 3;
        double garbage = 2;
        double abrupt = 0.3;
        Duration publishMin = Duration.ofSeconds(10);
        Duration publishMax = Duration.ofSeconds(120);
        Duration playMin = Duration.ofSeconds(5);
        Duration playMax = Duration.ofSeconds(60);
        Duration sampleInterval = Duration.ofSeconds(30);
        Duration warmup = null;
        Duration segment = Duration.ofSeconds(60);
        int decodeSample = 10;
        Duration handshakeTimeout = Duration.ofSeconds(5);
        Duration connectTimeout = Duration.ofSeconds(10);
        String leakLevel = "advanced";
        String heap = "1g";
        Path jar = null;
        Path workDir = null;
        List<String> serverArgs = new ArrayList<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = rest.remove(0);
            switch (name) {
                case "--duration" -> duration = duration(value);
                case "--publishers" -> publishers = Integer.parseInt(value);
                case "--players" -> players = Integer.parseInt(value);
                case "--flv-viewers" -> flvViewers = Integer.parseInt(value);
                case "--garbage-per-second" -> garbage = Double.parseDouble(value);
                case "--abrupt" -> abrupt = Double.parseDouble(value);
                case "--publish-min" -> publishMin = duration(value);
                case "--publish-max" -> publishMax = duration(value);
                case "--play-min" -> playMin = duration(value);
                case "--play-max" -> playMax = duration(value);
                case "--sample-interval" -> sampleInterval = duration(value);
                case "--warmup" -> warmup = value.equals("auto") ? null : duration(value);
                case "--segment" -> segment = duration(value);
                case "--decode-sample" -> decodeSample = Integer.parseInt(value);
                case "--handshake-timeout" -> handshakeTimeout = duration(value);
                case "--connect-timeout" -> connectTimeout = duration(value);
                case "--leak-level" -> leakLevel = value;
                case "--heap" -> heap = value;
                case "--jar" -> jar = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--server-arg" -> serverArgs.add(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar is required\n" + USAGE);
        }
        return new SoakOptions(duration, publishers, players, flvViewers, garbage, abrupt, publishMin, publishMax,
                playMin, playMax, sampleInterval, warmup == null ? defaultWarmup(duration) : warmup, segment,
                decodeSample, handshakeTimeout, connectTimeout, leakLevel, heap, jar, workDir, serverArgs);
    }

    /** {@code 30m}, {@code 90s}, {@code 1h}, {@code 500ms}, or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = t.length() > 1 ? parseOrMinus(t.substring(0, t.length() - 1)) : -1;
        if (n >= 0) {
            switch (t.charAt(t.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                default: break;
            }
        }
        return Duration.parse(text);
    }

    private static long parseOrMinus(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How long a misbehaving connection may stay open: the server's timeouts plus a margin for load. */
    Duration garbageDeadline() {
        return handshakeTimeout.plus(connectTimeout).plusSeconds(5);
    }
}
