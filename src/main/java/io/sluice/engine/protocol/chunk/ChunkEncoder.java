package io.sluice.engine.protocol.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.sluice.engine.protocol.message.MessageCodec;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import java.util.List;

/**
 * Splits outgoing messages into chunks (RTMP 1.0 section 5.3) with header compression: type 0 for
 * the first message on a chunk stream or when the stream id changes or time goes backwards, type 1
 * when the length or type changes, type 2 otherwise, type 3 for continuation chunks.
 *
 * <p>Payloads are never copied: each chunk is a small header buffer followed by a retained slice of
 * the shared payload. Only the headers are per connection.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {

    private static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    private static final int MAX_HEADER = 3 + 11 + 4;

    private int chunkSize = 128;
    private final OutState[] states = new OutState[ChunkStreamIds.VIDEO + 1];

    private static final class OutState {
        boolean started;
        int streamId;
        int typeId;
        int length;
        int timestamp;
    }

    public ChunkEncoder() {
        super(RtmpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage message, List<Object> out) {
        ByteBuf payload = MessageCodec.encodePayload(message, ctx.alloc());
        try {
            writeChunks(ctx.alloc(), ChunkStreamIds.forType(message.typeId()), message, payload, out);
        } finally {
            payload.release();
        }
        if (message instanceof SetChunkSize m) {
            // the Set Chunk Size message itself still goes out in the old size
            chunkSize = m.size();
        }
    }

    private void writeChunks(ByteBufAllocator alloc, int csid, RtmpMessage message, ByteBuf payload,
                             List<Object> out) {
        OutState state = states[csid];
        if (state == null) {
            state = states[csid] = new OutState();
        }
        int length = payload.readableBytes();
        int timestamp = message.timestamp();
        int fmt;
        int timestampField;
        if (!state.started || state.streamId != message.streamId() || timestamp - state.timestamp < 0) {
            fmt = 0;
            timestampField = timestamp;
        } else {
            fmt = (state.length != length || state.typeId != message.typeId()) ? 1 : 2;
            timestampField = timestamp - state.timestamp;
        }
        state.started = true;
        state.streamId = message.streamId();
        state.typeId = message.typeId();
        state.length = length;
        state.timestamp = timestamp;

        boolean extended = Integer.compareUnsigned(timestampField, EXTENDED_TIMESTAMP_MARKER) >= 0;
        ByteBuf header = alloc.buffer(MAX_HEADER);
        writeBasicHeader(header, fmt, csid);
        header.writeMedium(extended ? EXTENDED_TIMESTAMP_MARKER : timestampField);
        if (fmt <= 1) {
            header.writeMedium(length);
            header.writeByte(message.typeId());
        }
        if (fmt == 0) {
            header.writeIntLE(message.streamId());
        }
        if (extended) {
            header.writeInt(timestampField);
        }
        int first = Math.min(chunkSize, length);
        out.add(header);
        if (first > 0) {
            out.add(payload.retainedSlice(payload.readerIndex(), first));
        }
        for (int offset = first; offset < length; offset += chunkSize) {
            ByteBuf continuation = alloc.buffer(extended ? 7 : 3);
            writeBasicHeader(continuation, 3, csid);
            if (extended) {
                // 5.3.1.3: type 3 chunks repeat the extended timestamp (Flash, librtmp and ffmpeg expect it)
                continuation.writeInt(timestampField);
            }
            out.add(continuation);
            out.add(payload.retainedSlice(payload.readerIndex() + offset, Math.min(chunkSize, length - offset)));
        }
    }

    /** 5.3.1.1: csid 2-63 in one byte, 64-319 in two, 64-65599 in three. */
    static void writeBasicHeader(ByteBuf buf, int fmt, int csid) {
        if (csid < 64) {
            buf.writeByte((fmt << 6) | csid);
        } else if (csid < 320) {
            buf.writeByte(fmt << 6).writeByte(csid - 64);
        } else {
            buf.writeByte((fmt << 6) | 1).writeByte((csid - 64) & 0xFF).writeByte((csid - 64) >> 8);
        }
    }

    public int chunkSize() {
        return chunkSize;
    }
}
