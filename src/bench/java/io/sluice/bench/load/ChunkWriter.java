package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfValue;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes whole messages as chunks (RTMP 1.0 section 5.3.1): a type 0 header, then type 3 headers
 * between chunks. Used once per message by the bare fan-out and for the players' few commands.
 */
final class ChunkWriter {

    static final int CONTROL_CSID = 2;
    static final int COMMAND_CSID = 3;

    private ChunkWriter() {
    }

    /** Bytes needed for {@code length} payload bytes with the given chunk size. */
    static int encodedLength(int length, int chunkSize, int timestamp) {
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        int ext = timestamp >= 0xffffff ? 4 : 0;
        return 12 + ext + (chunks - 1) * (1 + ext) + length;
    }

    /**
     * Writes the headers of a message whose payload is {@code body[from..to)} into {@code out}
     * interleaved with the payload.
     */
    static void write(ByteBuffer out, int csid, int type, int streamId, int timestamp, ByteBuffer body,
                      int chunkSize) {
        if (csid < 2 || csid > 63) {
            throw new IllegalArgumentException("csid " + csid);
        }
        boolean ext = timestamp >= 0xffffff;
        int length = body.remaining();
        out.put((byte) csid);
        put24(out, ext ? 0xffffff : timestamp);
        put24(out, length);
        out.put((byte) type);
        out.put((byte) streamId).put((byte) (streamId >>> 8)).put((byte) (streamId >>> 16))
                .put((byte) (streamId >>> 24));
        if (ext) {
            out.putInt(timestamp);
        }
        int left = length;
        while (true) {
            int n = Math.min(left, chunkSize);
            ByteBuffer slice = body.duplicate();
            slice.limit(slice.position() + n);
            out.put(slice);
            body.position(body.position() + n);
            left -= n;
            if (left == 0) {
                return;
            }
            out.put((byte) (0xc0 | csid));
            if (ext) {
                out.putInt(timestamp);
            }
        }
    }

    /** One message as a new array. */
    static byte[] message(int csid, int type, int streamId, int timestamp, byte[] payload, int chunkSize) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(payload.length, chunkSize, timestamp));
        write(out, csid, type, streamId, timestamp, ByteBuffer.wrap(payload), chunkSize);
        return out.array();
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** An AMF0 command (type 20) on the command chunk stream. */
    static byte[] command(int streamId, int chunkSize, List<AmfValue> values) {
        return message(COMMAND_CSID, 20, streamId, 0, amf(values), chunkSize);
    }

    static byte[] amf(List<AmfValue> values) {
        ByteBuf buf = Unpooled.buffer(256);
        try {
            Amf0.encodeAll(buf, values);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private static void put24(ByteBuffer out, int v) {
        out.put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    }
}
