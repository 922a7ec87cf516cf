package io.sluice.engine.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.VideoTag;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfStrictArray;
import io.sluice.engine.protocol.amf.AmfValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FlvRecorder} as a plain {@link io.sluice.engine.stream.Subscriber} fed synthetic packets, its
 * writer run in the calling thread: segment boundaries on keyframes, headers repeated in every file,
 * timestamps from 0, the finalised onMetaData, the bounded queue, write failures and crash repair.
 */
class FlvRecorderTest {
    private static final Executor DIRECT = Runnable::run;
    private static final int FRAME = 33;

    @TempDir
    Path dir;

    // ---- the stream -----------------------------------------------------------------------------

    private static MediaPacket metadata() {
        ByteBuf body = Unpooled.buffer();
        Amf0.encode(body, AmfValue.of("onMetaData"));
        Amf0.encode(body, AmfEcmaArray.builder().put("duration", 0.0).put("width", 640.0).put("height", 360.0)
                .put("framerate", 30.0).put("videocodecid", 7.0).put("audiocodecid", 10.0)
                .put("audiosamplerate", 44100.0).put("encoder", "test").put("filesize", 0.0).build());
        return new MediaPacket(MediaPacket.Kind.DATA, 0, body, false, false);
    }

    private static MediaPacket videoHeader(int ts) {
        return new MediaPacket(MediaPacket.Kind.VIDEO, ts,
                Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte) 0xff}), false, true);
    }

    private static MediaPacket audioHeader(int ts) {
        return new MediaPacket(MediaPacket.Kind.AUDIO, ts,
                Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 0, 0x12, 0x10}), false, true);
    }

    private static MediaPacket video(int ts, boolean key, int n) {
        return new MediaPacket(MediaPacket.Kind.VIDEO, ts, Unpooled.wrappedBuffer(new byte[] {
                (byte) (key ? 0x17 : 0x27), 1, 0, 0, 0, 0, 0, 0, 1, (byte) (key ? 0x65 : 0x41), (byte) n}), key, false);
    }

    private static MediaPacket audio(int ts, int n) {
        return new MediaPacket(MediaPacket.Kind.AUDIO, ts,
                Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1, 0x21, (byte) n}), false, false);
    }

    private static void send(FlvRecorder recorder, MediaPacket packet) {
        try {
            recorder.deliver(packet);
        } finally {
            packet.release();
        }
    }

    /** Metadata, headers, then {@code frames} video frames from {@code start}, a keyframe every {@code gop}, each with an audio frame. */
    private static int publish(FlvRecorder recorder, int start, int frames, int gop) {
        send(recorder, metadata());
        send(recorder, videoHeader(start));
        send(recorder, audioHeader(start));
        return frames(recorder, start, 0, frames, gop);
    }

    private static int frames(FlvRecorder recorder, int ts, int first, int frames, int gop) {
        for (int i = first; i < first + frames; i++) {
            send(recorder, video(ts, i % gop == 0, i));
            send(recorder, audio(ts, i));
            ts += FRAME;
        }
        recorder.flush();
        return ts;
    }

    // ---- the recorder's side ----------------------------------------------------------------------

    /** Collects what the recorder reports; files go to the temp dir. */
    class Events implements FlvRecorder.Listener {
        final List<FlvRecorderSegment> completed = new CopyOnWriteArrayList<>();
        final List<Long> starts = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public Path segmentStarting(int index, long firstTimestamp) {
            starts.add(firstTimestamp);
            return dir.resolve("rec-" + index + ".flv");
        }

        @Override
        public void segmentCompleted(FlvRecorderSegment segment) {
            completed.add(segment);
        }

        @Override
        public void ended(String failure) {
            ended.add(failure == null ? "ok" : failure);
        }
    }

    record Tag(int type, long timestamp, long position, int size, boolean keyframe, boolean sequenceHeader) {
    }

    record FileContent(FlvHeader header, AmfEcmaArray metadata, int metadataSize, List<Tag> tags, boolean truncated) {
        List<Tag> media() {
            return tags.stream().filter(t -> t.type() != FlvTags.TAG_SCRIPT && !t.sequenceHeader()).toList();
        }

        double number(String key) {
            return ((AmfNumber) metadata.get(key).orElseThrow()).value();
        }

        List<Double> index(String which) {
            AmfObject keyframes = (AmfObject) metadata.get("keyframes").orElseThrow();
            return ((AmfStrictArray) keyframes.get(which).orElseThrow()).values().stream()
                    .map(v -> ((AmfNumber) v).value()).toList();
        }
    }

    static FileContent read(Path file) throws IOException {
        List<Tag> tags = new ArrayList<>();
        AmfEcmaArray metadata = null;
        int metadataSize = 0;
        try (FlvReader reader = FlvReader.open(file)) {
            FlvHeader header = reader.header();
            for (long start = reader.lastCompleteTagEnd(); ; start = reader.lastCompleteTagEnd()) {
                FlvTag tag = reader.next();
                if (tag == null) {
                    break;
                }
                try {
                    boolean key = false;
                    boolean seq = false;
                    if (tag.isVideo()) {
                        VideoTag v = VideoTag.parse(tag.payload());
                        key = v.keyframe();
                        seq = v.sequenceHeader();
                    } else if (tag.isAudio()) {
                        seq = tag.payload().getByte(1) == 0;
                    } else if (metadata == null) {
                        List<AmfValue> values = Amf0.decodeAll(tag.payload().duplicate(), AmfLimits.DEFAULT);
                        metadata = (AmfEcmaArray) values.get(1);
                        metadataSize = tag.payload().readableBytes();
                    }
                    tags.add(new Tag(tag.type(), Integer.toUnsignedLong(tag.timestamp()), start,
                            tag.payload().readableBytes(), key, seq));
                } finally {
                    tag.release();
                }
            }
            return new FileContent(header, metadata, metadataSize, tags, reader.truncatedTail());
        }
    }

    private List<Path> files(String glob) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> dir.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
                    .sorted().toList();
        }
    }

    // ---- tests ----------------------------------------------------------------------------------

    @Test
    void segmentsStartOnKeyframesWithTheHeadersAgainAndTimestampsFromZero() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(1, FlvRecorder.Options.of(FlvRecorder.Mode.ALL).withSegments(1500, 0),
                FlvRecorderStorage.FILES, events, DIRECT);
        // a stream already 10 s in: the recorder's files still start at 0
        int end = publish(recorder, 10_000, 150, 30); // keyframes every 990 ms
        recorder.stop();

        assertThat(events.ended).containsExactly("ok");
        assertThat(recorder.done()).isCompletedWithValue(null);
        assertThat(recorder.queuedBytes()).isZero();
        assertThat(files("*.part")).isEmpty();
        // keyframes at +0, 990, 1980, 2970, 3960: a new file at the first keyframe 1500 ms or more into a file
        assertThat(events.starts).containsExactly(10_000L, 11_980L, 13_960L);
        assertThat(events.completed).hasSize(3);

        int videoFrames = 0;
        for (FlvRecorderSegment segment : events.completed) {
            FileContent file = read(segment.path());
            assertThat(file.truncated()).isFalse();
            assertThat(file.header().hasAudio()).isTrue();
            assertThat(file.header().hasVideo()).isTrue();
            List<Tag> tags = file.tags();
            // onMetaData, both sequence headers, then a keyframe: all at 0
            assertThat(tags.get(0).type()).isEqualTo(FlvTags.TAG_SCRIPT);
            assertThat(tags.get(1)).extracting(Tag::type, Tag::sequenceHeader, Tag::timestamp)
                    .containsExactly(FlvTags.TAG_VIDEO, true, 0L);
            assertThat(tags.get(2)).extracting(Tag::type, Tag::sequenceHeader, Tag::timestamp)
                    .containsExactly(FlvTags.TAG_AUDIO, true, 0L);
            assertThat(tags.get(3)).extracting(Tag::type, Tag::keyframe, Tag::timestamp)
                    .containsExactly(FlvTags.TAG_VIDEO, true, 0L);
            assertThat(tags.stream().filter(t -> t.type() == FlvTags.TAG_SCRIPT)).hasSize(1);
            List<Tag> media = file.media();
            for (int i = 1; i < media.size(); i++) {
                assertThat(media.get(i).timestamp()).isGreaterThanOrEqualTo(media.get(i - 1).timestamp());
            }
            long keyframes = media.stream().filter(Tag::keyframe).count();
            videoFrames += (int) media.stream().filter(t -> t.type() == FlvTags.TAG_VIDEO).count();

            // the finalised onMetaData: the stream's fields, and duration, size and the keyframe index
            long lastTs = media.get(media.size() - 1).timestamp();
            assertThat(file.number("duration")).isEqualTo((lastTs + FRAME) / 1000.0);
            assertThat(file.number("filesize")).isEqualTo(Files.size(segment.path()));
            assertThat(file.number("width")).isEqualTo(640.0);
            assertThat(file.metadata().get("encoder")).contains(AmfValue.of("test"));
            assertThat(file.metadata().get("hasKeyframes")).contains(AmfValue.of(true));
            List<Double> times = file.index("times");
            List<Double> positions = file.index("filepositions");
            assertThat(times).hasSize((int) keyframes).first().isEqualTo(0.0);
            assertThat(positions).hasSize((int) keyframes);
            List<Tag> keyTags = media.stream().filter(Tag::keyframe).toList();
            for (int i = 0; i < keyTags.size(); i++) {
                assertThat(positions.get(i)).isEqualTo((double) keyTags.get(i).position());
                assertThat(times.get(i)).isEqualTo(keyTags.get(i).timestamp() / 1000.0);
            }
            assertThat(segment.keyframes()).isEqualTo(keyframes);
            assertThat(segment.durationMillis()).isEqualTo(lastTs + FRAME);
            assertThat(segment.sizeBytes()).isEqualTo(Files.size(segment.path()));
            assertThat(segment.videoCodec()).isEqualTo("H.264");
            assertThat(segment.audioCodec()).isEqualTo("AAC");
            assertThat(segment.lastTimestamp()).isEqualTo(segment.firstTimestamp() + lastTs);
            assertThat(segment.indexed()).isTrue();
            assertThat(segment.failure()).isNull();
        }
        assertThat(videoFrames).as("every frame in exactly one file").isEqualTo(150);
        assertThat(end).isEqualTo(10_000 + 150 * FRAME);
        // a stopped recorder takes nothing more
        send(recorder, video(end, true, 0));
        assertThat(recorder.queuedBytes()).isZero();
    }

    @Test
    void aRecorderJoiningMidGopWaitsForTheNextKeyframe() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(2, FlvRecorder.Options.of(FlvRecorder.Mode.ALL),
                FlvRecorderStorage.FILES, events, DIRECT);
        send(recorder, metadata());
        send(recorder, videoHeader(0));
        send(recorder, audioHeader(0));
        frames(recorder, 500, 5, 5, 30); // inter frames 5..9 and their audio: dropped
        frames(recorder, 500 + 5 * FRAME, 30, 40, 30);
        recorder.stop();

        assertThat(events.starts).containsExactly(500L + 5 * FRAME);
        FileContent file = read(events.completed.get(0).path());
        assertThat(file.media().get(0)).extracting(Tag::keyframe, Tag::timestamp).containsExactly(true, 0L);
        assertThat(file.media().stream().filter(t -> t.type() == FlvTags.TAG_VIDEO)).hasSize(40);
    }

    @Test
    void sizeLimitCutsAtTheNextKeyframe() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(3, new FlvRecorder.Options(FlvRecorder.Mode.ALL, 0, 3000, 1 << 20,
                1000, 16), FlvRecorderStorage.FILES, events, DIRECT);
        publish(recorder, 0, 240, 10);
        recorder.stop();
        assertThat(events.completed).hasSizeGreaterThanOrEqualTo(3);
        for (FlvRecorderSegment segment : events.completed) {
            FileContent file = read(segment.path());
            assertThat(segment.sizeBytes()).isLessThan(3000 + 10 * 60); // at most one GOP past the limit
            assertThat(file.media().get(0).keyframe()).isTrue();
            assertThat(file.media().get(0).timestamp()).isZero();
        }
    }

    @Test
    void audioOnlyVideoOnlyAndKeyframesOnly() throws Exception {
        for (FlvRecorder.Mode mode : List.of(FlvRecorder.Mode.AUDIO, FlvRecorder.Mode.VIDEO, FlvRecorder.Mode.KEYFRAMES)) {
            Events events = new Events() {
                @Override
                public Path segmentStarting(int index, long firstTimestamp) {
                    return dir.resolve(mode + "-" + index + ".flv");
                }
            };
            FlvRecorder recorder = new FlvRecorder(4, FlvRecorder.Options.of(mode), FlvRecorderStorage.FILES, events,
                    DIRECT);
            publish(recorder, 2000, 90, 30);
            recorder.stop();
            FileContent file = read(events.completed.get(0).path());
            List<Tag> media = file.media();
            switch (mode) {
                case AUDIO -> {
                    assertThat(file.header().hasVideo()).isFalse();
                    assertThat(file.header().hasAudio()).isTrue();
                    assertThat(media).hasSize(90).allMatch(t -> t.type() == FlvTags.TAG_AUDIO);
                    assertThat(file.tags()).noneMatch(t -> t.type() == FlvTags.TAG_VIDEO);
                    assertThat(file.metadata().containsKey("width")).isFalse();
                    assertThat(file.metadata().containsKey("audiocodecid")).isTrue();
                    assertThat(file.index("times")).isEmpty();
                }
                case VIDEO -> {
                    assertThat(file.header().hasAudio()).isFalse();
                    assertThat(media).hasSize(90).allMatch(t -> t.type() == FlvTags.TAG_VIDEO);
                    assertThat(file.metadata().containsKey("audiocodecid")).isFalse();
                    assertThat(file.index("times")).containsExactly(0.0, 0.99, 1.98);
                }
                case KEYFRAMES -> {
                    assertThat(media).hasSize(3).allMatch(Tag::keyframe);
                    assertThat(media).extracting(Tag::timestamp).containsExactly(0L, 990L, 1980L);
                    assertThat(file.metadata().containsKey("framerate")).isFalse();
                }
                default -> throw new AssertionError(mode);
            }
            assertThat(media.get(0).timestamp()).isZero();
        }
    }

    @Test
    void anIndexWithMoreKeyframesThanReservedIsThinnedInPlace() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(5, new FlvRecorder.Options(FlvRecorder.Mode.ALL, 0, 0, 1 << 20, 1000, 4),
                FlvRecorderStorage.FILES, events, DIRECT);
        publish(recorder, 0, 100, 10); // 10 keyframes, room for 4
        recorder.stop();
        FileContent file = read(events.completed.get(0).path());
        assertThat(file.index("times")).containsExactly(0.0, 0.99, 1.98, 2.97);
        assertThat(file.index("filepositions")).hasSize(4);
        assertThat(events.completed.get(0).keyframes()).isEqualTo(10);
        // the placeholder had room for exactly 4: nothing left in the reserve
        assertThat(((AmfStrictArray) file.metadata().get(FlvRecorderIndex.RESERVE_KEY).orElseThrow()).size()).isZero();
    }

    @Test
    void aWriterThatFallsBehindFailsTheRecordingWithoutBlocking() throws Exception {
        ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(6, FlvRecorder.Options.of(FlvRecorder.Mode.ALL).withMaxQueuedBytes(2000),
                FlvRecorderStorage.FILES, events, tasks::add);
        publish(recorder, 0, 60, 30); // the writer never ran: the queue fills up
        assertThat(recorder.queuedBytes()).isLessThanOrEqualTo(2000);
        assertThat(recorder.done()).isNotDone();
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
        assertThat(events.ended).singleElement().asString().contains("fell behind", "more than 1 KB waiting to be written");
        assertThat(recorder.queuedBytes()).isZero();
        // the file it had started is finished, and says so
        assertThat(events.completed).singleElement().satisfies(s -> assertThat(s.failure()).contains("fell behind"));
        assertThat(read(events.completed.get(0).path()).truncated()).isFalse();
    }

    /** Storage whose appends fail once {@code limit} bytes were written, like a full disk; overwrites still work. */
    static final class FullDisk implements FlvRecorderStorage {
        final AtomicLong written = new AtomicLong();
        final long limit;

        FullDisk(long limit) {
            this.limit = limit;
        }

        @Override
        public Output create(Path file) throws IOException {
            Output real = FILES.create(file);
            return new Output() {
                @Override
                public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                    long want = 0;
                    for (int i = offset; i < offset + length; i++) {
                        want += srcs[i].remaining();
                    }
                    if (written.get() + want > limit) {
                        // a partial write, then the error: the file ends inside a tag
                        ByteBuffer first = srcs[offset].duplicate();
                        first.limit(first.position() + Math.min(first.remaining(), 5));
                        real.write(first);
                        throw new IOException("No space left on device");
                    }
                    long n = real.write(srcs, offset, length);
                    written.addAndGet(n);
                    return n;
                }

                @Override
                public long write(ByteBuffer[] srcs) throws IOException {
                    return write(srcs, 0, srcs.length);
                }

                @Override
                public int write(ByteBuffer src) throws IOException {
                    return (int) write(new ByteBuffer[] {src});
                }

                @Override
                public void writeAt(ByteBuffer source, long position) throws IOException {
                    real.writeAt(source, position);
                }

                @Override
                public void truncate(long size) throws IOException {
                    real.truncate(size);
                }

                @Override
                public void force() throws IOException {
                    real.force();
                }

                @Override
                public boolean isOpen() {
                    return real.isOpen();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            FILES.move(source, target);
        }
    }

    @Test
    void aFullDiskFailsTheRecordingAndLeavesAFinishedFileUpToTheLastCompleteTag() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(7, FlvRecorder.Options.of(FlvRecorder.Mode.ALL),
                new FullDisk(FlvRecorder.Options.DEFAULT_INDEX_CAPACITY * 18 + 2000), events, DIRECT);
        publish(recorder, 0, 300, 30);
        assertThat(events.ended).singleElement().isEqualTo("write failed: No space left on device");
        assertThat(recorder.done()).isCompletedWithValue("write failed: No space left on device");
        FlvRecorderSegment salvaged = events.completed.get(0);
        assertThat(salvaged.failure()).isEqualTo("write failed: No space left on device");
        FileContent file = read(salvaged.path());
        assertThat(file.truncated()).as("cut after its last complete tag").isFalse();
        assertThat(file.number("filesize")).isEqualTo(Files.size(salvaged.path()));
        assertThat(file.number("duration")).isGreaterThan(0.1);
        assertThat(files("*.part")).isEmpty();
        // later packets are dropped at once, nothing is kept
        frames(recorder, 20_000, 0, 30, 30);
        assertThat(recorder.queuedBytes()).isZero();
    }

    @Test
    void aFileLeftByACrashIsCutAfterItsLastCompleteTagAndFinalised() throws Exception {
        Events events = new Events();
        FlvRecorder recorder = new FlvRecorder(8, FlvRecorder.Options.of(FlvRecorder.Mode.ALL),
                FlvRecorderStorage.FILES, events, DIRECT);
        publish(recorder, 4000, 200, 30);
        // "kill -9": the recorder never finishes; its .part file is what is left
        Path part = dir.resolve("rec-0.flv.part");
        assertThat(part).exists();
        FileContent before = read(part);
        assertThat(before.number("duration")).isZero();
        assertThat(before.index("times")).isEmpty();
        long cutAt = Files.size(part) - 7; // the last tag is incomplete
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.truncate(cutAt);
        }
        Path target = dir.resolve("rec-0.flv");

        Optional<FlvRecorderRepair.Result> result = FlvRecorderRepair.repair(part, target, 0, 4000);

        assertThat(result).isPresent();
        assertThat(part).doesNotExist();
        FileContent after = read(target);
        assertThat(after.truncated()).isFalse();
        assertThat(after.metadataSize()).isEqualTo(before.metadataSize());
        List<Tag> media = after.media();
        long lastTs = media.get(media.size() - 1).timestamp();
        assertThat(lastTs).isEqualTo(199 * FRAME); // the last video frame was complete, its audio was not
        assertThat(after.number("duration")).isEqualTo((lastTs + FRAME) / 1000.0);
        assertThat(after.number("filesize")).isEqualTo(Files.size(target));
        assertThat(after.index("times")).hasSize(7);
        FlvRecorderSegment segment = result.get().segment();
        assertThat(result.get().bytesCut()).isPositive();
        assertThat(segment.keyframes()).isEqualTo(7);
        assertThat(segment.firstTimestamp()).isEqualTo(4000);
        assertThat(segment.lastTimestamp()).isEqualTo(4000 + lastTs);
        assertThat(segment.indexed()).isTrue();

        // run again after a crash that came after the rename: only read
        assertThat(FlvRecorderRepair.repair(part, target, 0, 4000)).map(r -> r.segment().durationMillis())
                .contains(segment.durationMillis());
        recorder.stop(); // (its file is gone: the stop fails and is reported, nothing thrown)
        assertThat(events.ended).hasSize(1);
    }

    @Test
    void aPartFileWithoutAFrameIsDeleted() throws Exception {
        Path part = dir.resolve("empty.flv.part");
        Files.write(part, new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0});
        assertThat(FlvRecorderRepair.repair(part, dir.resolve("empty.flv"), 0, 0)).isEmpty();
        assertThat(part).doesNotExist();
    }

    @Test
    void thinningKeepsFirstAndLast() {
        assertThat(FlvRecorderIndex.pick(10, 4)).containsExactly(0, 3, 6, 9);
        assertThat(FlvRecorderIndex.pick(3, 4)).containsExactly(0, 1, 2);
        assertThat(FlvRecorderIndex.pick(5, 1)).containsExactly(0);
        assertThat(FlvRecorderIndex.pick(5, 0)).isEmpty();
    }

    @Test
    void describesFailures() {
        assertThat(FlvRecorder.describe(new IOException("No space left on device")))
                .isEqualTo("write failed: No space left on device");
        assertThat(FlvRecorder.describe(new java.nio.file.AccessDeniedException("/x")))
                .isEqualTo("write failed: AccessDeniedException: /x");
        assertThat(FlvRecorder.describe(new IllegalStateException())).isEqualTo("recorder error: IllegalStateException");
    }

    @Test
    void metadataEntriesOfTheStreamAreKeptInOrder() {
        List<java.util.Map.Entry<String, AmfValue>> base = FlvRecorderIndex.baseEntries(
                ((AmfEntries) AmfEcmaArray.builder().put("duration", 5.0).put("width", 1.0).put("audiocodecid", 10.0)
                        .put("encoder", "x").build()).entries(), false, true, false, null);
        assertThat(base).extracting(java.util.Map.Entry::getKey).containsExactly("width", "encoder");
    }
}
