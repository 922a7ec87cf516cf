package io.sluice.engine.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.chunk.SharedChunks;

/**
 * The chunks of the packet written last on this thread. A stream hands each packet to the players
 * of one event loop one after the other, so the first player of a loop chunks it and the others
 * write the same bytes: one encoding per packet per loop, not per player. Per thread, so that loops
 * never share it; what a thread keeps is released when the thread ends.
 */
final class ChunkCache {
    private static final FastThreadLocal<ChunkCache> CACHE = new FastThreadLocal<>() {
        @Override
        protected ChunkCache initialValue() {
            return new ChunkCache();
        }

        @Override
        protected void onRemoval(ChunkCache cache) {
            cache.clear();
        }
    };

    /** Compared by identity only: the cache never uses the packet's buffer after the encoding. */
    private MediaPacket packet;
    private int chunkSize;
    private int messageStreamId;
    private SharedChunks chunks;

    private ChunkCache() {
    }

    /** The packet's chunks for this chunk size and message stream; the caller retains what it writes. */
    static SharedChunks chunksOf(MediaPacket packet, int chunkSize, int messageStreamId, ByteBufAllocator alloc) {
        ChunkCache cache = CACHE.get();
        if (cache.packet != packet || cache.chunkSize != chunkSize || cache.messageStreamId != messageStreamId) {
            cache.clear();
            cache.chunks = SharedChunks.encode(packet.kind().tagType(), messageStreamId, packet.timestamp(),
                    packet.content(), chunkSize, alloc);
            cache.packet = packet;
            cache.chunkSize = chunkSize;
            cache.messageStreamId = messageStreamId;
        }
        return cache.chunks;
    }

    private void clear() {
        if (chunks != null) {
            chunks.release();
            chunks = null;
            packet = null;
        }
    }
}
