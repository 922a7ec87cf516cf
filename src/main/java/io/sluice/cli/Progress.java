package io.sluice.cli;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines as ffmpeg prints them: media time, bytes, average bitrate. */
final class Progress {
    private final PrintStream out;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();

    Progress(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    void print(long mediaMillis, long bytes) {
        if (!quiet) {
            out.println(line(mediaMillis, bytes));
        }
    }

    /** Always printed: the last line. */
    void done(String what, long mediaMillis, long bytes) {
        out.println(what + ": " + line(mediaMillis, bytes));
    }

    String line(long mediaMillis, long bytes) {
        double seconds = Math.max(0.001, mediaMillis / 1000.0);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "time=%s size=%s bitrate=%.1f kbit/s elapsed=%.1fs", clock(mediaMillis),
                size(bytes), mediaMillis <= 0 ? 0.0 : bytes * 8 / 1000.0 / seconds, elapsed);
    }

    static String clock(long millis) {
        long ms = Math.max(0, millis);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%02d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000 / 10);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fKiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2fMiB", bytes / 1024.0 / 1024.0);
    }
}
