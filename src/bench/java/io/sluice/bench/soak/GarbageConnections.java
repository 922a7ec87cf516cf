package io.sluice.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Misbehaving connections at a steady rate. Each one must be closed by the server, because of what it
 * sent or by the handshake or connect timeout, within {@link SoakOptions#garbageDeadline()}; one still
 * open after that is counted as left open (a leak of a descriptor and a session).
 */
final class GarbageConnections implements AutoCloseable {
    private static final int HANDSHAKE_PACKET = 1536; // RTMP 1.0 section 5.2.3: C1/S1/C2/S2 are 1536 bytes

    enum Kind {
        /** Random bytes of random length, then silence. */
        RANDOM_BYTES,
        /** C0 and part of C1, then silence: only the handshake timeout ends it. */
        HALF_HANDSHAKE,
        /** A complete simple handshake followed by random chunk bytes instead of a connect command. */
        JUNK_AFTER_HANDSHAKE,
        /** Connects and never speaks. */
        SILENT
    }

    /** Per kind: opened, closed by the server, left open past the deadline, failed to connect at all. */
    record Tally(long opened, long closedByServer, long leftOpen, long connectFailed) {
    }

    private final int port;
    private final Duration deadline;
    private final Map<Kind, AtomicLong[]> counts = new EnumMap<>(Kind.class);
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "soak-garbage");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-garbage-ticker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong next = new AtomicLong();

    GarbageConnections(int port, Duration deadline) {
        this.port = port;
        this.deadline = deadline;
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong[]{new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()});
        }
    }

    /** Opens {@code perSecond} connections a second, the kinds in turn. */
    void start(double perSecond) {
        if (perSecond <= 0) {
            return;
        }
        long periodMicros = (long) (1_000_000 / perSecond);
        ticker.scheduleAtFixedRate(() -> {
            Kind kind = Kind.values()[(int) (next.getAndIncrement() % Kind.values().length)];
            workers.execute(() -> run(kind));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Runs one connection of {@code kind} to its end, on the calling thread. */
    void run(Kind kind) {
        AtomicLong[] c = counts.get(kind);
        c[0].incrementAndGet();
        long end = System.nanoTime() + deadline.toNanos();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), (int) deadline.toMillis());
            } catch (IOException e) {
                c[3].incrementAndGet();
                return;
            }
            socket.setSoTimeout((int) deadline.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Random random = ThreadLocalRandom.current();
            switch (kind) {
                case RANDOM_BYTES -> out.write(randomBytes(random, 1 + random.nextInt(4096)));
                case HALF_HANDSHAKE -> {
                    out.write(3);
                    out.write(randomBytes(random, random.nextInt(HANDSHAKE_PACKET)));
                }
                case JUNK_AFTER_HANDSHAKE -> {
                    out.write(3);
                    byte[] c1 = randomBytes(random, HANDSHAKE_PACKET);
                    // time 0 and zero "version" bytes: the simple (non-digest) handshake, section 5.2.3
                    Arrays.fill(c1, 0, 8, (byte) 0);
                    out.write(c1);
                    out.flush();
                    byte[] s0s1s2 = in.readNBytes(1 + 2 * HANDSHAKE_PACKET);
                    if (s0s1s2.length == 1 + 2 * HANDSHAKE_PACKET) {
                        out.write(s0s1s2, 1, HANDSHAKE_PACKET); // C2 echoes S1
                        out.write(randomBytes(random, 1 + random.nextInt(2048)));
                    }
                }
                case SILENT -> {
                    // nothing
                }
            }
            out.flush();
            if (awaitClose(socket, in, end)) {
                c[1].incrementAndGet();
            } else {
                c[2].incrementAndGet();
            }
        } catch (IOException e) {
            // the server closed (reset) the connection while we wrote or read the handshake
            c[1].incrementAndGet();
        }
    }

    /** Reads and drops whatever the server sends until it closes; false if it is still open at {@code end}. */
    private static boolean awaitClose(Socket socket, InputStream in, long end) throws IOException {
        byte[] sink = new byte[8192];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    Map<Kind, Tally> tallies() {
        Map<Kind, Tally> result = new EnumMap<>(Kind.class);
        counts.forEach((kind, c) -> result.put(kind, new Tally(c[0].get(), c[1].get(), c[2].get(), c[3].get())));
        return result;
    }

    long leftOpen() {
        return counts.values().stream().mapToLong(c -> c[2].get()).sum();
    }

    long opened() {
        return counts.values().stream().mapToLong(c -> c[0].get()).sum();
    }

    /** Stops opening connections and waits for those under way to end (each is bounded by the deadline). */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(deadline.toMillis() + 5000, TimeUnit.MILLISECONDS);
    }
}
