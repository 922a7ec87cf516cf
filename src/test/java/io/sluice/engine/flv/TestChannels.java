package io.sluice.engine.flv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

/** Channels and an allocator for tests. */
final class TestChannels {

    private TestChannels() {
    }

    /** Reads a byte array, at most {@code maxRead} bytes per call (short reads like a socket or pipe). */
    static ReadableByteChannel reading(byte[] data, int length, int maxRead) {
        return new ReadableByteChannel() {
            private int pos;
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) {
                if (pos >= length) {
                    return -1;
                }
                int n = Math.min(Math.min(dst.remaining(), maxRead), length - pos);
                dst.put(data, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    static ReadableByteChannel reading(byte[] data) {
        return reading(data, data.length, Integer.MAX_VALUE);
    }

    /** A gathering channel into memory that accepts at most {@code maxWrite} bytes per call. */
    static final class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int maxWrite;
        int calls;
        boolean open = true;

        Sink(int maxWrite) {
            this.maxWrite = maxWrite;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            long written = 0;
            for (int i = offset; i < offset + length && written < maxWrite; i++) {
                ByteBuffer src = srcs[i];
                int n = (int) Math.min(src.remaining(), maxWrite - written);
                byte[] chunk = new byte[n];
                src.get(chunk);
                out.write(chunk, 0, n);
                written += n;
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
