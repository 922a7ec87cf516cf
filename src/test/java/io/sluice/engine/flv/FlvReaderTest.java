package io.sluice.engine.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import io.sluice.testing.TrackingAllocator;
import org.junit.jupiter.api.Test;

class FlvReaderTest {

    private static final byte[] HEADER = hex("464c5601 05 00000009 00000000");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A small valid file; {@code ends} receives the offset after each tag's PreviousTagSize. */
    private static byte[] smallFile(List<Long> ends, int[] sizes) throws IOException {
        TestChannels.Sink sink = new TestChannels.Sink(Integer.MAX_VALUE);
        FlvWriter writer = new FlvWriter(sink);
        writer.writeHeader(true, true);
        ends.add(writer.position());
        int[] types = {FlvTags.TAG_SCRIPT, FlvTags.TAG_VIDEO, FlvTags.TAG_AUDIO};
        for (int i = 0; i < sizes.length; i++) {
            byte[] body = new byte[sizes[i]];
            for (int j = 0; j < body.length; j++) {
                body[j] = (byte) (i * 31 + j);
            }
            ByteBuf payload = Unpooled.wrappedBuffer(body);
            writer.writeTag(types[i % 3], i * 1000 + 0x7F000000, payload);
            payload.release();
            ends.add(writer.position());
        }
        return sink.bytes();
    }

    /** All tags, released, as "type/timestamp/size/first byte"; the reader is left for inspection. */
    private static List<String> drain(FlvReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        FlvTag tag;
        while ((tag = reader.next()) != null) {
            try {
                int first = tag.payload().isReadable() ? tag.payload().getUnsignedByte(0) : -1;
                out.add(tag.type() + "/" + tag.timestamp() + "/" + tag.payload().readableBytes() + "/" + first);
            } finally {
                tag.release();
            }
        }
        return out;
    }

    @Test
    void readsTagsWithExtendedTimestamps() throws IOException {
        byte[] file = hex("464c5601 05 00000009 00000000"
                + "09 000002 020304 01 000000 1701 0000000D"
                + "08 000000 ffffff ff 000000 0000000B");
        TrackingAllocator alloc = new TrackingAllocator();
        try (FlvReader reader = new FlvReader(TestChannels.reading(file), alloc)) {
            FlvHeader header = reader.header();
            assertThat(header).isEqualTo(new FlvHeader(1, 5, 9));
            assertThat(header.hasAudio() && header.hasVideo()).isTrue();
            FlvTag video = reader.next();
            assertThat(video.type()).isEqualTo(9);
            assertThat(video.timestamp()).isEqualTo(0x01020304);
            assertThat(ByteBufUtil.hexDump(video.payload())).isEqualTo("1701");
            assertThat(video.payload().alloc()).isSameAs(alloc);
            video.release();
            FlvTag audio = reader.next();
            assertThat(audio.timestamp()).isEqualTo(-1);
            assertThat(audio.payload().readableBytes()).isZero();
            audio.release();
            assertThat(reader.next()).isNull();
            assertThat(reader.next()).isNull();
            assertThat(reader.truncatedTail()).isFalse();
            assertThat(reader.lastCompleteTagEnd()).isEqualTo(file.length);
            assertThat(reader.position()).isEqualTo(file.length);
            assertThat(reader.tagCount()).isEqualTo(2);
            assertThat(reader.previousTagSizeMismatches()).isZero();
        }
        assertThat(alloc.allReleased()).isTrue();
    }

    @Test
    void skipsExtraHeaderBytes() throws IOException {
        byte[] file = hex("464c5601 01 0000000D cafebabe 00000000 09 000001 000000 00 000000 17 0000000C");
        try (FlvReader reader = new FlvReader(TestChannels.reading(file))) {
            assertThat(reader.header().dataOffset()).isEqualTo(13);
            assertThat(drain(reader)).containsExactly("9/0/1/23");
            assertThat(reader.truncatedTail()).isFalse();
        }
    }

    @Test
    void everyPrefixReadsCleanlyUpToItsLastCompleteTag() throws IOException {
        List<Long> ends = new ArrayList<>();
        byte[] file = smallFile(ends, new int[] {5, 0, 17, 1, 40});
        List<String> all;
        try (FlvReader reader = new FlvReader(TestChannels.reading(file))) {
            all = drain(reader);
        }
        assertThat(all).hasSize(5);
        for (int maxRead : new int[] {1, 7, Integer.MAX_VALUE}) {
            for (int length = 0; length <= file.length; length++) {
                TrackingAllocator alloc = new TrackingAllocator();
                ReadableByteChannel channel = TestChannels.reading(file, length, maxRead);
                try (FlvReader reader = new FlvReader(channel, alloc)) {
                    List<String> tags = drain(reader);
                    long lastEnd = 0;
                    int complete = -1; // the header is no tag
                    for (long end : ends) {
                        if (end <= length) {
                            lastEnd = end;
                            complete++;
                        }
                    }
                    String at = "prefix " + length + " maxRead " + maxRead;
                    assertThat(tags).as(at).isEqualTo(all.subList(0, Math.max(complete, 0)));
                    assertThat(reader.lastCompleteTagEnd()).as(at).isEqualTo(lastEnd);
                    assertThat(reader.truncatedTail()).as(at).isEqualTo(lastEnd != length || length == 0);
                    assertThat(reader.header() == null).as(at).isEqualTo(length < HEADER.length);
                }
                assertThat(alloc.allReleased()).isTrue();
            }
        }
    }

