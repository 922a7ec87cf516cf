package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.stream.SlowSubscriberPolicy;
import io.sluice.engine.stream.Subscriber;

/**
 * A live stream as an FLV byte stream (HTTP-FLV): the file header, then every packet as a tag whose
 * body is the shared payload itself (a composite of a small header, the retained payload and the
 * PreviousTagSize; nothing copied here). Timestamps start at 0 for each viewer. A viewer that falls
 * behind drops to the next keyframe and is closed past the allowed lag, like an RTMP player.
 */
public final class FlvSubscriber implements Subscriber {

    /** Where the bytes go (an HTTP response). Methods are called on the stream's executor. */
    public interface Sink {
        /** Takes ownership of {@code chunk}. */
        void write(ByteBuf chunk);

        /** Whether the sink can take more without exceeding its buffer. */
        boolean writable();

        /** End of a burst. */
        void flush();

        /** The stream ended, or the viewer is too slow: finish the response. */
        void close(String reason);
    }

    private static final long NO_BASE = Long.MIN_VALUE;

    private final long id;
    private final Sink sink;
    private final ByteBufAllocator alloc;
    private final SlowSubscriberPolicy policy;
    private boolean headerSent;
    private long baseTimestamp = NO_BASE;
    private boolean dirty;

    public FlvSubscriber(long id, Sink sink, ByteBufAllocator alloc, long maxLagMillis) {
        this.id = id;
        this.sink = sink;
        this.alloc = alloc;
        this.policy = new SlowSubscriberPolicy(maxLagMillis);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public void deliver(MediaPacket packet) {
        switch (policy.decide(packet, sink.writable(), System.nanoTime())) {
            case SEND -> write(packet);
            case DROP -> {
            }
            case DISCONNECT -> sink.close("viewer lagged too far behind");
        }
    }

    private void write(MediaPacket packet) {
        if (!headerSent) {
            ByteBuf header = alloc.buffer(FlvTags.HEADER_SIZE + FlvTags.PREVIOUS_TAG_SIZE_SIZE);
            FlvTags.writeFileHeader(header, true, true);
            sink.write(header);
            headerSent = true;
        }
        int timestamp = 0;
        if (packet.kind() != MediaPacket.Kind.DATA) {
            if (baseTimestamp == NO_BASE) {
                baseTimestamp = packet.timestamp();
            }
            timestamp = (int) Math.max(0, packet.timestamp() - baseTimestamp);
        }
        int size = packet.size();
        ByteBuf tagHeader = alloc.buffer(FlvTags.TAG_HEADER_SIZE);
        FlvTags.writeTagHeader(tagHeader, packet.kind().tagType(), size, timestamp);
        ByteBuf trailer = alloc.buffer(FlvTags.PREVIOUS_TAG_SIZE_SIZE).writeInt(FlvTags.TAG_HEADER_SIZE + size);
        CompositeByteBuf tag = alloc.compositeBuffer(3);
        tag.addComponents(true, tagHeader, packet.content().retainedDuplicate(), trailer);
        sink.write(tag);
        dirty = true;
    }

    @Override
    public void flush() {
        if (dirty) {
            dirty = false;
            sink.flush();
        }
    }

    @Override
    public void onStreamEnd(boolean neverPublished) {
        sink.close(neverPublished ? "no publisher arrived" : "stream ended");
    }

    public long droppedPackets() {
        return policy.dropped();
    }
}
