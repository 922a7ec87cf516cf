package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorderStorage;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Plain files, except that appends to the files of the stream named {@link #failStream} fail with
 * "No space left on device" once {@link #armed}: a disk that filled up. Overwrites still work (a full
 * disk takes rewrites of existing blocks). With {@link #readOnly}, everything fails with "Read-only file
 * system" instead, as after a remount read-only on an I/O error: no write, no cut, no rename, no new file.
 *
 * <p>Why not the real thing: a full or read-only filesystem needs a mount (root), and tests run as root
 * on CI, where a chmod does not stop writes. Every byte of a recording goes through {@link
 * FlvRecorderStorage}, so failing there exercises the same paths a real EROFS/ENOSPC would.
 */
final class FaultyStorage implements FlvRecorderStorage {
    static final String FULL = "No space left on device";
    static final String READ_ONLY = "Read-only file system";

    volatile String failStream = "";
    volatile boolean armed;
    volatile boolean readOnly;

    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        FaultyStorage faultyStorage() {
            return new FaultyStorage();
        }

        @Bean
        Events collectedRecordingEvents() {
            return new Events();
        }
    }

    /** Keeps every event a {@link RecordingListener} gets. */
    static final class Events implements RecordingListener {
        final List<RecordedSegment> received = new CopyOnWriteArrayList<>();

        @Override
        public void segmentCompleted(RecordedSegment segment) {
            received.add(segment);
        }

        List<RecordedSegment> of(long recordingId) {
            return received.stream().filter(e -> e.recordingId() == recordingId).toList();
        }
    }

    private boolean targets(Path file) {
        return !failStream.isEmpty() && file.toString().contains(File.separator + failStream + File.separator);
    }

    /** Fails anything that changes the disk once a read-only disk is armed. */
    private void checkReadOnly(Path file) throws IOException {
        if (armed && readOnly && targets(file)) {
            throw new IOException(READ_ONLY);
        }
    }

    @Override
    public Output create(Path file) throws IOException {
        checkReadOnly(file);
        Output real = FILES.create(file);
        if (!targets(file)) {
            return real;
        }
        return new Output() {
            private void check() throws IOException {
                if (armed) {
                    throw new IOException(readOnly ? READ_ONLY : FULL);
                }
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                check();
                return real.write(srcs, offset, length);
            }

            @Override
            public long write(ByteBuffer[] srcs) throws IOException {
                check();
                return real.write(srcs);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                check();
                return real.write(src);
            }

            @Override
            public void writeAt(ByteBuffer source, long position) throws IOException {
                checkReadOnly(file);
                real.writeAt(source, position);
            }

            @Override
            public void truncate(long size) throws IOException {
                checkReadOnly(file);
                real.truncate(size);
            }

            @Override
            public void force() throws IOException {
                checkReadOnly(file);
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
        checkReadOnly(source);
        FILES.move(source, target);
    }
}
