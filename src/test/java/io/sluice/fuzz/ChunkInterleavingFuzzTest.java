package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.testing.TrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Well-formed chunk streams (RTMP 1.0 section 5.3) that the fuzzer shapes: up to six audio/video
 * messages on chunk streams of all three basic header sizes, chunked at whatever Set Chunk Size
 * (1..65536) the fuzzer sends between any two chunks, interleaved in any order, with header
 * compression (types 0-3), extended timestamps and Abort, then delivered in fuzzer-chosen reads.
 * What must hold: the decoder yields exactly the messages that were completed, in the order their last
 * chunk arrived, with their type, stream id, timestamp and bytes; nothing throws; all is released.
 */
class ChunkInterleavingFuzzTest {

    private static final int CONTROL_CSID = 2;
    private static final int EXTENDED = 0xFFFFFF;
    private static final int MAX_CONTROLS = 32;

    @FuzzTest(maxDuration = "15s")
    void interleavedMessages(FuzzedDataProvider data) {
        Writer writer = new Writer(data);
        writer.run();
        byte[] stream = writer.out.toByteArray();
        int[] splits = Splits.choose(data);

        TrackingAllocator alloc = new TrackingAllocator(
                Math.max(ChunkDecoderFuzzTest.LIMITS.maxMessageSize(), 2L * stream.length + 64));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(ChunkDecoderFuzzTest.LIMITS, ChunkDecoderFuzzTest.AMF_LIMITS));
        List<String> decoded = new ArrayList<>();
        try {
            for (int[] piece : Splits.pieces(splits, stream.length)) {
                channel.writeInbound(alloc.copyOf(stream, piece[0], piece[1]));
                Object message;
                while ((message = channel.readInbound()) != null) {
                    try {
                        decoded.add(describe(message));
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(decoded).isEqualTo(writer.expected);
        alloc.assertAllReleased();
    }

    private static String describe(Object message) {
        if (!(message instanceof MediaMessage m)) {
            return "unexpected " + message;
        }
        byte[] payload = new byte[m.content().readableBytes()];
        m.content().getBytes(m.content().readerIndex(), payload);
        return describe(m.typeId(), m.streamId(), m.timestamp(), payload);
    }

    private static String describe(int type, int streamId, int timestamp, byte[] payload) {
        return "type " + type + " stream " + streamId + " ts " + Integer.toUnsignedString(timestamp) + " "
                + HexFormat.of().formatHex(payload);
    }

    /** The sender: what the fuzzer asks for, written as a conforming peer would chunk it. */
    private static final class Writer {
        final FuzzedDataProvider data;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> expected = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();
        int chunkSize = 128;
        int controls;

        Writer(FuzzedDataProvider data) {
            this.data = data;
        }

        /** A message and how far it has been sent. */
        private static final class Message {
            int csid;
            int type;
            int streamId;
            int timestamp;
            byte[] payload;
            int sent = -1; // -1: header not yet sent
            boolean extended;
            int extendedValue;
            boolean aborted;

            boolean done() {
                return aborted || sent == payload.length;
            }
        }

        /** What the decoder remembers of a chunk stream's last header (5.3.1.2). */
        private static final class Previous {
            int type;
            int streamId;
            int length;
            int timestamp;
            int delta;
            boolean extended;
            int extendedValue;
            boolean usable;
        }

        final Map<Integer, Previous> previous = new HashMap<>();

        void run() {
            int count = data.consumeInt(1, 6);
            List<Integer> csids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Message m = new Message();
                // one, two and three byte basic headers (5.3.1.1); one message at a time per chunk stream
                m.csid = switch (data.consumeInt(0, 2)) {
                    case 0 -> data.consumeInt(3, 63);
                    case 1 -> data.consumeInt(64, 319);
                    default -> data.consumeInt(320, 65599);
                };
                if (csids.contains(m.csid)) {
                    continue;
                }
                csids.add(m.csid);
                m.type = data.consumeBoolean() ? MessageType.AUDIO : MessageType.VIDEO;
                m.streamId = data.consumeInt(0, 3);
                m.timestamp = data.consumeBoolean() ? data.consumeInt(0, 100_000) : data.consumeInt();
                m.payload = data.consumeBytes(data.consumeInt(0, 3000));
                messages.add(m);
            }
            // A second message on a chunk stream, after the first: exercises header compression.
            List<Message> followUps = new ArrayList<>();
            for (Message first : messages) {
                if (data.consumeBoolean()) {
                    Message m = new Message();
                    m.csid = first.csid;
                    m.type = data.consumeBoolean() ? first.type : (first.type == MessageType.AUDIO ? 9 : 8);
                    m.streamId = data.consumeBoolean() ? first.streamId : data.consumeInt(0, 3);
                    m.timestamp = first.timestamp + (data.consumeBoolean() ? data.consumeInt(0, 1000) : data.consumeInt());
                    m.payload = data.consumeBoolean() ? data.consumeBytes(first.payload.length)
                            : data.consumeBytes(data.consumeInt(0, 3000));
                    followUps.add(m);
                }
            }
            List<Message> pending = new ArrayList<>(messages);
            while (!pending.isEmpty() || !followUps.isEmpty()) {
                if (pending.isEmpty()) {
                    pending.addAll(followUps);
                    followUps.clear();
                    continue;
                }
                // an exhausted provider answers 0: send a chunk, so that the loop always ends
                int op = controls < MAX_CONTROLS ? data.consumeInt(0, 9) : 0;
                if (op == 8) {
                    controls++;
                    setChunkSize(data.consumeBoolean() ? data.consumeInt(1, 4096) : data.consumeInt(1, 65536));
                } else if (op == 9) {
                    controls++;
                    abort(pending.get(data.consumeInt(0, pending.size() - 1)));
                } else {
                    sendChunk(pending.get(data.consumeInt(0, pending.size() - 1)));
                }
                pending.removeIf(m -> {
                    if (!m.done()) {
                        return false;
                    }
                    // a follow-up on the same chunk stream may start now
                    followUps.stream().filter(f -> f.csid == m.csid).findFirst().ifPresent(f -> {
                        followUps.remove(f);
                        messages.add(f);
                    });
                    return true;
                });
                for (Message m : messages) {
                    if (!m.done() && !pending.contains(m)) {
                        pending.add(m);
                    }
                }
            }
        }

        void setChunkSize(int size) {
            byte[] payload = ByteBuffer.allocate(4).putInt(size).array();
            sendControl(MessageType.SET_CHUNK_SIZE, payload);
            chunkSize = size;
        }

        void abort(Message m) {
            if (m.sent <= 0) {
                return; // nothing of it is buffered yet; Abort would be a no-op
            }
            sendControl(MessageType.ABORT, ByteBuffer.allocate(4).putInt(m.csid).array());
            m.aborted = true;
            previous.get(m.csid).usable = false; // start the next message there with a full header
        }

        /** A whole protocol control message on chunk stream 2 (5.4), type 0 header, chunked as needed. */
        void sendControl(int type, byte[] payload) {
            for (int sent = 0; sent < payload.length; ) {
                int n = Math.min(chunkSize, payload.length - sent);
                if (sent == 0) {
                    basicHeader(0, CONTROL_CSID);
                    medium(0);
                    medium(payload.length);
                    out.write(type);
                    out.writeBytes(new byte[4]);
                } else {
                    basicHeader(3, CONTROL_CSID);
                }
                out.write(payload, sent, n);
                sent += n;
            }
        }

        void sendChunk(Message m) {
            if (m.sent < 0) {
                header(m);
                m.sent = 0;
            } else {
                basicHeader(3, m.csid);
                if (m.extended) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(m.extendedValue).array());
                }
            }
            int n = Math.min(chunkSize, m.payload.length - m.sent);
            out.write(m.payload, m.sent, n);
            m.sent += n;
            if (m.sent == m.payload.length) {
                expected.add(describe(m.type, m.streamId, m.timestamp, m.payload));
            }
        }

        /** The first chunk's header: the smallest type the previous header allows, if the fuzzer wants. */
        void header(Message m) {
            Previous p = previous.computeIfAbsent(m.csid, c -> new Previous());
            int delta = m.timestamp - p.timestamp;
            int fmt = 0;
            if (p.usable && p.streamId == m.streamId && data.consumeBoolean()) {
                fmt = 1;
                if (p.type == m.type && p.length == m.payload.length) {
                    fmt = 2;
                    if (p.delta == delta) {
                        fmt = 3;
                    }
                }
            }
            basicHeader(fmt, m.csid);
            int field = fmt == 0 ? m.timestamp : delta;
            if (fmt == 3) {
                m.extended = p.extended;
                m.extendedValue = p.extendedValue;
                if (m.extended) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(m.extendedValue).array());
                }
            } else {
                m.extended = Integer.compareUnsigned(field, EXTENDED) >= 0;
                m.extendedValue = m.extended ? field : 0;
                medium(m.extended ? EXTENDED : field);
                if (fmt <= 1) {
                    medium(m.payload.length);
                    out.write(m.type);
                }
                if (fmt == 0) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(Integer.reverseBytes(m.streamId)).array());
                }
                if (m.extended) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(field).array());
                }
                p.delta = fmt == 0 ? m.timestamp : delta;
            }
            p.type = m.type;
            p.streamId = m.streamId;
            p.length = m.payload.length;
            p.timestamp = m.timestamp;
            p.extended = m.extended;
            p.extendedValue = m.extendedValue;
            p.usable = true;
        }

        void basicHeader(int fmt, int csid) {
            if (csid < 64) {
                out.write(fmt << 6 | csid);
            } else if (csid < 320 && data.consumeBoolean()) {
                out.write(fmt << 6);
                out.write(csid - 64);
            } else {
                out.write(fmt << 6 | 1);
                out.write((csid - 64) & 0xFF);
                out.write((csid - 64) >> 8);
            }
        }

        void medium(int v) {
            out.write(v >> 16 & 0xFF);
            out.write(v >> 8 & 0xFF);
            out.write(v & 0xFF);
        }
    }
}
