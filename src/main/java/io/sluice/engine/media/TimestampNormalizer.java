package io.sluice.engine.media;

/**
 * Maps a publisher's timestamps onto one continuous, per-track monotonic timeline for players. The
 * offset between the two changes only on a discontinuity: a track going backwards, or jumping forward
 * by more than {@link #MAX_FORWARD_JUMP_MS} (a publisher restarting its clock, or a new publisher after
 * a reconnect). Small differences between audio and video are kept, so A/V sync is untouched.
 */
public final class TimestampNormalizer {

    static final int MAX_FORWARD_JUMP_MS = 10_000;
    /** Spacing put between the last timestamp before a discontinuity and the first after it. */
    static final int DISCONTINUITY_STEP_MS = 10;

    private final int[] lastIn = new int[MediaPacket.Kind.values().length];
    private final int[] lastOut = new int[MediaPacket.Kind.values().length];
    /** The track has had a packet since the current publisher started (its deltas are meaningful). */
    private final boolean[] seen = new boolean[MediaPacket.Kind.values().length];
    /** The track has had a packet at all (players hold its last timestamp). */
    private final boolean[] everSeen = new boolean[MediaPacket.Kind.values().length];
    private boolean started;
    private boolean anyOut;
    private int offset;
    private int maxOut;

    public int normalize(MediaPacket.Kind kind, int in) {
        int k = kind.ordinal();
        if (!started) {
            offset = anyOut ? maxOut + DISCONTINUITY_STEP_MS - in : -in;
            started = true;
        } else if (seen[k]) {
            int delta = in - lastIn[k];
            if (delta < 0 || delta > MAX_FORWARD_JUMP_MS) {
                int candidate = in + offset;
                boolean fitsCurrentOffset = candidate - lastOut[k] >= 0 && candidate - maxOut <= MAX_FORWARD_JUMP_MS;
                if (!fitsCurrentOffset) {
                    offset = maxOut + DISCONTINUITY_STEP_MS - in;
                }
            }
        }
        int out = in + offset;
        if (everSeen[k] && out - lastOut[k] < 0) {
            out = lastOut[k];
        }
        seen[k] = true;
        everSeen[k] = true;
        lastIn[k] = in;
        lastOut[k] = out;
        if (!anyOut || out - maxOut > 0) {
            maxOut = out;
        }
        anyOut = true;
        return out;
    }

    /**
     * A new publisher (or a reconnect) starts its own clock: its first packet continues the timeline
     * right after the last one sent.
     */
    public void restart() {
        started = false;
        java.util.Arrays.fill(seen, false);
    }

    /** The latest timestamp handed out, or 0 before any. */
    public int lastTimestamp() {
        return anyOut ? maxOut : 0;
    }
}
