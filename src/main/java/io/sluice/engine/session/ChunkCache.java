package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.chunk.SharedChunks;
import java.util.List;

/**
 * What the players of one event loop share, so that the work is done once per loop instead of once
 * per player. A stream hands each packet to the players of a loop one after the other, and flushes
 * them one after the other, so:
 * <ul>
 *   <li>the chunks of the packet written last: the first player of a loop chunks it, the others
 *       write the same bytes;
 *   <li>the window written last: players that were given the same run of chunks since their last
 *       flush write one buffer holding all of it, copied together once (see {@link UnflushedMedia}).
 * </ul>
 * Per thread, so that loops never share it; what a thread keeps is released when the thread ends.
 */
final class ChunkCache {
    private static final FastThreadLocal<ChunkCache> CACHE = new FastThreadLocal<>() {
        @Override
        protected ChunkCache initialValue() {
            return new ChunkCache();
        }

        @Override
        protected void onRemoval(ChunkCache cache) {
            cache.clearChunks();
            cache.clearWindow();
        }
    };

    /** Numbers the chunks made on this thread: a run of consecutive numbers is a run of the same bytes. */
    private long sequence;

    /** Compared by identity only: the cache never uses the packet's buffer after the encoding. */
    private MediaPacket packet;
    private int chunkSize;
    private int messageStreamId;
    private SharedChunks chunks;

    private long windowFirst = -1;
    private int windowLength;
    private ByteBuf window;

    private ChunkCache() {
    }

    /** This thread's cache. */
    static ChunkCache current() {
        return CACHE.get();
    }

    /** The packet's chunks for this chunk size and message stream; the caller retains what it keeps. */
    SharedChunks chunksOf(MediaPacket packet, int chunkSize, int messageStreamId, ByteBufAllocator alloc) {
        if (this.packet != packet || this.chunkSize != chunkSize || this.messageStreamId != messageStreamId) {
            clearChunks();
            chunks = SharedChunks.encode(packet.kind().tagType(), messageStreamId, packet.timestamp(),
                    packet.content(), chunkSize, alloc);
            sequence++;
            this.packet = packet;
            this.chunkSize = chunkSize;
            this.messageStreamId = messageStreamId;
        }
        return chunks;
    }

    /** The number of the chunks {@link #chunksOf} returned last. */
    long sequence() {
        return sequence;
    }

    /**
     * The chunks numbered {@code first} to {@code first + parts.size() - 1}, which are {@code parts},
     * as one buffer (retained for the caller): the one made for the previous player that asked for
     * the same run, or a new one.
     */
    ByteBuf windowOf(long first, List<ByteBuf> parts, ByteBufAllocator alloc) {
        if (window == null || windowFirst != first || windowLength != parts.size()) {
            clearWindow();
            int bytes = 0;
            for (int i = 0; i < parts.size(); i++) {
                bytes += parts.get(i).readableBytes();
            }
            window = alloc.directBuffer(bytes, bytes);
            for (int i = 0; i < parts.size(); i++) {
                ByteBuf part = parts.get(i);
                window.writeBytes(part, part.readerIndex(), part.readableBytes());
            }
            windowFirst = first;
            windowLength = parts.size();
        }
        return window.retainedDuplicate();
    }

    private void clearChunks() {
        if (chunks != null) {
            chunks.release();
            chunks = null;
            packet = null;
        }
    }

    private void clearWindow() {
        if (window != null) {
            window.release();
            window = null;
            windowFirst = -1;
        }
    }
}
