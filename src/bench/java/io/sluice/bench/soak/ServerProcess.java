package io.sluice.bench.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Sluice jar in a process of its own, as it is deployed: free ports, a fresh data directory,
 * open publishing, every publish recorded in segments, Netty's leak detector on, the log in a file.
 */
final class ServerProcess implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String PASSWORD = "soak-admin-password";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final int rtmpPort;
    private final int httpPort;
    private final Path dataDir;
    private final Path log;
    private final List<String> command;

    private ServerProcess(Process process, int rtmpPort, int httpPort, Path dataDir, Path log, List<String> command) {
        this.process = process;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        this.log = log;
        this.command = command;
    }

    /** Starts the server and waits until its health endpoint answers. */
    static ServerProcess start(SoakOptions options, Path workDir) throws IOException {
        int rtmpPort = freePort();
        int httpPort = freePort();
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        Path log = workDir.resolve("server.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + options.heap(),
                "-Dio.netty.leakDetection.level=" + options.leakLevel(),
                "-jar", options.jar().toAbsolutePath().toString(),
                "--sluice.rtmp.host=127.0.0.1",
                "--sluice.rtmp.port=" + rtmpPort,
                "--server.port=" + httpPort,
                "--sluice.data-dir=" + dataDir.toAbsolutePath(),
                "--sluice.admin.username=" + ADMIN,
                "--sluice.admin.password=" + PASSWORD,
                "--sluice.keys.default-publish-policy=OPEN",
                "--sluice.recording.all=true",
                "--sluice.recording.max-segment-duration=" + options.segment().toSeconds() + "s",
                "--sluice.rtmp.handshake-timeout=" + options.handshakeTimeout().toMillis() + "ms",
                "--sluice.rtmp.connect-timeout=" + options.connectTimeout().toMillis() + "ms"));
        command.addAll(options.serverArgs());
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, rtmpPort, httpPort, dataDir, log, command);
        ServerApi api = server.api();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!api.healthy()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("the server did not start within " + START_TIMEOUT + "; see " + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    ServerApi api() {
        return new ServerApi(httpPort, ADMIN, PASSWORD);
    }

    long pid() {
        return process.pid();
    }

    int rtmpPort() {
        return rtmpPort;
    }

    int httpPort() {
        return httpPort;
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    List<String> command() {
        return command;
    }

    /** Stops the server as a service manager would (SIGTERM), then forcibly if it hangs. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
