package io.sluice.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records what real RTMP clients send to a server: a TCP proxy on a loopback port in front of the
 * server that keeps the first {@link #MAX_BYTES} bytes each client sends (C0, C1, C2, then its chunk
 * stream) while passing everything through both ways. Used by {@link SeedCorpusWriter}.
 */
final class ClientCapture implements AutoCloseable {

    static final int MAX_BYTES = 64 * 1024;

    private final int serverPort;
    private final ServerSocket listener;
    private final List<ByteArrayOutputStream> connections = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    ClientCapture(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "capture-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * Runs {@code command} (bounded by {@code timeout}, then killed) and returns what it sent on its
     * first connection through this proxy.
     */
    byte[] run(List<String> command, Duration timeout, Path log) throws IOException, InterruptedException {
        int before;
        synchronized (connections) {
            before = connections.size();
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        synchronized (connections) {
            if (connections.size() == before) {
                throw new IOException("no connection from " + command + "; see " + log);
            }
            ByteArrayOutputStream first = connections.get(before);
            synchronized (first) {
                return first.toByteArray();
            }
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                ByteArrayOutputStream recorded = new ByteArrayOutputStream();
                synchronized (connections) {
                    connections.add(recorded);
                    sockets.add(client);
                    sockets.add(server);
                }
                pump(client, server, recorded);
                pump(server, client, null);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream recorded) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (recorded != null) {
                        synchronized (recorded) {
                            recorded.write(buf, 0, Math.min(n, MAX_BYTES - recorded.size()));
                        }
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side went away: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "capture-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (connections) {
            sockets.forEach(ClientCapture::closeQuietly);
        }
    }
}
