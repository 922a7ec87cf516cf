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
 * the shared payload. Only the headers are per connection. Bytes that are already chunks (the
 * {@link SharedChunks} of media, made once for all players) pass through untouched.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {

    private int chunkSize = 128;
    private final OutState[] states = new OutState[ChunkStreamIds.VIDEO + 1];

    private static final class OutState {
        boolean started;
        int streamId;
        int typeId;
        int length;
        int timestamp;

        /** The header type the next message needs, given what this chunk stream sent last. */
        int fmtFor(int messageStreamId, int messageTypeId, int messageLength, int messageTimestamp) {
            if (!started || streamId != messageStreamId || messageTimestamp - timestamp < 0) {
                return 0;
            }
            return (length != messageLength || typeId != messageTypeId) ? 1 : 2;
        }

        void sent(int messageStreamId, int messageTypeId, int messageLength, int messageTimestamp) {
            started = true;
            streamId = messageStreamId;
            typeId = messageTypeId;
            length = messageLength;
            timestamp = messageTimestamp;
        }
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

    private OutState state(int csid) {
        OutState state = states[csid];
        if (state == null) {
            state = states[csid] = new OutState();
        }
        return state;
    }

    private void writeChunks(ByteBufAllocator alloc, int csid, RtmpMessage message, ByteBuf payload,
                             List<Object> out) {
        OutState state = state(csid);
        int length = payload.readableBytes();
        int timestamp = message.timestamp();
        int fmt = state.fmtFor(message.streamId(), message.typeId(), length, timestamp);
        int timestampField = fmt == 0 ? timestamp : timestamp - state.timestamp;
        state.sent(message.streamId(), message.typeId(), length, timestamp);

        boolean extended = ChunkHeaders.isExtended(timestampField);
        ByteBuf header = alloc.buffer(ChunkHeaders.MAX_HEADER);
        ChunkHeaders.writeHeader(header, fmt, csid, timestampField, length, message.typeId(), message.streamId());
        int first = Math.min(chunkSize, length);
        out.add(header);
        if (first > 0) {
            out.add(payload.retainedSlice(payload.readerIndex(), first));
        }
        for (int offset = first; offset < length; offset += chunkSize) {
            ByteBuf continuation = alloc.buffer(extended ? 7 : 3);
            ChunkHeaders.writeType3(continuation, csid, extended, timestampField);
            out.add(continuation);
            out.add(payload.retainedSlice(payload.readerIndex() + offset, Math.min(chunkSize, length - offset)));
        }
    }

    public int chunkSize() {
        return chunkSize;
    }
}
