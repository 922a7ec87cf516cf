package io.sluice.bench.load;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The synthetic stream every load role agrees on: frame sizes for a bitrate and GOP, FLV tag bodies
 * that the servers classify (video: AVC tag header, FLV 10.1 E.4.3.1; audio: AAC, E.4.2.1), and the
 * clock marker each video body carries right after its 5-byte AVC header so players measure delivery
 * latency. The bodies need not decode: servers under test do not decode, they read the tag header.
 *
 * @param videoBitsPerSecond video bitrate (payload bytes, as servers count them)
 * @param fps                video frames per second
 * @param gopSeconds         a keyframe every this many seconds
 * @param audioBitsPerSecond audio bitrate; AAC frames of 1024 samples at 44.1 kHz (~43/s)
 * @param keyframeWeight     a keyframe is this many times an inter frame (GOP-shaped sizes)
 */
public record StreamShape(long videoBitsPerSecond, int fps, double gopSeconds, long audioBitsPerSecond,
                          int keyframeWeight) {

    public static final StreamShape DEFAULT = new StreamShape(2_500_000, 30, 2.0, 128_000, 10);

    static final int VIDEO = 9;
    static final int AUDIO = 8;
    static final int DATA = 18;
    /** 0x17/0x27, AVCPacketType 1 (NALU), composition time 0 (3 bytes). */
    static final int AVC_HEADER = 5;
    static final int MARKER_MAGIC = 0x534c4b31; // "SLK1"
    /** magic (4), send wall clock in µs (8), sequence number (4). */
    static final int MARKER = 16;
    static final int MARKED_PREFIX = AVC_HEADER + MARKER;
    static final double AUDIO_FRAMES_PER_SECOND = 44_100.0 / 1024;

    public int gopFrames() {
        return Math.max(1, (int) Math.round(gopSeconds * fps));
    }

    /** Bytes of video frame {@code n}: a GOP's bytes are the bitrate's, split keyframe-heavy. */
    public int videoFrameSize(long n) {
        int gop = gopFrames();
        double gopBytes = videoBitsPerSecond / 8.0 * gop / fps;
        double unit = gopBytes / (keyframeWeight + gop - 1);
        int size = (int) Math.round(n % gop == 0 ? unit * keyframeWeight : unit);
        return Math.max(MARKED_PREFIX, size);
    }

    public int audioFrameSize() {
        return Math.max(4, (int) Math.round(audioBitsPerSecond / 8.0 / AUDIO_FRAMES_PER_SECOND));
    }

    public boolean isKeyframe(long n) {
        return n % gopFrames() == 0;
    }

    /** Milliseconds of video frame {@code n} from the stream's start. */
    public int videoTimestamp(long n) {
        return (int) (n * 1000 / fps);
    }

    public int audioTimestamp(long n) {
        return (int) Math.round(n * 1000 / AUDIO_FRAMES_PER_SECOND);
    }

    /** Nanoseconds after the start at which video frame {@code n} is due. */
    public long videoDueNanos(long n) {
        return n * 1_000_000_000L / fps;
    }

    public long audioDueNanos(long n) {
        return (long) (n * 1e9 / AUDIO_FRAMES_PER_SECOND);
    }

    /** Payload bytes per second of the whole stream (video + audio), what a player should receive. */
    public double bytesPerSecond() {
        return videoBitsPerSecond / 8.0 + audioFrameSize() * AUDIO_FRAMES_PER_SECOND;
    }

    /** Writes video frame {@code n}'s body, stamped with the wall clock now, into {@code out}. */
    public void writeVideo(ByteBuffer out, long n) {
        writeVideo(out, n, nowMicros());
    }

    /** Writes video frame {@code n}'s body, stamped with {@code sentMicros} (wall clock), into {@code out}. */
    public void writeVideo(ByteBuffer out, long n, long sentMicros) {
        int size = videoFrameSize(n);
        out.put((byte) (isKeyframe(n) ? 0x17 : 0x27)).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0);
        out.putInt(MARKER_MAGIC).putLong(sentMicros).putInt((int) n);
        out.position(out.position() + size - MARKED_PREFIX); // the rest stays zero: nobody decodes it
    }

    public void writeAudio(ByteBuffer out) {
        out.put((byte) 0xaf).put((byte) 1);
        out.position(out.position() + audioFrameSize() - 2);
    }

    /** AVC sequence header (AVCDecoderConfigurationRecord, minimal) and AAC AudioSpecificConfig. */
    static byte[] avcSequenceHeader() {
        return new byte[]{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte) 0xff, (byte) 0xe1, 0, 0};
    }

    static byte[] aacSequenceHeader() {
        return new byte[]{(byte) 0xaf, 0, 0x12, 0x10};
    }

    /** The send time in a video body's marker, or -1 when the body carries none. */
    static long markedMicros(byte[] body, int length) {
        if (length < MARKED_PREFIX) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(body, AVC_HEADER, MARKER);
        return b.getInt() == MARKER_MAGIC ? b.getLong() : -1;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
