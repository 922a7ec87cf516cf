package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.engine.flv.FlvFormatException;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfException;
import io.sluice.testing.TrackingAllocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;

/**
 * The FLV reader (FLV 10.1 Annex E) on an arbitrary file, and the tag parsers on whatever tags it
 * returns: video and audio tag headers (E-RTMP included), sequence headers, script data. What must
 * hold: only a {@link FlvFormatException} escapes the reader and an {@code AmfException} the script
 * decoder; the header parsers never throw; no tag buffer beyond the size limit is allocated; the
 * reader's offsets stay within the input; every tag is released.
 */
class FlvReaderFuzzTest {

    static final int MAX_TAG_SIZE = 64 * 1024;

    @FuzzTest(maxDuration = "15s")
    void flvFile(byte[] file) throws IOException {
        TrackingAllocator alloc = new TrackingAllocator(MAX_TAG_SIZE);
        try (FlvReader reader = new FlvReader(Channels.newChannel(new ByteArrayInputStream(file)), alloc, MAX_TAG_SIZE)) {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                try {
                    assertThat(tag.payload().readableBytes()).isLessThanOrEqualTo(MAX_TAG_SIZE);
                    inspect(tag);
                } finally {
                    tag.release();
                }
                assertThat(reader.lastCompleteTagEnd()).isEqualTo(reader.position());
            }
            assertThat(reader.lastCompleteTagEnd()).isLessThanOrEqualTo(reader.position());
            assertThat(reader.position()).isLessThanOrEqualTo(file.length);
        } catch (FlvFormatException e) {
            FuzzAssertions.assertOnly(FlvFormatException.class, e);
        }
        alloc.assertAllReleased();
    }

    private static void inspect(FlvTag tag) {
        int readerIndex = tag.payload().readerIndex();
        if (tag.isVideo()) {
            MediaTagFuzzTest.checkVideo(tag.payload());
        } else if (tag.isAudio()) {
            AudioTag.parse(tag.payload());
        } else {
            try {
                Amf0.decodeAll(tag.payload(), AmfChecks.LIMITS);
                return;
            } catch (AmfException e) {
                FuzzAssertions.assertOnly(AmfException.class, e);
            }
        }
        assertThat(tag.payload().readerIndex()).as("parsers leave the reader index").isEqualTo(readerIndex);
    }
}
