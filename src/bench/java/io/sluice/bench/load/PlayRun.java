package io.sluice.bench.load;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One measurement: N players join at a steady rate, settle, then a steady window in which the
 * players' figures, the server's CPU and the client's own CPU are taken; the server's RSS before
 * the first player and at the plateau.
 *
 * @param serverPid the server's process (with its children), or 0 to sample nothing
 * @param gcLog     the server's {@code -Xlog:gc} file, or null
 */
record PlayRun(InetSocketAddress address, String app, String stream, int players, double joinsPerSecond,
               int threads, Duration settle, Duration window, StreamShape shape, long serverPid, Path gcLog) {

    /**
     * What one run measured.
     *
     * @param serverCpuSeconds the server's CPU over the window (NaN without a pid)
     * @param clientCpuSeconds this process's CPU over the window
     * @param gcMaxPauseMillis the longest GC pause over the whole run (-1 without a log)
     */
    record Result(PlayStats stats, double serverCpuSeconds, double clientCpuSeconds, long rssBeforeKib,
                  long rssAfterKib, double gcMaxPauseMillis) {

        double cpuPerGbit() {
            return serverCpuSeconds / stats.deliveredGbit();
        }

        double rssPerPlayerKib() {
            return stats.players() == 0 ? 0 : (rssAfterKib - rssBeforeKib) / (double) stats.players();
        }
    }

    Result run() throws Exception {
        ProcessSampler server = serverPid > 0 ? new ProcessSampler(serverPid) : null;
        long rssBefore = server == null ? 0 : server.rssKib();
        long gcOffset = ProcessSampler.logSize(gcLog);
        try (PlayerPool pool = new PlayerPool(threads)) {
            long start = System.nanoTime();
            for (int i = 0; i < players; i++) {
                long due = start + (long) (i * 1e9 / joinsPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                pool.play(address, app, stream);
            }
            Thread.sleep(settle.toMillis());
            pool.startWindow();
            double serverCpu0 = server == null ? Double.NaN : server.cpuSeconds();
            double clientCpu0 = ProcessSampler.ownCpuSeconds();
            Thread.sleep(window.toMillis());
            double serverCpu = server == null ? Double.NaN : server.cpuSeconds() - serverCpu0;
            double clientCpu = ProcessSampler.ownCpuSeconds() - clientCpu0;
            PlayStats stats = pool.stats(shape.bytesPerSecond());
            System.err.println(players + " players: " + pool.latencyByPlace());
            long rssAfter = server == null ? 0 : server.rssKib();
            return new Result(stats, serverCpu, clientCpu, rssBefore, rssAfter,
                    ProcessSampler.maxPauseMillis(gcLog, gcOffset));
        }
    }
}
