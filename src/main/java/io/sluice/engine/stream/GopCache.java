package io.sluice.engine.stream;

import io.sluice.engine.media.MediaPacket;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The packets since the last video keyframe, so a late joiner decodes at once. Bounded in bytes and
 * frames: a GOP that outgrows the bounds is dropped and caching waits for the next keyframe. An
 * audio-only stream keeps a rolling window of its latest audio within the same bounds.
 */
final class GopCache {
    private final long maxBytes;
    private final int maxPackets;
    private final ArrayDeque<MediaPacket> packets = new ArrayDeque<>();
    private long bytes;
    private boolean sawVideo;
    private boolean overflowed;

    GopCache(long maxBytes, int maxPackets) {
        this.maxBytes = maxBytes;
        this.maxPackets = maxPackets;
    }

    void add(MediaPacket packet) {
        if (packet.sequenceHeader() || packet.kind() == MediaPacket.Kind.DATA || maxPackets == 0) {
            return;
        }
        if (packet.isVideo()) {
            if (!sawVideo) {
                sawVideo = true;
                clear(); // audio kept while the stream looked audio-only is no use now
            }
            if (packet.keyframe()) {
                clear();
                overflowed = false;
            }
        }
        if (!sawVideo) {
            append(packet);
            while (packets.size() > maxPackets || bytes > maxBytes) {
                MediaPacket oldest = packets.pollFirst();
                bytes -= oldest.size();
                oldest.release();
            }
            return;
        }
        if (overflowed || packets.isEmpty() && !packet.keyframe()) {
            return;
        }
        append(packet);
        if (packets.size() > maxPackets || bytes > maxBytes) {
            clear();
            overflowed = true;
        }
    }

    private void append(MediaPacket packet) {
        packets.addLast(packet.retain());
        bytes += packet.size();
    }

    void forEach(Consumer<MediaPacket> action) {
        packets.forEach(action);
    }

    int firstTimestamp(int fallback) {
        MediaPacket first = packets.peekFirst();
        return first == null ? fallback : first.timestamp();
    }

    int size() {
        return packets.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        MediaPacket p;
        while ((p = packets.pollFirst()) != null) {
            p.release();
        }
        bytes = 0;
    }

    /** Forget everything, including whether the stream had video (a new publisher may differ). */
    void reset() {
        clear();
        sawVideo = false;
        overflowed = false;
    }
}
