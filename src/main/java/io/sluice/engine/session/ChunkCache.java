package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.chunk.SharedChunks;
import io.sluice.engine.stream.LiveStream;
import java.util.List;

/**
 * What the players of one event loop share, so that the work is done once per loop instead of once
 * per player. A stream hands a burst of packets to the players of a loop one after the other, each
 * taking the whole burst and flushing it, so:
 * <ul>
 *   <li>the chunks of the packets of the burst: the first player of a loop chunks each, the others
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

    /**
     * The chunks of the packets asked for last, oldest first from {@link #oldest}, enough for a whole
     * burst ({@link LiveStream#MAX_BURST_PACKETS}): the players of a loop ask for the same packets in
     * the same order, one player after the other.
     */
    private final Entry[] entries = new Entry[LiveStream.MAX_BURST_PACKETS];
    /**
     * What the entries may hold together: a stream of messages near the 16 MiB the protocol allows
     * must not leave hundreds of MiB on a loop. A burst of big messages just gets chunked again.
     */
    private static final long MAX_BYTES = 16L << 20;
    private long cachedBytes;
    private int oldest;
    /** The entry returned last: the next player asks for the one after it, or for it again. */
    private int last;

    private long windowFirst = -1;
    private int windowLength;
    private ByteBuf window;

    private ChunkCache() {
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Entry();
        }
    }

    /** This thread's cache. */
    static ChunkCache current() {
        return CACHE.get();
    }

    /** The packet's chunks for this chunk size and message stream; the caller retains what it keeps. */
    SharedChunks chunksOf(MediaPacket packet, int chunkSize, int messageStreamId, ByteBufAllocator alloc) {
        int found = find(packet, chunkSize, messageStreamId);
        if (found < 0) {
            found = oldest;
            oldest = (oldest + 1) % entries.length;
            Entry e = entries[found];
            cachedBytes -= e.clear();
            e.chunks = SharedChunks.encode(packet.kind().tagType(), messageStreamId, packet.timestamp(),
                    packet.content(), chunkSize, alloc);
            cachedBytes += e.chunks.content().readableBytes();
            for (int i = oldest; cachedBytes > MAX_BYTES && i != found; i = (i + 1) % entries.length) {
                cachedBytes -= entries[i].clear();
            }
            e.sequence = ++sequence;
            e.packet = packet;
            e.chunkSize = chunkSize;
            e.messageStreamId = messageStreamId;
        }
        last = found;
        return entries[found].chunks;
    }

    /** Where the packet's entry is, or -1; looks where the order players ask in puts it first. */
    private int find(MediaPacket packet, int chunkSize, int messageStreamId) {
        int next = (last + 1) % entries.length;
        if (entries[next].holds(packet, chunkSize, messageStreamId)) {
            return next;
        }
        for (int k = 0; k < entries.length; k++) {
            int i = (last - k + entries.length) % entries.length; // the start of a burst is behind
            if (entries[i].holds(packet, chunkSize, messageStreamId)) {
                return i;
            }
        }
        return -1;
    }

    /** The number of the chunks {@link #chunksOf} returned last. */
    long sequence() {
        return entries[last].sequence;
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
        for (Entry e : entries) {
            e.clear();
        }
        cachedBytes = 0;
    }

    private void clearWindow() {
        if (window != null) {
            window.release();
            window = null;
            windowFirst = -1;
        }
    }

    private static final class Entry {
        /** Compared by identity only: the cache never uses the packet's buffer after the encoding. */
        MediaPacket packet;
        int chunkSize;
        int messageStreamId;
        SharedChunks chunks;
        long sequence;

        boolean holds(MediaPacket packet, int chunkSize, int messageStreamId) {
            return this.packet == packet && this.chunkSize == chunkSize && this.messageStreamId == messageStreamId;
        }

        /** Releases the chunks; returns how many bytes they were. */
        int clear() {
            if (chunks == null) {
                return 0;
            }
            int size = chunks.content().readableBytes();
            chunks.release();
            chunks = null;
            packet = null;
            return size;
        }
    }
}
