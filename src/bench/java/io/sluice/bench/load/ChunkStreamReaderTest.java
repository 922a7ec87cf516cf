package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The players' chunk parser against chunks the bench's writer makes, fed one byte at a time. */
class ChunkStreamReaderTest {

    private record Seen(int type, int streamId, int length, byte[] kept) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final ChunkStreamReader reader = new ChunkStreamReader((type, streamId, length, body, kept) ->
            seen.add(new Seen(type, streamId, length, Arrays.copyOf(body, kept))));

    private void feedByteByByte(byte[] bytes) {
        for (byte b : bytes) {
            reader.feed(ByteBuffer.wrap(new byte[]{b}));
        }
    }

    @Test
    void keepsTheMarkerOfMediaAndWholeControlMessagesAcrossChunksAndChunkSizes() {
        ByteBuffer video = ByteBuffer.allocate(StreamShape.DEFAULT.videoFrameSize(0));
        StreamShape.DEFAULT.writeVideo(video, 0);
        byte[] videoBody = video.array();
        byte[] command = ChunkWriter.amf(List.of(io.sluice.engine.protocol.amf.AmfValue.of("onStatus")));

        // 128-byte chunks (the default), then Set Chunk Size 4096, then a message with an extended timestamp
        feedByteByByte(ChunkWriter.message(6, StreamShape.VIDEO, 1, 40, videoBody, 128));
        feedByteByByte(ChunkWriter.message(ChunkWriter.CONTROL_CSID, 1, 0, 0, ChunkWriter.int32(4096), 128));
        feedByteByByte(ChunkWriter.message(6, StreamShape.VIDEO, 1, 0x1000000, videoBody, 4096));
        feedByteByByte(ChunkWriter.message(ChunkWriter.COMMAND_CSID, 20, 0, 0, command, 4096));

        assertThat(seen).hasSize(4);
        assertThat(seen.get(0).length()).isEqualTo(videoBody.length);
        assertThat(seen.get(0).kept()).hasSize(StreamShape.MARKED_PREFIX);
        assertThat(StreamShape.markedMicros(seen.get(0).kept(), StreamShape.MARKED_PREFIX)).isPositive();
        assertThat(seen.get(2).streamId()).isEqualTo(1);
        assertThat(StreamShape.markedMicros(seen.get(2).kept(), StreamShape.MARKED_PREFIX)).isPositive();
        assertThat(seen.get(3).kept()).isEqualTo(command);
        assertThat(reader.bytes()).isPositive();
    }

    @Test
    void rejectsAContinuationOnAChunkStreamItNeverSawAHeaderFor() {
        assertThatThrownBy(() -> reader.feed(ByteBuffer.wrap(new byte[]{(byte) 0xc5})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fmt 3");
    }

    @Test
    void rejectsAMessageOverTheLimit() {
        byte[] header = {3, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 9, 1, 0, 0, 0};
        assertThatThrownBy(() -> reader.feed(ByteBuffer.wrap(header)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("message of 16777215 bytes");
    }
}
