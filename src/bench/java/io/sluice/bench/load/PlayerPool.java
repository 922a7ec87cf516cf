package io.sluice.bench.load;

import io.netty.buffer.Unpooled;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * N RTMP players on a few selector threads: non-blocking sockets, one direct read buffer per thread,
 * a {@link ChunkStreamReader} per player that skips media payloads. Players measure what a viewer
 * would see: connect-to-first-frame, delivery latency (receive wall clock minus the clock the
 * publisher wrote into each video body), received bytes, gaps without media, and being dropped.
 */
public final class PlayerPool implements AutoCloseable {

    /** A gap longer than this after the first frame counts the player as stalled. */
    static final long STALL_NANOS = 2_000_000_000L;
    private static final int OUT_CHUNK_SIZE = 4096;
    private static final int HANDSHAKE = 1536;
    /** Inter frames counted as "after a keyframe" in {@link #latencyByPlace()}. */
    static final int AFTER_KEYFRAME = 3;

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public PlayerPool(int threads) throws IOException {
        warmUp();
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop("player-loop-" + i);
            loops[i].thread.start();
        }
    }

    /**
     * Loads and runs the command path once (AMF encoding and decoding) so the first players' connect
     * times measure the server, not this JVM's class loading.
     */
    private static void warmUp() {
        byte[] connect = ChunkWriter.amf(List.of(AmfValue.of("connect"), AmfValue.of(1.0),
                AmfObject.builder().put("app", "warm-up").put("fpad", false).put("capabilities", 15.0).build()));
        Amf0.decodeAll(Unpooled.wrappedBuffer(connect), AmfLimits.DEFAULT);
    }

    /** Starts one player on {@code rtmp://address/app/stream} (its clock starts now). */
    public void play(InetSocketAddress address, String app, String stream) {
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        long started = System.nanoTime();
        loop.run(() -> loop.open(address, app, stream, started));
    }

    /** Forgets latency and byte counts so far: the steady window starts now. */
    public void startWindow() {
        for (Loop loop : loops) {
            loop.call(() -> {
                loop.startWindow();
                return null;
            }).join();
        }
    }

    /** What the players saw since {@link #startWindow()}; {@code bytesPerSecond} is the nominal rate. */
    public PlayStats stats(double bytesPerSecond) {
        Histogram latency = new Histogram();
        Histogram firstFrame = new Histogram();
        List<double[]> perPlayer = new ArrayList<>(); // window bytes, window seconds
        int[] counts = new int[4]; // players, stalled, dropped, without a frame
        for (Loop loop : loops) {
            loop.call(() -> {
                latency.add(loop.latency);
                firstFrame.add(loop.firstFrame);
                long now = System.nanoTime();
                for (Player p : loop.players) {
                    counts[0]++;
                    if (p.stalled || (p.firstFrameNanos != 0 && !p.closed && now - p.lastMediaNanos > STALL_NANOS)) {
                        counts[1]++;
                    }
                    if (p.dropped) {
                        counts[2]++;
                    }
                    if (p.firstFrameNanos == 0) {
                        counts[3]++;
                    }
                    perPlayer.add(new double[]{p.reader.bytes() - p.windowStartBytes,
                            (now - loop.windowStartNanos) / 1e9});
                }
                return null;
            }).join();
        }
        double[] rates = perPlayer.stream().mapToDouble(r -> r[1] > 0 ? r[0] / r[1] : 0).sorted().toArray();
        long bytes = (long) perPlayer.stream().mapToDouble(r -> r[0]).sum();
        double seconds = perPlayer.isEmpty() ? 0 : perPlayer.get(0)[1];
        return new PlayStats(counts[0], counts[3], counts[1], counts[2], firstFrame.quantile(0.5),
                firstFrame.quantile(0.99), latency.quantile(0.5), latency.quantile(0.99), latency.max(),
                latency.count(), rates.length == 0 ? 0 : 100 * rates[rates.length / 2] / bytesPerSecond,
                rates.length == 0 ? 0 : 100 * rates[0] / bytesPerSecond, bytes, seconds);
    }

    /**
     * Where the latency comes from: p50/p99/max of keyframes, of the {@value #AFTER_KEYFRAME} frames after
     * each, and of the rest of the GOP, since {@link #startWindow()}. A keyframe weighs ten inter frames,
     * and its fan-out holds back the frames behind it.
     */
    public String latencyByPlace() {
        Histogram[] sums = {new Histogram(), new Histogram(), new Histogram(), new Histogram()};
        for (Loop loop : loops) {
            loop.call(() -> {
                for (int i = 0; i < loop.latencyByPlace.length; i++) {
                    sums[i].add(loop.latencyByPlace[i]);
                }
                sums[3].add(loop.clientLag);
                return null;
            }).join();
        }
        String[] names = {"keyframes", "next " + AFTER_KEYFRAME, "rest", "client lag"};
        StringBuilder out = new StringBuilder("latency p50/p99/max ms (frames):");
        for (int i = 0; i < sums.length; i++) {
            out.append(String.format(Locale.ROOT, " %s %.1f/%.1f/%.1f (%d)", names[i],
                    sums[i].quantile(0.5) / 1e3, sums[i].quantile(0.99) / 1e3, sums[i].max() / 1e3,
                    sums[i].count()));
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.stop();
        }
    }

    /** A selector thread with the players it owns; everything on it runs on its thread. */
    private static final class Loop implements Runnable {
        final Thread thread;
        final Selector selector;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        final List<Player> players = new ArrayList<>();
        final Histogram latency = new Histogram();
        final Histogram firstFrame = new Histogram();
        /** Latency by place in the GOP: keyframes, the {@link #AFTER_KEYFRAME} frames after one, the rest. */
        final Histogram[] latencyByPlace = {new Histogram(), new Histogram(), new Histogram()};
        long windowStartNanos = System.nanoTime();
        long nowNanos;
        long nowMicros;
        /** When the last select returned: a player's data was there by then, whenever its turn comes. */
        long selectedMicros;
        final Histogram clientLag = new Histogram();
        volatile boolean running = true;

        Loop(String name) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        void run(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        <T> CompletableFuture<T> call(Supplier<T> task) {
            CompletableFuture<T> result = new CompletableFuture<>();
            run(() -> {
                try {
                    result.complete(task.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        }

        void stop() {
            running = false;
            selector.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void startWindow() {
            windowStartNanos = System.nanoTime();
            latency.clear();
            for (Histogram h : latencyByPlace) {
                h.clear();
            }
            clientLag.clear();
            for (Player p : players) {
                p.windowStartBytes = p.reader.bytes();
            }
        }

        void open(InetSocketAddress address, String app, String stream, long startedNanos) {
            Player p = new Player(this, app, stream, "rtmp://" + address.getHostString() + ":" + address.getPort()
                    + "/" + app, startedNanos);
            players.add(p);
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                p.channel = ch;
                if (ch.connect(address)) {
                    p.key = ch.register(selector, SelectionKey.OP_READ, p);
                    p.connected();
                } else {
                    p.key = ch.register(selector, SelectionKey.OP_CONNECT, p);
                }
            } catch (IOException e) {
                p.fail(e);
            }
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(500);
                    selectedMicros = StreamShape.nowMicros();
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Player p = (Player) key.attachment();
                        nowNanos = System.nanoTime();
                        nowMicros = StreamShape.nowMicros();
                        p.ready(key);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | ClosedSelectorException e) {
                System.err.println(thread.getName() + " stopped: " + e);
            } finally {
                for (Player p : players) {
                    p.closeQuietly();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** One player connection and what it measured. */
    private static final class Player implements ChunkStreamReader.Listener {
        final Loop loop;
        final String app;
        final String stream;
        final String tcUrl;
        final long connectStartNanos;
        final ChunkStreamReader reader = new ChunkStreamReader(this);
        final Queue<ByteBuffer> pending = new ArrayDeque<>();
        SocketChannel channel;
        SelectionKey key;
        byte[] handshake = new byte[1 + 2 * HANDSHAKE];
        int handshakeHave;
        long firstFrameNanos;
        long lastMediaNanos;
        long windowStartBytes;
        long windowAck;
        long lastAck;
        /** Video frames since the last keyframe (0 for a keyframe), counted up to one past AFTER_KEYFRAME. */
        int sinceKeyframe = AFTER_KEYFRAME + 1;
        boolean stalled;
        boolean dropped;
        boolean closed;

        Player(Loop loop, String app, String stream, String tcUrl, long connectStartNanos) {
            this.loop = loop;
            this.app = app;
            this.stream = stream;
            this.tcUrl = tcUrl;
            this.connectStartNanos = connectStartNanos;
        }

        void ready(SelectionKey k) {
            try {
                if (!k.isValid()) {
                    return;
                }
                if (k.isConnectable()) {
                    channel.finishConnect();
                    k.interestOps(SelectionKey.OP_READ);
                    connected();
                }
                if (k.isValid() && k.isWritable()) {
                    flush();
                }
                if (k.isValid() && k.isReadable()) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        /** C0 (version 3) and C1 (time, zero, random: zeros do), RTMP 1.0 section 5.2.2-5.2.3. */
        void connected() throws IOException {
            byte[] c0c1 = new byte[1 + HANDSHAKE];
            c0c1[0] = 3;
            send(c0c1);
        }

        private void read() throws IOException {
            ByteBuffer buf = loop.readBuffer;
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    dropped = true;
                    closeQuietly();
                    return;
                }
                if (n == 0) {
                    return;
                }
                buf.flip();
                if (handshake != null) {
                    readHandshake(buf);
                }
                if (buf.hasRemaining()) {
                    reader.feed(buf);
                    acknowledge();
                }
                if (n < buf.capacity()) {
                    return;
                }
            }
        }

        /** S0+S1+S2, then C2 (S1 echoed), our chunk size, and connect. */
        private void readHandshake(ByteBuffer buf) throws IOException {
            int n = Math.min(buf.remaining(), handshake.length - handshakeHave);
            buf.get(handshake, handshakeHave, n);
            handshakeHave += n;
            if (handshakeHave < handshake.length) {
                return;
            }
            send(Arrays.copyOfRange(handshake, 1, 1 + HANDSHAKE));
            handshake = null;
            send(ChunkWriter.message(ChunkWriter.CONTROL_CSID, 1, 0, 0, ChunkWriter.int32(OUT_CHUNK_SIZE), 128));
            AmfObject connect = AmfObject.builder().put("app", app).put("flashVer", "LNX 9,0,124,2")
                    .put("tcUrl", tcUrl).put("fpad", false).put("capabilities", 15.0).put("audioCodecs", 3191.0)
                    .put("videoCodecs", 252.0).put("videoFunction", 1.0).build();
            send(ChunkWriter.command(0, OUT_CHUNK_SIZE, List.of(AmfValue.of("connect"), AmfValue.of(1.0), connect)));
        }

        /** Acknowledgement after each window of bytes the server asked for (5.4.3, 5.4.4). */
        private void acknowledge() throws IOException {
            long bytes = reader.bytes();
            if (windowAck > 0 && bytes - lastAck >= windowAck) {
                lastAck = bytes;
                send(ChunkWriter.message(ChunkWriter.CONTROL_CSID, 3, 0, 0, ChunkWriter.int32((int) bytes),
                        OUT_CHUNK_SIZE));
            }
        }

        @Override
        public void messageStarted(int type) {
            if (type == StreamShape.VIDEO && firstFrameNanos == 0) {
                firstFrameNanos = loop.nowNanos;
                lastMediaNanos = loop.nowNanos;
                loop.firstFrame.record((firstFrameNanos - connectStartNanos) / 1_000);
            }
        }

        @Override
        public void messageEnded(int type, int streamId, int length, byte[] body, int kept) {
            switch (type) {
                case StreamShape.VIDEO, StreamShape.AUDIO -> media(type, body, kept);
                case 5 -> windowAck = ByteBuffer.wrap(body, 0, 4).getInt() & 0xffffffffL;
                case 4 -> userControl(body, kept);
                case 20 -> command(body, kept);
                default -> {
                    // data (metadata), set peer bandwidth, chunk size (the reader applied it): nothing to do
                }
            }
        }

        private void media(int type, byte[] body, int kept) {
            if (firstFrameNanos != 0) {
                if (loop.nowNanos - lastMediaNanos > STALL_NANOS) {
                    stalled = true;
                }
                lastMediaNanos = loop.nowNanos;
            }
            if (type == StreamShape.VIDEO) {
                sinceKeyframe = kept > 0 && (body[0] & 0xf0) == 0x10 ? 0 : Math.min(sinceKeyframe + 1, AFTER_KEYFRAME + 1);
                long sent = StreamShape.markedMicros(body, kept);
                if (sent > 0) {
                    long micros = loop.nowMicros - sent;
                    loop.latency.record(micros);
                    int place = sinceKeyframe == 0 ? 0 : sinceKeyframe <= AFTER_KEYFRAME ? 1 : 2;
                    loop.latencyByPlace[place].record(micros);
                    loop.clientLag.record(loop.nowMicros - loop.selectedMicros);
                }
            }
        }

        /** Ping request (event 6) is answered with ping response (event 7), RTMP 1.0 section 7.1.7. */
        private void userControl(byte[] body, int kept) {
            if (kept >= 6 && body[0] == 0 && body[1] == 6) {
                byte[] pong = Arrays.copyOf(body, 6);
                pong[1] = 7;
                sendQuietly(ChunkWriter.message(ChunkWriter.CONTROL_CSID, 4, 0, 0, pong, OUT_CHUNK_SIZE));
            }
        }

        /** connect's _result: createStream; createStream's _result: play (7.2.1.1, 7.2.1.3, 7.2.2.1). */
        private void command(byte[] body, int kept) {
            List<AmfValue> values = Amf0.decodeAll(Unpooled.wrappedBuffer(body, 0, kept), AmfLimits.DEFAULT);
            String name = values.get(0) instanceof AmfString s ? s.value() : "";
            double tid = values.size() > 1 && values.get(1) instanceof AmfNumber n ? n.value() : 0;
            if (name.equals("_result") && tid == 1) {
                sendQuietly(ChunkWriter.command(0, OUT_CHUNK_SIZE, List.of(AmfValue.of("createStream"),
                        AmfValue.of(2.0), AmfNull.INSTANCE)));
            } else if (name.equals("_result") && tid == 2) {
                int streamId = values.size() > 3 && values.get(3) instanceof AmfNumber n ? (int) n.value() : 1;
                byte[] bufferLength = ByteBuffer.allocate(10).putShort((short) 3).putInt(streamId).putInt(3000)
                        .array();
                sendQuietly(ChunkWriter.message(ChunkWriter.CONTROL_CSID, 4, 0, 0, bufferLength, OUT_CHUNK_SIZE));
                sendQuietly(ChunkWriter.message(8, 20, streamId, 0, ChunkWriter.amf(List.of(AmfValue.of("play"),
                        AmfValue.of(0.0), AmfNull.INSTANCE, AmfValue.of(stream), AmfValue.of(-1000.0))),
                        OUT_CHUNK_SIZE));
            } else if (name.equals("_error")) {
                fail(new IOException("server refused: " + values));
            } else if (name.equals("onStatus") && values.size() > 3 && values.get(3) instanceof AmfEntries info) {
                String code = info.string("code");
                if (code != null && (code.contains("Failed") || code.contains("NotFound")
                        || code.contains("Rejected"))) {
                    fail(new IOException("play " + stream + ": " + code));
                }
            }
        }

        private void sendQuietly(byte[] bytes) {
            try {
                send(bytes);
            } catch (IOException e) {
                fail(e);
            }
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            if (pending.isEmpty()) {
                channel.write(buf);
            }
            if (buf.hasRemaining()) {
                pending.add(buf);
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }

        private void flush() throws IOException {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                pending.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }

        void fail(Exception e) {
            if (!closed) {
                dropped = true;
                System.err.println("player on " + stream + ": " + e);
            }
            closeQuietly();
        }

        void closeQuietly() {
            closed = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
