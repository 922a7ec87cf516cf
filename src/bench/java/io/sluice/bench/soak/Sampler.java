package io.sluice.bench.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Takes one {@link Sample} of the server process: a full GC first (jcmd), so that the heap figure is
 * what is really retained, then memory, threads and descriptors from the process and the actuator,
 * and the leak detector's reports so far in its log.
 */
final class Sampler {
    private static final double MIB = 1024 * 1024;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final String LEAK_MARK = "LEAK:";

    /** One point of the time series; memory in MiB. */
    record Sample(long second, double heapAfterGcMib, double jdkDirectMib, double nettyDirectMib,
                  double nettyPinnedMib, int threads, int fds, int connections, int liveStreams, long leakReports) {

        static final String CSV_HEADER = "second,heap_after_gc_mib,jdk_direct_mib,netty_direct_mib,"
                + "netty_pinned_mib,threads,fds,rtmp_connections,live_streams,leak_reports";

        String csv() {
            return String.format("%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%d", second, heapAfterGcMib, jdkDirectMib,
                    nettyDirectMib, nettyPinnedMib, threads, fds, connections, liveStreams, leakReports);
        }
    }

    private final long pid;
    private final ServerApi api;
    private final Path log;
    private final String jcmd;
    private long logOffset;
    private long leakReports;

    Sampler(long pid, ServerApi api, Path log) {
        this.pid = pid;
        this.api = api;
        this.log = log;
        // the jcmd of the JDK running us, which matches the server's (started with the same java)
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path sibling = java.resolveSibling("jcmd");
        this.jcmd = Files.isExecutable(sibling) ? sibling.toString() : "jcmd";
    }

    Sample sample(long second) throws IOException, InterruptedException {
        jcmd("GC.run");
        double heap = heapUsedMib(jcmd("GC.heap_info"));
        double jdkDirect = api.metric("jvm.buffer.memory.used", "id:direct") / MIB;
        double nettyDirect = api.metric("sluice.netty.direct.used", null) / MIB;
        double nettyPinned = api.metric("sluice.netty.direct.pinned", null) / MIB;
        int connections = (int) api.metric("sluice.connections", null);
        int live = (int) api.metric("sluice.streams.live", null);
        return new Sample(second, heap, jdkDirect, nettyDirect, nettyPinned, threads(), fds(), connections, live,
                leakReports());
    }

    /** The heap in use as {@code GC.heap_info} prints it ("... total 262144K, used 123456K ..."). */
    static double heapUsedMib(String heapInfo) throws IOException {
        Matcher m = HEAP_USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IOException("no heap figure in: " + heapInfo);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IOException("no Threads line in /proc/" + pid + "/status");
    }

    private int fds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Lines with Netty's leak report mark added to the log since the last call, plus those before. */
    long leakReports() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length > logOffset) {
                byte[] bytes = new byte[(int) Math.min(length - logOffset, Integer.MAX_VALUE - 16)];
                file.seek(logOffset);
                file.readFully(bytes);
                // count only whole lines; a partial last line is read again next time
                String text = new String(bytes, StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                if (lastNewline >= 0) {
                    String whole = text.substring(0, lastNewline);
                    leakReports += whole.lines().filter(l -> l.contains(LEAK_MARK)).count();
                    logOffset += whole.getBytes(StandardCharsets.UTF_8).length + 1;
                }
            }
        }
        return leakReports;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}
