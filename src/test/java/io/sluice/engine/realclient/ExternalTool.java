package io.sluice.engine.realclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One external client process (ffmpeg, rtmpdump, gst-launch...) with a bounded lifetime: its stdout
 * and stderr go to {@code <name>.log} in the test's folder, the command line to {@code <name>.cmd},
 * and the moment it exits is recorded so tests can measure exit delays. {@link RealClients} kills
 * whatever is still running when the test ends.
 */
final class ExternalTool {
    private static final File DEV_NULL = new File("/dev/null");

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Process process;
    private final long startNanos;
    private volatile long exitNanos;

    private ExternalTool(String name, List<String> command, Path log, Process process, long startNanos) {
        this.name = name;
        this.command = command;
        this.log = log;
        this.process = process;
        this.startNanos = startNanos;
        process.onExit().thenRun(() -> exitNanos = System.nanoTime());
    }

    static ExternalTool start(Path dir, String name, List<String> command) {
        Path log = dir.resolve(name + ".log");
        try {
            Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
            long start = System.nanoTime();
            Process process = builder.start();
            return new ExternalTool(name, List.copyOf(command), log, process, start);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    long startNanos() {
        return startNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits at most {@code timeout} for the process to end; true if it did. */
    boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (exited) {
                process.onExit().join(); // exitNanos is set once onExit's callbacks ran
                RealClients.awaitCondition(Duration.ofSeconds(1), "exit time of " + name, () -> exitNanos != 0);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asserts the process ends by itself within {@code timeout} and returns its exit code. */
    int assertExitsWithin(Duration timeout) {
        boolean exited = awaitExit(timeout);
        assertThat(exited)
                .as("%s (pid %d) still running %s after the wait began; log tail:%n%s", name, pid(), timeout, tail(15))
                .isTrue();
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** When the process exited (System.nanoTime), if it did. */
    OptionalLong exitNanos() {
        long t = exitNanos;
        return t == 0 ? OptionalLong.empty() : OptionalLong.of(t);
    }

    long exitNanosOrThrow() {
        return exitNanos().orElseThrow(() -> new AssertionError(name + " has not exited"));
    }

    /** How long the process ran, start to exit. */
    Duration runTime() {
        return Duration.ofNanos(exitNanosOrThrow() - startNanos);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last {@code lines} lines of the output (progress lines split at carriage returns). */
    String tail(int lines) {
        String[] all = output().split("\r\n|\r|\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    /** Kills the process and its children, if still running. */
    void destroy() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + "): " + String.join(" ", command);
    }
}
