package io.sluice.bench.load;

import io.netty.buffer.Unpooled;
import io.sluice.engine.protocol.amf.Amf0;
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
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The physical limit: a bare RTMP fan-out. It does the least a server must for our players (plain
 * handshake, connect/createStream/play answers), generates the synthetic stream itself, chunk-encodes
 * each message once with a type 0 header, and writes the same bytes to every player socket, either per
 * message or, with a merge window, as one gathering write per window. Non-blocking writes; a player
 * that has more than {@link #MAX_QUEUED} bytes waiting is dropped. What it costs is mostly the kernel's
 * copy.
 */
public final class FanoutServer implements AutoCloseable {
    static final int MAX_QUEUED = 2 * 1024 * 1024;
    private static final int CHUNK_SIZE = 60_000;
    private static final int HANDSHAKE = 1536;
    private static final int STREAM_ID = 1;

    private final StreamShape shape;
    private final long mergeNanos;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Queue<Conn> joining = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;
    private final Thread sender;
    private volatile boolean running = true;
    private final byte[] sequenceHeaders;

    public FanoutServer(StreamShape shape, InetSocketAddress bind, long mergeMillis) throws IOException {
        this.shape = shape;
        this.mergeNanos = mergeMillis * 1_000_000;
        server = ServerSocketChannel.open();
        server.bind(bind, 4096);
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        ByteBuffer headers = ByteBuffer.allocate(256);
        ChunkWriter.write(headers, 6, StreamShape.VIDEO, STREAM_ID, 0, ByteBuffer.wrap(StreamShape.avcSequenceHeader()),
                CHUNK_SIZE);
        ChunkWriter.write(headers, 4, StreamShape.AUDIO, STREAM_ID, 0, ByteBuffer.wrap(StreamShape.aacSequenceHeader()),
                CHUNK_SIZE);
        sequenceHeaders = java.util.Arrays.copyOf(headers.array(), headers.position());
        acceptor = new Thread(this::acceptLoop, "fanout-accept");
        sender = new Thread(this::sendLoop, "fanout-send");
        acceptor.start();
        sender.start();
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            acceptor.join(5_000);
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        selector.close();
    }

    private void acceptLoop() {
        try {
            while (running) {
                selector.select(500);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        Conn c = (Conn) key.attachment();
                        try {
                            c.read(key);
                        } catch (IOException | RuntimeException e) {
                            System.err.println("fan-out: closing " + c.channel + ": " + e);
                            c.close();
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("fan-out accept loop stopped: " + e);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
        }
    }

    /** Generates the stream in real time and writes each message to every player. */
    private void sendLoop() {
        List<Conn> players = new ArrayList<>();
        List<ByteBuffer> batch = new ArrayList<>();
        long start = System.nanoTime();
        // frames are stamped with when they were due, not when this thread got round to them: the
        // time a burst of writes holds the next frame back is the fan-out's own latency, as it is for
        // a server whose publisher stamps frames as it sends them
        long startMicros = StreamShape.nowMicros();
        long batchStart = start;
        long video = 0;
        long audio = 0;
        while (running) {
            long now = System.nanoTime() - start;
            long videoDue = shape.videoDueNanos(video);
            long audioDue = shape.audioDueNanos(audio);
            long due = Math.min(videoDue, audioDue);
            long flushAt = batch.isEmpty() ? Long.MAX_VALUE : batchStart - start + mergeNanos;
            long wake = Math.min(due, flushAt);
            if (wake > now) {
                LockSupport.parkNanos(Math.min(wake - now, 100_000_000));
                continue;
            }
            Conn c;
            while ((c = joining.poll()) != null) {
                players.add(c);
            }
            if (due <= now) {
                ByteBuffer message;
                if (videoDue <= audioDue) {
                    message = encode(StreamShape.VIDEO, shape.videoTimestamp(video), shape.videoFrameSize(video),
                            video, startMicros + videoDue / 1000);
                    video++;
                } else {
                    message = encode(StreamShape.AUDIO, shape.audioTimestamp(audio), shape.audioFrameSize(), -1, 0);
                    audio++;
                }
                if (mergeNanos == 0) {
                    writeAll(players, new ByteBuffer[]{message});
                    continue;
                }
                if (batch.isEmpty()) {
                    batchStart = System.nanoTime();
                }
                batch.add(message);
            }
            if (!batch.isEmpty() && System.nanoTime() - batchStart >= mergeNanos) {
                writeAll(players, batch.toArray(ByteBuffer[]::new));
                batch.clear();
            }
        }
        players.forEach(Conn::close);
    }

    /** One message, chunked once into a direct buffer (a heap buffer would be copied on every write). */
    private ByteBuffer encode(int type, int timestamp, int size, long videoFrame, long dueMicros) {
        ByteBuffer payload = ByteBuffer.allocate(size);
        if (videoFrame >= 0) {
            shape.writeVideo(payload, videoFrame, dueMicros);
        } else {
            shape.writeAudio(payload);
        }
        payload.flip();
        int csid = type == StreamShape.VIDEO ? 6 : 4;
        ByteBuffer out = ByteBuffer.allocateDirect(ChunkWriter.encodedLength(size, CHUNK_SIZE, timestamp));
        ChunkWriter.write(out, csid, type, STREAM_ID, timestamp, payload, CHUNK_SIZE);
        return out.flip();
    }

    private static void writeAll(List<Conn> players, ByteBuffer[] messages) {
        for (Iterator<Conn> it = players.iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (!c.write(messages)) {
                c.close();
                it.remove();
            }
        }
    }

    /** One connection: handshake and commands on the accept thread, media on the sender thread. */
    private final class Conn implements ChunkStreamReader.Listener {
        final SocketChannel channel;
        final ChunkStreamReader reader = new ChunkStreamReader(this);
        final ByteBuffer handshake = ByteBuffer.allocate(1 + 2 * HANDSHAKE);
        final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
        long queuedBytes;
        boolean answered;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }

        void read(SelectionKey key) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            int n = channel.read(buf);
            if (n < 0) {
                key.cancel();
                close();
                return;
            }
            buf.flip();
            if (handshake.hasRemaining()) {
                int take = Math.min(buf.remaining(), handshake.remaining());
                handshake.put(buf.slice().limit(take));
                buf.position(buf.position() + take);
                if (!answered && handshake.position() >= 1 + HANDSHAKE) {
                    // S0, S1 (zeros: time 0, zero field), S2 = C1 echoed (RTMP 1.0 section 5.2.4)
                    ByteBuffer s = ByteBuffer.allocate(1 + 2 * HANDSHAKE);
                    s.put((byte) 3).position(1 + HANDSHAKE).put(handshake.array(), 1, HANDSHAKE);
                    writeFully(s.flip());
                    answered = true;
                }
            }
            if (!handshake.hasRemaining() && buf.hasRemaining()) {
                reader.feed(buf);
            }
        }

        @Override
        public void messageEnded(int type, int streamId, int length, byte[] body, int kept) {
            if (type != 20) {
                return; // chunk size, acknowledgements, user control: nothing the fan-out needs
            }
            List<AmfValue> values = Amf0.decodeAll(Unpooled.wrappedBuffer(body, 0, kept), AmfLimits.DEFAULT);
            String name = values.get(0) instanceof AmfString s ? s.value() : "";
            double tid = values.size() > 1 && values.get(1) instanceof AmfNumber n ? n.value() : 0;
            switch (name) {
                case "connect" -> {
                    writeFully(control(5, ChunkWriter.int32(2_500_000)));
                    writeFully(control(6, new byte[]{0, 0x26, 0x25, (byte) 0xa0, 2}));
                    writeFully(control(1, ChunkWriter.int32(CHUNK_SIZE)));
                    writeFully(ByteBuffer.wrap(ChunkWriter.command(0, CHUNK_SIZE, List.of(AmfValue.of("_result"),
                            AmfValue.of(tid), AmfObject.of("fmsVer", AmfValue.of("FMS/3,0,1,123"), "capabilities",
                                    AmfValue.of(31.0)),
                            AmfObject.of("level", AmfValue.of("status"), "code",
                                    AmfValue.of("NetConnection.Connect.Success"))))));
                }
                case "createStream" -> writeFully(ByteBuffer.wrap(ChunkWriter.command(0, CHUNK_SIZE,
                        List.of(AmfValue.of("_result"), AmfValue.of(tid), AmfNull.INSTANCE,
                                AmfValue.of((double) STREAM_ID)))));
                case "play" -> {
                    writeFully(control(4, new byte[]{0, 0, 0, 0, 0, STREAM_ID}));
                    writeFully(ByteBuffer.wrap(ChunkWriter.message(5, 20, STREAM_ID, 0,
                            ChunkWriter.amf(List.of(AmfValue.of("onStatus"), AmfValue.of(0.0), AmfNull.INSTANCE,
                                    AmfObject.of("level", AmfValue.of("status"), "code",
                                            AmfValue.of("NetStream.Play.Start")))), CHUNK_SIZE)));
                    writeFully(ByteBuffer.wrap(sequenceHeaders));
                    joining.add(this); // from here on only the sender writes to this socket
                }
                default -> {
                    // releaseStream, getStreamLength, ...: players here never need an answer
                }
            }
        }

        private ByteBuffer control(int type, byte[] payload) {
            return ByteBuffer.wrap(ChunkWriter.message(ChunkWriter.CONTROL_CSID, type, 0, 0, payload, CHUNK_SIZE));
        }

        /** Control answers are small: the socket takes them at once or the client is not reading. */
        private void writeFully(ByteBuffer buf) {
            try {
                channel.write(buf);
                if (buf.hasRemaining()) {
                    throw new IOException("client does not read its control messages");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes what is queued, then {@code messages}; false when the player must be dropped. */
        boolean write(ByteBuffer[] messages) {
            try {
                if (queued.isEmpty() && messages.length == 1) {
                    ByteBuffer d = messages[0].duplicate();
                    channel.write(d);
                    if (d.hasRemaining()) {
                        queued.add(d);
                        queuedBytes += d.remaining();
                    }
                    return true;
                }
                for (ByteBuffer m : messages) {
                    ByteBuffer d = m.duplicate();
                    queued.add(d);
                    queuedBytes += d.remaining();
                }
                ByteBuffer[] all = queued.toArray(ByteBuffer[]::new);
                long written = channel.write(all);
                queuedBytes -= written;
                while (!queued.isEmpty() && !queued.peek().hasRemaining()) {
                    queued.poll();
                }
                return queuedBytes <= MAX_QUEUED;
            } catch (IOException e) {
                return false;
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
