package io.sluice.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.protocol.amf.AmfEcmaArray;

/** Minimal H.264/AAC FLV tag bodies: enough for the engine to classify them; not decodable. */
public final class SyntheticStream {
    public static final int VIDEO = 9;
    public static final int AUDIO = 8;

    private SyntheticStream() {
    }

    public static ByteBuf avcSequenceHeader() {
        return Unpooled.wrappedBuffer(new byte[]{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte) 0xff});
    }

    public static ByteBuf avcKeyframe(int n) {
        return Unpooled.wrappedBuffer(new byte[]{0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65, (byte) n});
    }

    public static ByteBuf avcInterFrame(int n) {
        return Unpooled.wrappedBuffer(new byte[]{0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41, (byte) n});
    }

    public static ByteBuf aacSequenceHeader() {
        return Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 0, 0x12, 0x10});
    }

    public static ByteBuf aacFrame(int n) {
        return Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 1, 0x21, (byte) n});
    }

    public static AmfEcmaArray metadata() {
        return AmfEcmaArray.builder().put("width", 640.0).put("height", 360.0).put("framerate", 30.0)
                .put("videocodecid", 7.0).put("audiocodecid", 10.0).put("encoder", "sluice-test").build();
    }

    /** Sends metadata and both sequence headers at time {@code ts}. */
    public static void sendHeaders(RtmpClient client, int streamId, int ts) {
        client.sendMetadata(streamId, metadata());
        client.send(VIDEO, streamId, ts, avcSequenceHeader());
        client.send(AUDIO, streamId, ts, aacSequenceHeader());
        client.flush();
    }

    /**
     * Sends {@code frames} video frames 33 ms apart starting at {@code ts}, a keyframe every
     * {@code gop}, each followed by an audio frame; returns the next timestamp.
     */
    public static int sendFrames(RtmpClient client, int streamId, int ts, int frames, int gop) {
        for (int i = 0; i < frames; i++) {
            client.send(VIDEO, streamId, ts, i % gop == 0 ? avcKeyframe(i) : avcInterFrame(i));
            client.send(AUDIO, streamId, ts, aacFrame(i));
            ts += 33;
        }
        client.flush();
        return ts;
    }
}
