package io.sluice.streamkey;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One ffmpeg process publishing a test pattern, its output in a file; tests destroy it when done. */
final class Ffmpeg implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Ffmpeg(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static void assumeInstalled() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        boolean found = false;
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, "ffmpeg");
            found |= f.isFile() && f.canExecute();
        }
        assumeTrue(found, "ffmpeg not installed: skipping");
    }

    /** ffmpeg publishing {@code seconds} of testsrc2 320x240@30 H.264 to {@code url}. */
    static Ffmpeg publish(Path dir, String name, String url, int seconds) {
        return start(dir, name, List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "30", "-t", String.valueOf(seconds), "-f", "flv", url));
    }

    /** ffmpeg playing {@code url} for {@code seconds} into nothing. */
    static Ffmpeg play(Path dir, String name, String url, int seconds) {
        return start(dir, name, List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
                "-rw_timeout", "10000000", "-i", url, "-t", String.valueOf(seconds), "-c", "copy", "-f", "null", "-"));
    }

    private static Ffmpeg start(Path dir, String name, List<String> command) {
        Path log = dir.resolve(name + ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new Ffmpeg(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ffmpeg", e);
        }
    }

    /** Waits at most {@code timeout}; the exit code, or null if it is still running. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