    @Test
    void tagsLargerThanTheReadAheadBuffer() throws IOException {
        List<Long> ends = new ArrayList<>();
        byte[] file = smallFile(ends, new int[] {200_000, 3, 70_000, 65_536, 65_535});
        try (FlvReader reader = new FlvReader(TestChannels.reading(file, file.length, 10_000))) {
            assertThat(drain(reader)).containsExactly(
                    "18/2130706432/200000/0", "9/2130707432/3/31", "8/2130708432/70000/62",
                    "18/2130709432/65536/93", "9/2130710432/65535/124");
            assertThat(reader.truncatedTail()).isFalse();
        }
    }

    @Test
    void hugeDeclaredTagWithTenBytesPresentIsATruncatedTail() throws IOException {
        byte[] file = new byte[HEADER.length + 11 + 10];
        System.arraycopy(HEADER, 0, file, 0, HEADER.length);
        System.arraycopy(hex("09 ffffff 000000 00 000000"), 0, file, HEADER.length, 11);
        TrackingAllocator alloc = new TrackingAllocator();
        try (FlvReader reader = new FlvReader(TestChannels.reading(file), alloc)) {
            assertThat(reader.next()).isNull();
            assertThat(reader.truncatedTail()).isTrue();
            assertThat(reader.lastCompleteTagEnd()).isEqualTo(HEADER.length);
            assertThat(reader.position()).isEqualTo(file.length);
        }
        assertThat(alloc.allReleased()).isTrue();
    }

    @Test
    void tagAboveTheConfiguredLimitIsRejected() throws IOException {
        byte[] file = hex("464c5601 05 00000009 00000000 09 000065 000000 00 000000");
        try (FlvReader reader = new FlvReader(TestChannels.reading(file), io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 100)) {
            assertThatThrownBy(reader::next).isInstanceOf(FlvFormatException.class).hasMessageContaining("101");
            assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void badHeaders() {
        assertRejected("464c58 01 05 00000009 00000000", "signature"); // "FLX"
        assertRejected("474946383961", "signature"); // GIF89a
        assertRejected("4658", "signature"); // "FX": wrong even though cut short
        assertRejected("464c56 02 05 00000009 00000000", "version");
        assertRejected("464c56 01 ff 00000009 00000000", "flags");
        assertRejected("464c56 01 05 00000008 00000000", "DataOffset");
        assertRejected("464c56 01 05 80000000 00000000", "DataOffset");
    }

    @Test
    void truncatedHeaderIsACleanEmptyFile() throws IOException {
        for (String prefix : new String[] {"", "46", "464c5601", "464c5601 05 000000", "464c5601 05 00000009 0000"}) {
            try (FlvReader reader = new FlvReader(TestChannels.reading(hex(prefix)))) {
                assertThat(reader.next()).isNull();
                assertThat(reader.header()).isNull();
                assertThat(reader.truncatedTail()).isTrue();
                assertThat(reader.lastCompleteTagEnd()).isZero();
            }
        }
    }

    @Test
    void badTags() {
        String header = "464c5601 05 00000009 00000000 ";
        assertRejected(header + "29 000001 000000 00 000000 00 0000000C", "Filter"); // encrypted video
        assertRejected(header + "07 000001 000000 00 000000 00 0000000C", "type");
        assertRejected(header + "00 000001 000000 00 000000 00 0000000C", "type");
        assertRejected(header + "48 000001 000000 00 000000 00 0000000C", "type"); // reserved bits
        // The second tag is garbage: the first is still returned.
        assertRejected(header + "09 000001 000000 00 000000 17 0000000C 5a5a5a5a5a5a5a5a5a5a5a", "type");
    }

    private static void assertRejected(String hexFile, String message) {
        TrackingAllocator alloc = new TrackingAllocator();
        assertThatThrownBy(() -> {
            try (FlvReader reader = new FlvReader(TestChannels.reading(hex(hexFile)), alloc)) {
                drain(reader);
            }
        }).isInstanceOf(FlvFormatException.class).hasMessageContaining(message);
        assertThat(alloc.allReleased()).isTrue();
    }

    @Test
    void wrongPreviousTagSizesAreToleratedAndCounted() throws IOException {
        byte[] file = hex("464c5601 05 00000009 0000000F"
                + "09 000001 000000 00 000000 17 00000000"
                + "08 000001 000000 00 000000 AF 0000000C");
        try (FlvReader reader = new FlvReader(TestChannels.reading(file))) {
            assertThat(drain(reader)).containsExactly("9/0/1/23", "8/0/1/175");
            assertThat(reader.previousTagSizeMismatches()).isEqualTo(2);
            assertThat(reader.truncatedTail()).isFalse();
        }
    }

    @Test
    void randomGarbageAfterAValidHeaderNeverLeaksNorThrowsAnythingElse() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 3000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = (byte) new int[] {8, 9, 18, 0x29, 0}[random.nextInt(5)];
            }
            if (junk.length > 3) {
                junk[1] = 0;
                junk[2] = 0;
            }
            byte[] file = new byte[HEADER.length + junk.length];
            System.arraycopy(HEADER, 0, file, 0, HEADER.length);
            System.arraycopy(junk, 0, file, HEADER.length, junk.length);
            TrackingAllocator alloc = new TrackingAllocator();
            try (FlvReader reader = new FlvReader(TestChannels.reading(file, file.length, 1 + random.nextInt(8)), alloc)) {
                drain(reader);
                assertThat(reader.lastCompleteTagEnd()).isBetween((long) HEADER.length, (long) file.length);
            } catch (FlvFormatException expected) {
                // fine: bad bytes are reported, not hidden
            }
            assertThat(alloc.allReleased()).isTrue();
        }
    }
}
