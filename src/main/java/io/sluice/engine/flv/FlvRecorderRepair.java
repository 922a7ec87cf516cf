package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.protocol.amf.AmfValue;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes a file a {@link FlvRecorder} left behind when the process died (kill -9, power loss): the
 * {@code .part} file is cut after its last complete tag, its onMetaData gets the duration, size and
 * keyframe index (in the space the recorder reserved for them) and it is renamed. Blocking file I/O.
 */
public final class FlvRecorderRepair {
    private static final Logger log = LoggerFactory.getLogger(FlvRecorderRepair.class);

    /**
     * @param segment  the finished file
     * @param bytesCut bytes removed from the end (a tag cut in the middle, garbage)
     */
    public record Result(FlvRecorderSegment segment, long bytesCut) {
    }

    private FlvRecorderRepair() {
    }

    /**
     * Repairs {@code part} into {@code target}. If {@code part} is gone but {@code target} exists (the
     * crash came after the rename), {@code target} is only read. Empty when there is no file or no
     * frame survived (an empty part file is deleted).
     *
     * @param firstTimestamp the stream timestamp the file started at (for the summary's timestamps)
     */
    public static Optional<Result> repair(Path part, Path target, int index, long firstTimestamp) throws IOException {
        if (!Files.exists(part)) {
            return Files.exists(target) ? inspect(target, index, firstTimestamp).map(s -> new Result(s, 0))
                    : Optional.empty();
        }
        Scan scan = Scan.of(part);
        if (scan.tracker.frames() == 0) {
            log.info("{}: no complete frame, deleted", part);
            Files.delete(part);
            return Optional.empty();
        }
        boolean indexed = false;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.truncate(scan.end);
            if (scan.metadata != null) {
                int capacity = FlvRecorderIndex.capacityOf(scan.metadata);
                if (capacity >= 0) {
                    ByteBuf body = scan.tracker.encode(FlvRecorderIndex.withoutOwnKeys(scan.metadata), capacity, scan.end);
                    try {
                        if (body.readableBytes() == scan.metadataSize) {
                            new FlvRecorderStorage.FileOutput(channel).writeAt(body.nioBuffer(), scan.metadataOffset);
                            indexed = true;
                        }
                    } finally {
                        body.release();
                    }
                }
                if (!indexed) {
                    log.warn("{}: onMetaData has no room reserved for the index; left as it is", part);
                }
            }
            channel.force(true);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        log.info("{}: repaired into {} ({} bytes cut, {} ms, {} keyframes)", part, target.getFileName(),
                scan.size - scan.end, scan.tracker.durationMillis(), scan.tracker.keyframes());
        return Optional.of(new Result(scan.tracker.summary(index, target, scan.end, firstTimestamp, indexed, null),
                scan.size - scan.end));
    }

    /** What a finished file holds, read only; empty if it has no frame. */
    public static Optional<FlvRecorderSegment> inspect(Path file, int index, long firstTimestamp) throws IOException {
        Scan scan = Scan.of(file);
        if (scan.tracker.frames() == 0) {
            return Optional.empty();
        }
        boolean indexed = scan.metadata != null && FlvRecorderIndex.capacityOf(scan.metadata) >= 0;
        return Optional.of(scan.tracker.summary(index, file, scan.end, firstTimestamp, indexed, null));
    }

    /** One pass over a file: its tags up to the last complete one. */
    private static final class Scan {
        final FlvRecorderIndex.Tracker tracker = new FlvRecorderIndex.Tracker();
        List<Map.Entry<String, AmfValue>> metadata;
        long metadataOffset;
        int metadataSize;
        long end;
        long size;

        static Scan of(Path file) throws IOException {
            Scan scan = new Scan();
            scan.size = Files.size(file);
            try (FlvReader reader = FlvReader.open(file)) {
                boolean first = true;
                while (true) {
                    FlvTag tag;
                    long start;
                    try {
                        if (reader.header() == null) {
                            break;
                        }
                        start = reader.lastCompleteTagEnd();
                        tag = reader.next();
                    } catch (FlvFormatException e) {
                        log.info("{}: cut at offset {}: {}", file, reader.lastCompleteTagEnd(), e.getMessage());
                        break;
                    }
                    if (tag == null) {
                        break;
                    }
                    try {
                        if (first && tag.isScript()) {
                            scan.metadata = FlvRecorderIndex.parseOnMetaData(tag.payload());
                            scan.metadataOffset = start + FlvTags.TAG_HEADER_SIZE;
                            scan.metadataSize = tag.payload().readableBytes();
                        } else {
                            scan.tracker.add(tag.type(), Integer.toUnsignedLong(tag.timestamp()), start, tag.payload());
                        }
                    } finally {
                        tag.release();
                    }
                    first = false;
                }
                scan.end = reader.lastCompleteTagEnd();
            }
            return scan;
        }
    }
}
