package io.sluice.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server process costs, from {@code /proc}: CPU seconds (utime + stime, fields 14 and 15 of
 * {@code /proc/<pid>/stat}, summed over the process and its descendants, e.g. nginx master and worker)
 * and resident memory (VmRSS); and the longest GC pause a JVM logged with {@code -Xlog:gc}.
 */
final class ProcessSampler {
    /** USER_HZ: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Pattern PAUSE = Pattern.compile("Pause.*?([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
    /** {@code -Xlog:safepoint}: every stop of the application threads, whatever the collector. */
    private static final Pattern SAFEPOINT = Pattern.compile("\\[safepoint\\].*Total: ([0-9]+) ns");

    private final long rootPid;

    ProcessSampler(long rootPid) {
        this.rootPid = rootPid;
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(rootPid).ifPresent(p -> {
            pids.add(p.pid());
            p.descendants().forEach(d -> pids.add(d.pid()));
        });
        return pids;
    }

    /** CPU seconds the process tree has used so far. */
    double cpuSeconds() {
        long ticks = 0;
        for (long pid : pids()) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15 (state is field 3)
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Resident set size of the process tree in KiB. */
    long rssKib() {
        long kib = 0;
        for (long pid : pids()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return kib;
    }

    /** This JVM's CPU seconds. */
    static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Bytes in a GC log so far (a window's pauses are those logged after this offset). */
    static long logSize(Path gcLog) {
        try {
            return gcLog == null ? 0 : Files.size(gcLog);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The longest pause in milliseconds logged after {@code fromOffset}; -1 without a log. */
    static double maxPauseMillis(Path gcLog, long fromOffset) {
        if (gcLog == null || !Files.exists(gcLog)) {
            return -1;
        }
        try {
            byte[] all = Files.readAllBytes(gcLog);
            String text = new String(all, (int) Math.min(fromOffset, all.length),
                    all.length - (int) Math.min(fromOffset, all.length));
            double max = 0;
            for (String line : text.split("\n")) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    max = Math.max(max, Double.parseDouble(m.group(1)));
                }
                Matcher safepoint = SAFEPOINT.matcher(line);
                if (safepoint.find()) {
                    max = Math.max(max, Long.parseLong(safepoint.group(1)) / 1e6);
                }
            }
            return max;
        } catch (IOException e) {
            return -1;
        }
    }
}
