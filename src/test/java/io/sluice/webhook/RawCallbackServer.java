package io.sluice.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A callback server that does not speak HTTP properly, on a raw socket: the broken peers a JDK
 * {@code HttpServer} cannot play. Each connection gets the same {@link Behaviour}.
 */
final class RawCallbackServer implements AutoCloseable {

    /** What the server does with one accepted connection (after reading the request's first bytes). */
    enum Behaviour {
        /** Answers bytes that are no HTTP response at all, then closes. */
        NOT_HTTP {
            @Override
            void answer(OutputStream out) throws IOException {
                out.write("\u0003\u00ffSSH-2.0-not-http\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        },
        /** A 200 announcing a gigabyte of JSON and sending it until the client stops reading. */
        ENDLESS_200 {
            @Override
            void answer(OutputStream out) throws IOException {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{")
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] spaces = new byte[8192];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int i = 0; i < 131_072; i++) { // bounded: 1 GiB at most, ends when the client hangs up
                    out.write(spaces);
                }
            }
        },
        /** A 200 whose JSON body is cut in the middle. */
        MALFORMED_JSON {
            @Override
            void answer(OutputStream out) throws IOException {
                byte[] body = "{\"allow\": tr".getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            }
        },
        /** Reads the request and never answers (until the test ends). */
        SILENT {
            @Override
            void answer(OutputStream out) throws IOException {
                try {
                    Thread.sleep(60_000); // interrupted by close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };

        abstract void answer(OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final Behaviour behaviour;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    RawCallbackServer(Behaviour behaviour) {
        this.behaviour = behaviour;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start("raw-callback-accept", this::acceptLoop);
    }

    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    private void start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.add(s);
                start("raw-callback-conn", () -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            in.read(new byte[4096]); // the request line and headers: enough to know a request came
            behaviour.answer(socket.getOutputStream());
        } catch (IOException e) {
            // the client hung up: what these servers are for
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // ignore
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // ignore
            }
        }
        threads.forEach(Thread::interrupt);
    }
}
