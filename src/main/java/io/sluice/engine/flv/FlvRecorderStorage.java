package io.sluice.engine.flv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link FlvRecorder} writes: every byte of a recording goes through here, so a test can make
 * the disk fail or fill up. Called on the recorder's writer thread only.
 */
public interface FlvRecorderStorage {

    /** Creates a new file (and its directories) for writing; fails if the file exists. */
    Output create(Path file) throws IOException;

    /** Renames a finished file ({@code x.flv.part} to {@code x.flv}) atomically. */
    void move(Path source, Path target) throws IOException;

    /** Deletes a file that holds nothing worth keeping (a failure before its first frame). */
    default void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** An open file: appends through the channel methods, plus the few random-access operations needed. */
    interface Output extends GatheringByteChannel {

        /** Overwrites bytes already written (the onMetaData tag, when a segment is finalised). */
        void writeAt(ByteBuffer source, long position) throws IOException;

        /** Cuts the file, e.g. after a tag that was only partly written. */
        void truncate(long size) throws IOException;

        /** Makes what was written durable (fdatasync). */
        void force() throws IOException;
    }

    /** Plain files through {@link FileChannel}. */
    FlvRecorderStorage FILES = new FlvRecorderStorage() {
        @Override
        public Output create(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new FileOutput(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public String toString() {
            return "FlvRecorderStorage.FILES";
        }
    };

    /** A {@link FileChannel} as an {@link Output}. */
    final class FileOutput implements Output {
        private final FileChannel channel;

        public FileOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return channel.write(srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return channel.write(srcs);
        }

        @Override
        public void writeAt(ByteBuffer source, long position) throws IOException {
            long at = position;
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
            channel.position(Math.min(channel.position(), size));
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
