package io.sluice.engine.stream;

import io.sluice.engine.media.MediaPacket;

/**
 * What a subscriber does with a packet when its connection may be behind: metadata and sequence
 * headers always go; while the connection cannot take more, media is dropped and the subscriber then
 * waits for the next keyframe (any audio frame when the stream has no video); once it has been unable
 * to take more for longer than the allowed lag it is to be disconnected. One instance per subscriber,
 * used on the stream's executor.
 */
public final class SlowSubscriberPolicy {

    public enum Verdict { SEND, DROP, DISCONNECT }

    private final long maxLagNanos;
    private volatile boolean needKeyframe;
    private boolean sawVideo;
    private long unwritableSince;
    private volatile long dropped;

    public SlowSubscriberPolicy(long maxLagMillis) {
        this.maxLagNanos = maxLagMillis * 1_000_000;
    }

    /** Decides for one packet; {@code writable} is whether the connection can take more now. */
    public Verdict decide(MediaPacket packet, boolean writable, long nowNanos) {
        if (packet.kind() == MediaPacket.Kind.DATA || packet.sequenceHeader()) {
            return Verdict.SEND; // small, and without them nothing after decodes
        }
        if (packet.isVideo()) {
            sawVideo = true;
        }
        if (!writable) {
            if (unwritableSince == 0) {
                unwritableSince = nowNanos;
            }
            needKeyframe = true;
            dropped++;
            return nowNanos - unwritableSince > maxLagNanos ? Verdict.DISCONNECT : Verdict.DROP;
        }
        unwritableSince = 0;
        if (needKeyframe) {
            boolean canResume = packet.isVideo() ? packet.keyframe() : !sawVideo;
            if (!canResume) {
                dropped++;
                return Verdict.DROP;
            }
            needKeyframe = false;
        }
        return Verdict.SEND;
    }

    /** Resume only on a frame a decoder can start from (after a pause, or re-enabling video). */
    public void requireKeyframe() {
        needKeyframe = true;
    }

    /** Whether the subscriber is currently behind (dropping). */
    public boolean lagging() {
        return unwritableSince != 0;
    }

    public long dropped() {
        return dropped;
    }
}
