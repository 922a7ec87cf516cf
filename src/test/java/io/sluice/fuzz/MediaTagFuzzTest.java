package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.media.VideoResolution;
import io.sluice.engine.media.VideoTag;
import io.sluice.testing.TrackingAllocator;

/**
 * The video and audio tag header parsers (FLV 10.1 E.4.2.1/E.4.3.1 and Enhanced RTMP v1/v2: FourCC,
 * ModEx, multitrack) and the sequence header readers behind {@link VideoResolution} (avcC, hvcC, av1C)
 * on an arbitrary message body. What must hold: they never throw and never move the reader index; the
 * flags agree with each other (a keyframe is a coded frame, a sequence header is not).
 *
 * <p>Input: the body; the last byte says video (odd) or audio (even).
 */
class MediaTagFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void mediaTag(FuzzedDataProvider data) {
        boolean video = data.consumeBoolean();
        byte[] body = data.consumeRemainingAsBytes();
        TrackingAllocator alloc = new TrackingAllocator(body.length);
        ByteBuf payload = alloc.copyOf(body, 0, body.length);
        try {
            if (video) {
                checkVideo(payload);
            } else {
                AudioTag audio = AudioTag.parse(payload);
                assertThat(audio.sampleRate()).isGreaterThanOrEqualTo(0);
                assertThat(audio.channels()).isGreaterThanOrEqualTo(0);
            }
            assertThat(payload.readerIndex()).isZero();
        } finally {
            payload.release();
        }
        alloc.assertAllReleased();
    }

    static void checkVideo(ByteBuf payload) {
        VideoTag tag = VideoTag.parse(payload);
        if (tag.keyframe()) {
            assertThat(tag.codedFrame()).as("a keyframe is a coded frame").isTrue();
        }
        if (tag.sequenceHeader() || tag.sequenceEnd() || tag.metadata()) {
            assertThat(tag.codedFrame()).as("configuration is not a coded frame").isFalse();
        }
        if (payload.isReadable()) {
            assertThat(tag.exHeader()).isEqualTo((payload.getByte(payload.readerIndex()) & 0x80) != 0);
        }
        VideoResolution.fromSequenceHeader(payload);
    }
}
