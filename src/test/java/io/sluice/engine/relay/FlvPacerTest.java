package io.sluice.engine.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.flv.FlvFormatException;
import io.sluice.engine.flv.FlvTags;
import io.sluice.engine.flv.FlvWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file pacer: the file's own timestamps first, then a continuous timeline across loops, at real-time pace. */
@Timeout(20)
class FlvPacerTest {
    @TempDir
    Path dir;

    private int tagsInFile;
    private int lastTimestamp;

    /** Script at 1000, video every 40 ms from 1000 (the file does not start at 0), audio every 23 ms. */
    private Path file(int videoFrames) throws Exception {
        Path f = dir.resolve("clip.flv");
        tagsInFile = 1;
        try (FlvWriter w = FlvWriter.create(f)) {
            w.writeHeader(true, true);
            w.writeTag(FlvTags.TAG_SCRIPT, 1000, Unpooled.wrappedBuffer(new byte[]{2, 0, 1, 'x'}));
            int audio = 1000;
            for (int i = 0; i < videoFrames; i++) {
                int ts = 1000 + i * 40;
                w.writeTag(FlvTags.TAG_VIDEO, ts, Unpooled.wrappedBuffer(new byte[]{(byte) (i == 0 ? 0x17 : 0x27), 1}));
                tagsInFile++;
                lastTimestamp = ts;
                while (audio <= ts) {
                    w.writeTag(FlvTags.TAG_AUDIO, audio, Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 1}));
                    tagsInFile++;
                    lastTimestamp = audio;
                    audio += 23;
                }
            }
        }
        return f;
    }

    record Sent(int type, int timestamp) {
    }

    @Test
    void loopsContinueTheTimelineOneFrameAfterTheLastTag() throws Exception {
        Path f = file(10); // video 1000..1360, audio 1000..1345
        int perLoop = tagsInFile;
        FlvPacer pacer = new FlvPacer(f, true, false);
        List<Sent> sent = new ArrayList<>();
        pacer.run(new FlvPacer.Sink() {
            @Override
            public void tag(int type, int timestamp, ByteBuf payload) {
                sent.add(new Sent(type, timestamp));
                if (sent.size() == 2 * perLoop + 5) {
                    pacer.stop();
                }
            }

            @Override
            public void flush() {
            }
        });
        assertThat(sent).hasSize(2 * perLoop + 5);
        assertThat(sent.get(0)).isEqualTo(new Sent(FlvTags.TAG_SCRIPT, 1000));
        assertThat(sent.get(perLoop - 1).timestamp()).isEqualTo(lastTimestamp);
        assertThat(sent.get(perLoop)).as("second pass: last tag + one video interval")
                .isEqualTo(new Sent(FlvTags.TAG_SCRIPT, 1400));
        assertThat(sent.get(2 * perLoop)).isEqualTo(new Sent(FlvTags.TAG_SCRIPT, 1800));
        for (int type : new int[]{FlvTags.TAG_AUDIO, FlvTags.TAG_VIDEO}) {
            List<Integer> ts = sent.stream().filter(s -> s.type() == type).map(Sent::timestamp).toList();
            assertThat(ts).as("type %d timestamps", type).isSorted().doesNotHaveDuplicates();
        }
        assertThat(pacer.loops()).isEqualTo(2);
    }

    @Test
    void realTimePaceFollowsTheTimestamps() throws Exception {
        Path f = file(11); // 400 ms of media
        FlvPacer pacer = new FlvPacer(f, false, true);
        List<Long> sentAt = new ArrayList<>();
        long start = System.nanoTime();
        pacer.run(new FlvPacer.Sink() {
            @Override
            public void tag(int type, int timestamp, ByteBuf payload) {
                sentAt.add((System.nanoTime() - start) / 1_000_000);
            }

            @Override
            public void flush() {
            }
        });
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsed).isBetween(390L, 1500L);
        assertThat(sentAt.get(0)).isLessThan(100);
        assertThat(pacer.mediaMillis()).isEqualTo(lastTimestamp);
        assertThat(sentAt).hasSize(tagsInFile);
    }

    @Test
    void aFileWithoutTagsIsAnError() throws Exception {
        Path f = dir.resolve("empty.flv");
        try (FlvWriter w = FlvWriter.create(f)) {
            w.writeHeader(true, true);
        }
        FlvPacer pacer = new FlvPacer(f, true, false);
        assertThatThrownBy(() -> pacer.run(new FlvPacer.Sink() {
            @Override
            public void tag(int type, int timestamp, ByteBuf payload) {
            }

            @Override
            public void flush() {
            }
        })).isInstanceOf(FlvFormatException.class).hasMessageContaining("no tags");
    }
}
