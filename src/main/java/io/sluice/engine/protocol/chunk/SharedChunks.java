package io.sluice.engine.protocol.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.sluice.engine.protocol.message.MessageType;

/**
 * A media message chunked once, for every player whose connection has the same chunk size and
 * message stream id: a type 0 first chunk (RTMP 1.0 section 5.3.1.2.1), which depends on no earlier
 * header, then type 3 continuations, on chunk streams of their own that the per-connection
 * {@link ChunkEncoder} never uses. Players write the same bytes (plain buffers that pass the encoder
 * untouched: {@link #bytes()}, or the content gathered with others into one write) instead of
 * chunking the message again; the 4 to 7 bytes a type 0 header costs over a compressed one buy bytes
 * that depend on nothing a player was sent before.
 */
public final class SharedChunks extends DefaultByteBufHolder {

    private SharedChunks(ByteBuf chunks) {
        super(chunks);
    }

    /** Chunks {@code payload} (not consumed, not released) into one new buffer. */
    public static SharedChunks encode(int typeId, int streamId, int timestamp, ByteBuf payload, int chunkSize,
                                      ByteBufAllocator alloc) {
        if (typeId != MessageType.AUDIO && typeId != MessageType.VIDEO && typeId != MessageType.DATA_AMF0) {
            throw new IllegalArgumentException("not an audio, video or data type: " + typeId);
        }
        int length = payload.readableBytes();
        int csid = ChunkStreamIds.sharedFor(typeId);
        ChunkHeaders.Layout layout = ChunkHeaders.layout(csid, timestamp, length, chunkSize);
        ByteBuf chunks = alloc.directBuffer(layout.encodedSize(length));
        ChunkHeaders.writeType0(chunks, csid, timestamp, length, typeId, streamId);
        int first = Math.min(chunkSize, length);
        chunks.writeBytes(payload, payload.readerIndex(), first);
        for (int offset = first; offset < length; offset += chunkSize) {
            ChunkHeaders.writeType3(chunks, csid, layout.extendedTimestamp(), timestamp);
            chunks.writeBytes(payload, payload.readerIndex() + offset, Math.min(chunkSize, length - offset));
        }
        return new SharedChunks(chunks);
    }

    /** The chunks for one more player: a retained duplicate, written as it is. */
    public ByteBuf bytes() {
        return content().retainedDuplicate();
    }

    @Override
    public SharedChunks replace(ByteBuf content) {
        return new SharedChunks(content);
    }

    @Override
    public SharedChunks retain() {
        super.retain();
        return this;
    }

    @Override
    public SharedChunks touch(Object hint) {
        super.touch(hint);
        return this;
    }
}
