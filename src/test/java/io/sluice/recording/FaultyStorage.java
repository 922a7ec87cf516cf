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
 * disk takes rewrites of existing blocks).
 */
final class FaultyStorage implements FlvRecorderStorage {
    volatile String failStream = "";
    volatile boolean armed;

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

    @Override
    public Output create(Path file) throws IOException {
        Output real = FILES.create(file);
        String marker = File.separator + failStream + File.separator;
        if (failStream.isEmpty() || !file.toString().contains(marker)) {
            return real;
        }
        return new Output() {
            private void check() throws IOException {
                if (armed) {
                    throw new IOException("No space left on device");
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
