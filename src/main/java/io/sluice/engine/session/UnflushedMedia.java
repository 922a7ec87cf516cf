package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The media a player was given since its last flush (shared chunks, each retained once), written as
 * one buffer: one pass through the pipeline, one outbound-buffer entry and, in the common case, one
 * iovec per flush instead of one of each per message. With a merge window that is one write per
 * window, as SRS's merged writes do; without one, a publisher's burst.
 *
 * <p>Players of a loop that were given the same run of chunks write the same window buffer, copied
 * together once by {@link ChunkCache}. A run that is not the loop's (a player that skipped a packet,
 * or a joiner's cached GOP) goes out as a composite of the shared chunks instead: still one write,
 * and no copy made for one player. Confined to the channel's event loop.
 */
final class UnflushedMedia {
    /**
     * Runs longer than this are not copied into a shared window: a joiner's GOP would be copied for
     * that one player. A merge window of 50 ms holds about 4 messages of a 30 fps stream with audio.
     */
    private static final int MAX_SHARED_RUN = 32;
    /** Components per composite; well under the iovecs one writev takes (Linux IOV_MAX, 1024), which
     * a transport would otherwise copy the buffer to stay within. */
    private static final int MAX_COMPONENTS = 256;

    private final List<ByteBuf> parts = new ArrayList<>();
    private long firstSequence;
    private long lastSequence;
    private boolean consecutive;
    private long bytes;

    /** Keeps {@code chunks}, numbered {@code sequence} by {@link ChunkCache}, for the next write (retains them). */
    void add(ByteBuf chunks, long sequence) {
        if (parts.isEmpty()) {
            firstSequence = sequence;
            consecutive = true;
        } else {
            consecutive &= sequence == lastSequence + 1;
        }
        lastSequence = sequence;
        parts.add(chunks.retain());
        bytes += chunks.readableBytes();
    }

    long bytes() {
        return bytes;
    }

    /** Writes (does not flush) what was added since the last write; false if there was nothing. */
    boolean writeTo(TrafficCounter wire, ByteBufAllocator alloc, ChunkCache cache) {
        int n = parts.size();
        if (n == 0) {
            return false;
        }
        if (n == 1) {
            // a pooled duplicate (recycled), where duplicate() would allocate one per player-message
            wire.writeChunks(parts.get(0).retainedDuplicate());
            parts.get(0).release();
        } else if (consecutive && n <= MAX_SHARED_RUN) {
            wire.writeChunks(cache.windowOf(firstSequence, parts, alloc));
            parts.forEach(ByteBuf::release);
        } else {
            for (int from = 0; from < n; from += MAX_COMPONENTS) {
                int to = Math.min(n, from + MAX_COMPONENTS);
                CompositeByteBuf composite = alloc.compositeDirectBuffer(to - from);
                for (int i = from; i < to; i++) {
                    composite.addComponent(true, parts.get(i)); // the composite takes over our retain
                }
                wire.writeChunks(composite);
            }
        }
        parts.clear();
        bytes = 0;
        return true;
    }

    /** Releases what was never written (the player left before its flush). */
    void discard() {
        parts.forEach(ByteBuf::release);
        parts.clear();
        bytes = 0;
    }
}
